// Which probes `diagnose --probe` runs, what blocks the others, and on which Services.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../../src/discover/context.js';
import { arpTargets, healthzServices, planProbes, probeBlocker } from '../../../../src/probes/diagnose-plan.js';
import { bgpadv, l2adv, lbStatus, pool, service, snapshotOf } from '../../analyzers/helpers.js';

const all = ['arp', 'bgp', 'endpointsProbe', 'sourceIpProbe'];

describe('planProbes', () => {
  it('only the inputs the analyzers need; nothing for a snapshot-only check', () => {
    expect(planProbes([], { service: false, files: false })).toEqual({ run: [], skipped: [] });
    expect(planProbes(['endpointsProbe'], { service: false, files: true })).toEqual({
      run: ['endpointsProbe'],
      skipped: [],
    });
  });

  it('every probe with every flag, a SERVICE and a live cluster', () => {
    expect(
      planProbes(all, {
        interface: 'eth0',
        bgpListen: '192.0.2.1:1179',
        bgpLocalAs: 64500,
        service: true,
        files: false,
      }),
    ).toEqual({ run: ['arp', 'bgp', 'endpointsProbe', 'sourceIpProbe'], skipped: [] });
  });

  it('names the missing flag of each probe that cannot run', () => {
    const p = planProbes(all, { bgpListen: '192.0.2.1', service: false, files: false });
    expect(p.run).toEqual(['endpointsProbe']);
    expect(p.skipped).toEqual([
      {
        input: 'arp',
        reason:
          '--interface IF is missing (the interface on the segment where the LoadBalancer addresses are announced)',
      },
      { input: 'bgp', reason: '--bgp-local-as N is missing (the passive BGP peer the speakers connect to)' },
      {
        input: 'sourceIpProbe',
        reason: "a SERVICE argument is missing (the echo proof sends a request through one Service's exposure)",
      },
    ]);
  });

  it('the echo needs a live cluster', () => {
    expect(probeBlocker('sourceIpProbe', { service: true, files: true })).toBe(
      'it needs a live cluster to deploy the echo to, not -f files',
    );
    expect(probeBlocker('bgp', { service: true, files: true })).toBe(
      '--bgp-listen ADDR[:PORT] and --bgp-local-as N are missing (the passive BGP peer the speakers connect to)',
    );
  });
});

describe('probe targets', () => {
  const objects = [
    pool('l2-pool', ['198.51.100.0/28']),
    l2adv('l2', { ipAddressPools: ['l2-pool'] }),
    pool('bgp-pool', ['203.0.113.0/28']),
    bgpadv('bgp', { ipAddressPools: ['bgp-pool'] }),
    service(
      'l2-web',
      { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 },
      {},
      lbStatus('198.51.100.1'),
    ),
    service(
      'bgp-web',
      { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32001 },
      {},
      lbStatus('203.0.113.1'),
    ),
    service('pending', { type: 'LoadBalancer' }),
    service('np', { type: 'NodePort', externalTrafficPolicy: 'Local' }),
  ];
  const ctx = buildContext(snapshotOf(objects));

  it('ARP: the L2 LoadBalancer addresses, not the BGP ones nor pending Services', () => {
    expect(arpTargets(ctx).map((t) => [t.service.metadata.name, t.ip])).toEqual([['l2-web', '198.51.100.1']]);
    expect(arpTargets(ctx, { namespace: 'default', name: 'bgp-web' })).toEqual([]);
  });

  it('healthz: Local-policy Services with a healthCheckNodePort, scoped to the SERVICE', () => {
    expect(healthzServices(ctx).map((s) => s.metadata.name)).toEqual(['l2-web', 'bgp-web']);
    expect(healthzServices(ctx, { namespace: 'default', name: 'bgp-web' }).map((s) => s.metadata.name)).toEqual([
      'bgp-web',
    ]);
  });
});
