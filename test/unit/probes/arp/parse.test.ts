// arping and tcpdump output parsing, on output captured from the namespace lab
// (fixtures/: Thomas Habets' arping 2.23 and tcpdump 4.99 on Debian).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  arpingFlavor,
  classifyArpingError,
  parseArpingLine,
  parseArpingOutput,
  parseTcpdumpArpLine,
} from '../../../../src/probes/arp/parse.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseArpingOutput (Habets arping, captured)', () => {
  it('reads every reply when two hosts answer, in order', () => {
    const replies = parseArpingOutput(fixture('habets-two-holders.txt'));
    expect(replies.map((r) => r.mac)).toEqual([
      '96:7e:d6:2a:f5:0b',
      '8e:13:57:b7:9e:98',
      '96:7e:d6:2a:f5:0b',
      '8e:13:57:b7:9e:98',
    ]);
    expect(new Set(replies.map((r) => r.ip))).toEqual(new Set(['198.51.100.10']));
    expect(replies[1]!.rttMs).toBe(0.12);
  });

  it('reads one holder answering each request', () => {
    const replies = parseArpingOutput(fixture('habets-one-holder.txt'));
    expect(replies).toHaveLength(3);
    expect(new Set(replies.map((r) => r.mac))).toEqual(new Set(['96:7e:d6:2a:f5:0b']));
  });

  it('finds no reply in Timeout lines and statistics', () => {
    expect(parseArpingOutput(fixture('habets-no-reply.txt'))).toEqual([]);
  });

  it('converts the RTT units', () => {
    expect(parseArpingLine('42 bytes from 8e:13:57:b7:9e:98 (198.51.100.10): index=1 time=6.910 msec')!.rttMs).toBe(
      6.91,
    );
    expect(parseArpingLine('60 bytes from 0:1:2:a:b:c (192.0.2.1): index=0 time=1.5 sec')).toEqual({
      mac: '00:01:02:0a:0b:0c',
      ip: '192.0.2.1',
      rttMs: 1500,
    });
  });
});

describe('parseArpingLine (iputils arping)', () => {
  it('reads unicast and broadcast replies, MAC lower-cased', () => {
    expect(parseArpingLine('Unicast reply from 198.51.100.10 [8E:13:57:B7:9E:98]  0.615ms')).toEqual({
      mac: '8e:13:57:b7:9e:98',
      ip: '198.51.100.10',
      rttMs: 0.615,
    });
    expect(parseArpingLine('Broadcast reply from 192.0.2.5 [AA:BB:CC:DD:EE:FF]  1.002ms')!.mac).toBe(
      'aa:bb:cc:dd:ee:ff',
    );
  });

  it('ignores headers, summaries and junk', () => {
    for (const l of [
      'ARPING 198.51.100.10 from 192.0.2.11 eth0',
      'Sent 3 probes (1 broadcast(s))',
      'Received 3 response(s)',
      '',
      'Timeout',
      '42 bytes from zz:13:57:b7:9e:98 (198.51.100.10): index=0',
    ]) {
      expect(parseArpingLine(l)).toBeNull();
    }
  });
});

describe('arpingFlavor and classifyArpingError', () => {
  it('recognises Habets arping from its help (captured) and iputils from its usage', () => {
    expect(arpingFlavor(fixture('habets-help.txt'))).toBe('habets');
    expect(arpingFlavor('Usage: arping [-fqbDUAV] [-c count] [-w timeout] [-I device] [-s source] destination')).toBe(
      'iputils',
    );
    expect(arpingFlavor('something else')).toBeNull();
  });

  it('names a missing privilege and a missing interface (captured stderr)', () => {
    expect(classifyArpingError(fixture('habets-no-privilege.stderr.txt'))).toBe('permission');
    expect(classifyArpingError(fixture('habets-no-such-device.stderr.txt'))).toBe('no-such-interface');
    expect(classifyArpingError('arping: socket: Operation not permitted')).toBe('permission');
    expect(classifyArpingError('Cannot open network namespace "xctl-nope": No such file or directory')).toBe(
      'no-such-netns',
    );
    expect(classifyArpingError('')).toBeNull();
  });
});

describe('parseTcpdumpArpLine (captured gratuitous ARP)', () => {
  it('reads a gratuitous request and a gratuitous reply with their capture times', () => {
    const [req, rep] = fixture('tcpdump-gratuitous.txt').trim().split('\n').map(parseTcpdumpArpLine);
    expect(req).toEqual({
      atMs: 1795782192005,
      mac: '96:7e:d6:2a:f5:0b',
      op: 'request',
      senderIp: '198.51.100.10',
      targetIp: '198.51.100.10',
    });
    expect(rep).toEqual({
      atMs: 1795782192285,
      mac: '96:7e:d6:2a:f5:0b',
      op: 'reply',
      senderIp: '198.51.100.10',
      targetIp: '',
    });
  });

  it('ignores tcpdump banners', () => {
    expect(
      parseTcpdumpArpLine('listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes'),
    ).toBeNull();
    expect(parseTcpdumpArpLine('2 packets captured')).toBeNull();
  });
});
