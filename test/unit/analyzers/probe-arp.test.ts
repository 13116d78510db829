import { describe, expect, it } from 'vitest';
import { addressSubject, arpFindings } from '../../../src/analyzers/probe-arp.js';
import type { ArpObservation } from '../../../src/model/probe-facts.js';

const obs = (o: Partial<ArpObservation>): ArpObservation => ({
  ip: '198.51.100.10',
  interface: 'eth0',
  macs: [],
  nodeOfMac: {},
  requests: 3,
  durationMs: 3000,
  at: '2026-11-27T12:00:00Z',
  ...o,
});
const svc = { kind: 'Service', namespace: 'shop', name: 'web' };
const codes = (o: ArpObservation) =>
  arpFindings(o, { subject: svc, implementation: 'metallb' }).map((f) => [f.code, f.severity]);

describe('arpFindings', () => {
  it('nobody answers: arp/no-reply (error)', () => {
    expect(codes(obs({}))).toEqual([['arp/no-reply', 'error']]);
  });

  it('two MACs answer: arp/multiple-replies (error), naming both and their nodes', () => {
    const f = arpFindings(
      obs({ macs: ['02:00:00:00:00:02', '02:00:00:00:00:01'], nodeOfMac: { '02:00:00:00:00:01': 'n1' } }),
      { subject: svc },
    );
    expect(f.map((x) => x.code)).toEqual(['arp/multiple-replies']);
    expect(f[0]!.message).toContain('02:00:00:00:00:01 (node n1), 02:00:00:00:00:02 (no known node)');
    expect(f[0]!.subject).toEqual(svc);
  });

  it('the same MAC twice is one holder', () => {
    expect(
      codes(
        obs({
          macs: ['02:00:00:00:00:01', '02:00:00:00:00:01'.toUpperCase()],
          nodeOfMac: { '02:00:00:00:00:01': 'n1' },
          expectedHolder: 'n1',
        }),
      ),
    ).toEqual([]);
  });

  it('another node answers than the announcer reported: arp/holder-mismatch (warning)', () => {
    const f = arpFindings(
      obs({ macs: ['02:00:00:00:00:02'], nodeOfMac: { '02:00:00:00:00:02': 'n2' }, expectedHolder: 'n1' }),
      { subject: svc, implementation: 'metallb', localPolicy: true },
    );
    expect(f.map((x) => [x.code, x.severity])).toEqual([['arp/holder-mismatch', 'warning']]);
    expect(f[0]!.message).toMatch(
      /answered by 02:00:00:00:00:02 \(node n2\), but metallb reports node n1.*local endpoint/,
    );
  });

  it('an unknown host answers while the announcer is known: mismatch', () => {
    expect(codes(obs({ macs: ['02:00:00:00:00:09'], expectedHolder: 'n1' }))).toEqual([
      ['arp/holder-mismatch', 'warning'],
    ]);
  });

  it('the reported announcer answers, or none is reported: nothing', () => {
    expect(
      codes(obs({ macs: ['02:00:00:00:00:01'], nodeOfMac: { '02:00:00:00:00:01': 'n1' }, expectedHolder: 'n1' })),
    ).toEqual([]);
    expect(codes(obs({ macs: ['02:00:00:00:00:01'] }))).toEqual([]);
  });

  it('a bare address is the subject of --ip findings', () => {
    expect(arpFindings(obs({}), { subject: addressSubject('198.51.100.10') })[0]!.subject).toEqual({
      kind: 'IPAddress',
      namespace: null,
      name: '198.51.100.10',
    });
  });
});

describe('arpFindings for a BGP-mode address', () => {
  it('silence is expected; an answer is still a conflict', () => {
    expect(arpFindings(obs({}), { subject: svc, mode: 'bgp' })).toEqual([]);
    expect(
      arpFindings(obs({ macs: ['02:00:00:00:00:01', '02:00:00:00:00:02'] }), { subject: svc, mode: 'bgp' }).map(
        (f) => f.code,
      ),
    ).toEqual(['arp/multiple-replies']);
  });
});
