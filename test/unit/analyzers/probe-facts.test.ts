// The probe-fact analyzers share their judgement with the probe commands (arpFindings,
// localPolicyBlackholeFindings): what diagnose adds is the announcer and mode from the
// snapshot, and which healthz answers count.
import { describe, expect, it } from 'vitest';
import type { ArpObservation, EndpointsProbe } from '../../../src/model/probe-facts.js';
import {
  bgpadv,
  diagnose,
  l2adv,
  lbStatus,
  node,
  pairs,
  pool,
  service,
  serviceL2Status,
  slice,
  snapshotOf,
} from './helpers.js';

const obs = (macs: string[], nodeOfMac: Record<string, string> = {}): ArpObservation[] => [
  {
    ip: '198.51.100.10',
    interface: 'eth0',
    macs,
    nodeOfMac,
    requests: 3,
    durationMs: 3000,
    at: '2026-11-27T12:00:00Z',
  },
];
const lb = (extra: Record<string, unknown> = {}) =>
  service('web', { type: 'LoadBalancer', ...extra }, {}, lbStatus('198.51.100.10'));

describe('arp-replies through arpFindings', () => {
  it("the announcer comes from MetalLB's ServiceL2Status when the observation has none", () => {
    const f = diagnose(
      snapshotOf([pool('p', ['198.51.100.0/28']), l2adv('l2'), lb(), serviceL2Status('web', 'n1')], 'cluster'),
      { check: 'arp', probes: { arp: obs(['02:00:00:00:00:02'], { '02:00:00:00:00:02': 'n2' }) } },
    );
    expect(pairs(f)).toEqual([['arp/holder-mismatch', 'Service default/web']]);
    expect(f[0]!.message).toContain('metallb reports node n1');
  });

  it('an address announced with BGP: silence is no finding, a second answer still is', () => {
    const objects = [pool('p', ['198.51.100.0/28']), bgpadv('b'), lb()];
    expect(diagnose(snapshotOf(objects, 'cluster'), { check: 'arp', probes: { arp: obs([]) } })).toEqual([]);
    expect(
      pairs(
        diagnose(snapshotOf(objects, 'cluster'), {
          check: 'arp',
          probes: { arp: obs(['02:00:00:00:00:01', '02:00:00:00:00:02']) },
        }),
      ),
    ).toEqual([['arp/multiple-replies', 'Service default/web']]);
  });
});

describe('endpoints-local-policy with healthz answers', () => {
  const objects = [
    lb({ externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 }),
    node('n1', '192.0.2.11'),
    node('n2', '192.0.2.12'),
    slice('web', [{ ready: true, node: 'n1' }]),
  ];
  const probe = (answers: EndpointsProbe['answers']): EndpointsProbe[] => [
    { service: { namespace: 'default', name: 'web' }, healthCheckNodePort: 32000, answers, at: '2026-11-27T12:00:00Z' },
  ];
  const run = (answers: EndpointsProbe['answers']) =>
    diagnose(snapshotOf(objects, 'cluster'), { check: 'endpoints', probes: { endpointsProbe: probe(answers) } }).filter(
      (f) => f.code === 'endpoints/local-policy-blackhole',
    );

  it('a node answering 503 drops the traffic', () => {
    const f = run([
      { node: 'n1', address: '192.0.2.11', status: 200, localEndpoints: 1 },
      { node: 'n2', address: '192.0.2.12', status: 503, localEndpoints: 0 },
    ]);
    expect(pairs(f)).toEqual([['endpoints/local-policy-blackhole', 'Service default/web']]);
    expect(f[0]!.message).toContain('answers 503');
  });

  it('nodes that did not answer say nothing: a LoadBalancer is then judged as without the probe (no finding)', () => {
    expect(
      run([
        { node: 'n1', address: '192.0.2.11', status: null, localEndpoints: null, error: 'no answer within 2000 ms' },
        { node: 'n2', address: '192.0.2.12', status: null, localEndpoints: null, error: 'no answer within 2000 ms' },
      ]),
    ).toEqual([]);
  });
});
