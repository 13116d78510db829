import { describe, expect, it } from 'vitest';
import { ArpProbeError } from '../../../../src/probes/arp/errors.js';
import { arpingCommand } from '../../../../src/probes/arp/run.js';
import { normalizeMac, validateInterface, validateIPv4, validateNetns } from '../../../../src/probes/arp/validate.js';

const kind = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e instanceof ArpProbeError ? e.kind : 'other';
  }
};

describe('input validation (before anything runs)', () => {
  it('accepts kernel interface names and refuses anything that could be an option or a path', () => {
    for (const ok of ['eth0', 'bond0.100', 'enp3s0f1', 'br-lan', 'eth0:1', 'vlan_10', 'a'.repeat(15)])
      expect(validateInterface(ok)).toBe(ok);
    for (const bad of ['', '-i', 'a'.repeat(16), 'eth0;rm', 'eth 0', 'eth0/1', '.', '..', '$(id)']) {
      expect(kind(() => validateInterface(bad))).toBe('invalid-input');
    }
  });

  it('accepts one IPv4 address and refuses IPv6, ranges, hostnames, broadcast and multicast', () => {
    expect(validateIPv4('198.51.100.10')).toBe('198.51.100.10');
    expect(validateIPv4(' 192.0.2.1 ')).toBe('192.0.2.1');
    for (const bad of [
      '2001:db8::1',
      '198.51.100.0/24',
      'example.com',
      '198.51.100',
      '198.51.100.256',
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.1',
      '-c',
      '0x7f.1',
    ]) {
      expect(kind(() => validateIPv4(bad))).toBe('invalid-input');
    }
  });

  it('checks network namespace names', () => {
    expect(validateNetns('xctl-arp-ab12-client')).toBe('xctl-arp-ab12-client');
    for (const bad of ['', '../x', 'a b', '.']) expect(kind(() => validateNetns(bad))).toBe('invalid-input');
  });

  it('normalises MACs', () => {
    expect(normalizeMac('8E:13:57:B7:9E:98')).toBe('8e:13:57:b7:9e:98');
    expect(normalizeMac('0:1:2:a:b:c')).toBe('00:01:02:0a:0b:0c');
    expect(normalizeMac('00-11-22-33-44-55')).toBe('00:11:22:33:44:55');
    expect(normalizeMac('00:11:22:33:44')).toBeNull();
  });
});

describe('arpingCommand', () => {
  it('passes arguments as an array, listening the whole interval after each request (Habets)', () => {
    expect(arpingCommand('habets', { ip: '198.51.100.10', interface: 'eth0', count: 3, timeoutMs: 500 })).toEqual([
      'arping',
      ['-i', 'eth0', '-c', '3', '-W', '0.5', '-w', '2', '198.51.100.10'],
    ]);
  });

  it('uses iputils flags and wraps in ip netns exec', () => {
    expect(
      arpingCommand('iputils', { ip: '192.0.2.1', interface: 'eth1', count: 2, timeoutMs: 1000, netns: 'lab' }),
    ).toEqual(['ip', ['netns', 'exec', 'lab', 'arping', '-I', 'eth1', '-w', '2', '192.0.2.1']]);
  });
});

describe('arpingFailure', () => {
  it("turns arping's stderr into the probe's errors, and silence into none", async () => {
    const { arpingFailure } = await import('../../../../src/probes/arp/run.js');
    expect(
      arpingFailure(
        'arping: libnet_init(LIBNET_LINK, eth0): libnet_open_link(): UID/EUID 0 or capability CAP_NET_RAW required',
        { interface: 'eth0' },
      )?.kind,
    ).toBe('permission');
    expect(
      arpingFailure('arping: libnet_init(LIBNET_LINK, nosuch0): libnet_check_iface() ioctl: No such device', {
        interface: 'nosuch0',
        netns: 'lab',
      })?.message,
    ).toBe('interface nosuch0 does not exist in network namespace lab');
    expect(
      arpingFailure('exec of "arping" failed: No such file or directory', { interface: 'eth0', netns: 'lab' })?.kind,
    ).toBe('missing-binary');
    expect(arpingFailure('arping: something odd\n', { interface: 'eth0' })?.message).toBe(
      'arping failed: arping: something odd',
    );
    expect(arpingFailure('', { interface: 'eth0' })).toBeNull();
  });
});
