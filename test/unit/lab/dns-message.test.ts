import { describe, expect, it } from 'vitest';
import { dnsAnswer, parseHosts, parseQuestion } from '../../../scripts/lab/dns-message.ts';

/** A query as a resolver sends it: id, RD, one question. */
function query(name: string, type = 1, id = 0x1234): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, type, 0, 1])]);
}

const hosts = parseHosts(
  '127.0.0.1 localhost\n10.96.0.20 web.demo.svc.cluster.local web.demo.svc # a Service\nnot-an-address x\n' +
    '10.244.1.2 pods.demo.svc.cluster.local\n10.244.2.2 pods.demo.svc.cluster.local\n',
);

describe('lab cluster DNS messages', () => {
  it('parseHosts: names to addresses, comments and bad lines ignored', () => {
    expect(hosts.get('web.demo.svc.cluster.local')).toEqual(['10.96.0.20']);
    expect(hosts.get('web.demo.svc')).toEqual(['10.96.0.20']);
    expect(hosts.get('pods.demo.svc.cluster.local')).toEqual(['10.244.1.2', '10.244.2.2']);
    expect(hosts.has('x')).toBe(false);
  });

  it('parseQuestion: the name in lower case and the type', () => {
    expect(parseQuestion(query('Web.Demo.svc.cluster.local', 28))).toMatchObject({
      name: 'web.demo.svc.cluster.local',
      type: 28,
    });
    expect(parseQuestion(Buffer.from([1, 2, 3]))).toBeUndefined();
  });

  it('a known name, type A: one answer with the address, same id, RD echoed', () => {
    const a = dnsAnswer(query('web.demo.svc.cluster.local'), (n) => hosts.get(n))!;
    expect(a.readUInt16BE(0)).toBe(0x1234);
    expect(a.readUInt16BE(2)).toBe(0x8180);
    expect(a.readUInt16BE(6)).toBe(1);
    expect([...a.subarray(a.length - 4)]).toEqual([10, 96, 0, 20]);
  });

  it('a headless Service: one A record per ready Pod', () => {
    const a = dnsAnswer(query('pods.demo.svc.cluster.local'), (n) => hosts.get(n))!;
    expect(a.readUInt16BE(6)).toBe(2);
    expect([...a.subarray(a.length - 20, a.length - 16)]).toEqual([10, 244, 1, 2]);
    expect([...a.subarray(a.length - 4)]).toEqual([10, 244, 2, 2]);
  });

  it('a known name of another type: NOERROR, no answer; an unknown name: NXDOMAIN', () => {
    const aaaa = dnsAnswer(query('web.demo.svc.cluster.local', 28), (n) => hosts.get(n))!;
    expect([aaaa.readUInt16BE(2) & 0xf, aaaa.readUInt16BE(6)]).toEqual([0, 0]);
    const nx = dnsAnswer(query('other.demo.svc.cluster.local'), (n) => hosts.get(n))!;
    expect([nx.readUInt16BE(2) & 0xf, nx.readUInt16BE(6)]).toEqual([3, 0]);
  });
});
