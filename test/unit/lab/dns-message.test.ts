import { describe, expect, it } from 'vitest';
import { dnsAnswer, parseQuestion, parseZone } from '../../../scripts/lab/dns-message.ts';
import { clusterZone } from '../../../scripts/lab/dns-zone.ts';

/** A query as a resolver sends it: id, RD, one question. */
function query(name: string, type = 1, id = 0x1234): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, type, 0, 1])]);
}

const SRV = 33;

/** A wire-format name at `i` (no compression pointers past the question's) and where it ends. */
function readName(msg: Buffer, i: number): { name: string; end: number } {
  const labels: string[] = [];
  for (;;) {
    const len = msg[i]!;
    if (len >= 0xc0) return { name: readName(msg, msg.readUInt16BE(i) & 0x3fff).name, end: i + 2 };
    if (len === 0) return { name: labels.join('.'), end: i + 1 };
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
}

/** The records of an answer: [section, name, type, data] with A as "a.b.c.d" and SRV as "prio weight port target". */
function records(msg: Buffer): Array<[string, string, number, string]> {
  let i = parseQuestion(msg)!.end;
  const out: Array<[string, string, number, string]> = [];
  const counts = [msg.readUInt16BE(6), msg.readUInt16BE(8), msg.readUInt16BE(10)];
  for (const [s, n] of counts.entries())
    for (let k = 0; k < n; k++) {
      const name = readName(msg, i);
      const type = msg.readUInt16BE(name.end);
      const len = msg.readUInt16BE(name.end + 8);
      const data = msg.subarray(name.end + 10, name.end + 10 + len);
      const text =
        type === 1
          ? [...data].join('.')
          : `${data.readUInt16BE(0)} ${data.readUInt16BE(2)} ${data.readUInt16BE(4)} ${readName(data, 6).name}`;
      out.push([['answer', 'authority', 'additional'][s]!, name.name, type, text]);
      i = name.end + 10 + len;
    }
  return out;
}

const zone = clusterZone([
  { namespace: 'demo', name: 'web', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  {
    namespace: 'demo',
    name: 'pods',
    clusterIP: 'None',
    ports: [{ name: 'http', port: 80 }],
    slices: [
      {
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [{ address: '10.244.1.2' }, { address: '10.244.2.2', hostname: 'db-0' }],
      },
    ],
  },
  { namespace: 'demo', name: 'none-ready', clusterIP: 'None', slices: [] },
]);

describe('lab cluster DNS zone (the Kubernetes DNS specification)', () => {
  it('a ClusterIP Service: A to its ClusterIP (also the short forms), SRV per named port to the Service', () => {
    expect(zone.a['web.demo.svc.cluster.local']).toEqual(['10.96.0.20']);
    expect(zone.a['web.demo.svc']).toEqual(['10.96.0.20']);
    expect(zone.a['web.demo']).toEqual(['10.96.0.20']);
    expect(zone.srv['_http._tcp.web.demo.svc.cluster.local']).toEqual([
      { priority: 0, weight: 100, port: 80, target: 'web.demo.svc.cluster.local' },
    ]);
  });

  it('a headless Service: A to each ready endpoint, each under a name of its own (hostname or dashed address), SRV to those names with the EndpointSlice port', () => {
    expect(zone.a['pods.demo.svc.cluster.local']).toEqual(['10.244.1.2', '10.244.2.2']);
    expect(zone.a['10-244-1-2.pods.demo.svc.cluster.local']).toEqual(['10.244.1.2']);
    expect(zone.a['db-0.pods.demo.svc.cluster.local']).toEqual(['10.244.2.2']);
    expect(zone.srv['_http._tcp.pods.demo.svc.cluster.local']).toEqual([
      { priority: 0, weight: 50, port: 8080, target: '10-244-1-2.pods.demo.svc.cluster.local' },
      { priority: 0, weight: 50, port: 8080, target: 'db-0.pods.demo.svc.cluster.local' },
    ]);
    expect(Object.keys(zone.a).some((n) => n.includes('none-ready'))).toBe(false);
  });

  it('parseZone: the JSON the kubelet writes; anything unreadable is an empty zone', () => {
    expect(parseZone(JSON.stringify(zone))).toEqual(zone);
    expect(parseZone('')).toEqual({ a: {}, srv: {} });
  });
});

describe('lab cluster DNS messages', () => {
  it('parseQuestion: the name in lower case and the type', () => {
    expect(parseQuestion(query('Web.Demo.svc.cluster.local', 28))).toMatchObject({
      name: 'web.demo.svc.cluster.local',
      type: 28,
    });
    expect(parseQuestion(Buffer.from([1, 2, 3]))).toBeUndefined();
  });

  it('a known name, type A: one answer with the address, same id, RD echoed, authoritative', () => {
    const a = dnsAnswer(query('web.demo.svc.cluster.local'), zone)!;
    expect(a.readUInt16BE(0)).toBe(0x1234);
    expect(a.readUInt16BE(2)).toBe(0x8580);
    expect(records(a)).toEqual([['answer', 'web.demo.svc.cluster.local', 1, '10.96.0.20']]);
  });

  it('a headless Service: one A record per ready Pod', () => {
    expect(records(dnsAnswer(query('pods.demo.svc.cluster.local'), zone)!).map((r) => r[3])).toEqual([
      '10.244.1.2',
      '10.244.2.2',
    ]);
  });

  it("SRV of a headless Service's named port: one record per ready Pod, their A records in the additional section", () => {
    expect(records(dnsAnswer(query('_http._tcp.pods.demo.svc.cluster.local', SRV), zone)!)).toEqual([
      ['answer', '_http._tcp.pods.demo.svc.cluster.local', SRV, '0 50 8080 10-244-1-2.pods.demo.svc.cluster.local'],
      ['answer', '_http._tcp.pods.demo.svc.cluster.local', SRV, '0 50 8080 db-0.pods.demo.svc.cluster.local'],
      ['additional', '10-244-1-2.pods.demo.svc.cluster.local', 1, '10.244.1.2'],
      ['additional', 'db-0.pods.demo.svc.cluster.local', 1, '10.244.2.2'],
    ]);
  });

  it('a known name of another type: NOERROR, no answer; an unknown name: NXDOMAIN', () => {
    const aaaa = dnsAnswer(query('web.demo.svc.cluster.local', 28), zone)!;
    expect([aaaa.readUInt16BE(2) & 0xf, aaaa.readUInt16BE(6)]).toEqual([0, 0]);
    const srvOfA = dnsAnswer(query('web.demo.svc.cluster.local', SRV), zone)!;
    expect([srvOfA.readUInt16BE(2) & 0xf, srvOfA.readUInt16BE(6)]).toEqual([0, 0]);
    const nx = dnsAnswer(query('other.demo.svc.cluster.local'), zone)!;
    expect([nx.readUInt16BE(2) & 0xf, nx.readUInt16BE(6)]).toEqual([3, 0]);
    const nxSrv = dnsAnswer(query('_https._tcp.web.demo.svc.cluster.local', SRV), zone)!;
    expect([nxSrv.readUInt16BE(2) & 0xf, nxSrv.readUInt16BE(6)]).toEqual([3, 0]);
  });
});
