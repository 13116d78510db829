import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import { lbStatus, live, node, pod, service, slice, snap } from '../../helpers/builders.js';

const rows = (s: ReturnType<typeof snap>) => discoverExposures(s);
const one = (s: ReturnType<typeof snap>) => {
  const r = rows(s);
  expect(r).toHaveLength(1);
  return r[0]!;
};

describe('which Services expose', () => {
  it.each([
    ['ClusterIP', {}, []],
    ['headless', { clusterIP: 'None' }, []],
    ['ExternalName', { type: 'ExternalName', externalName: 'example.com', externalIPs: ['1.2.3.4'] }, []],
    ['NodePort', { type: 'NodePort' }, ['nodeport']],
    ['LoadBalancer: one row, no separate nodeport row', { type: 'LoadBalancer' }, ['loadbalancer']],
    ['ClusterIP with externalIPs', { externalIPs: ['192.0.2.1'] }, ['externalip']],
    [
      'NodePort with externalIPs: two rows, nodeport first',
      { type: 'NodePort', externalIPs: ['192.0.2.1'] },
      ['nodeport', 'externalip'],
    ],
    [
      'LoadBalancer with externalIPs',
      { type: 'LoadBalancer', externalIPs: ['192.0.2.1'] },
      ['loadbalancer', 'externalip'],
    ],
  ])('%s', (_, spec, modes) => {
    expect(rows(snap([service('web', spec)])).map((e) => e.mode)).toEqual(modes);
  });
});

describe('NodePort', () => {
  const np = service('web', {
    type: 'NodePort',
    ports: [
      { port: 80, nodePort: 30080, targetPort: 8080 },
      { port: 53, protocol: 'UDP' },
    ],
  });

  it('lists ports with nodePort, default protocol TCP and default targetPort', () => {
    expect(one(snap([np])).ports).toEqual([
      { port: 80, protocol: 'TCP', nodePort: 30080, targetPort: 8080 },
      { port: 53, protocol: 'UDP', targetPort: 53 },
    ]);
  });

  it('addresses: each node ExternalIP when it has one, else InternalIP; none without nodes', () => {
    expect(
      one(snap([np, node('b', '10.0.0.2'), node('a', '10.0.0.1', { external: '203.0.113.1' })])).addresses,
    ).toEqual(['203.0.113.1', '10.0.0.2']);
    expect(one(snap([np])).addresses).toEqual([]);
  });

  it('addresses are computed once for all NodePort rows: deduplicated, and each row has its own array', () => {
    const other = service('api', { type: 'NodePort', ports: [{ port: 8080 }] });
    const [a, b] = rows(snap([np, other, node('a', '10.0.0.1'), node('b', '10.0.0.1'), node('c', '10.0.0.3')]));
    expect(a!.addresses).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(b!.addresses).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(a!.addresses).not.toBe(b!.addresses);
  });

  it.each([
    ['Cluster (default) loses the source IP', {}, 'lost'],
    ['Local preserves it', { externalTrafficPolicy: 'Local' }, 'preserved'],
  ])('%s', (_, spec, sourceIP) => {
    expect(one(snap([service('web', { type: 'NodePort', ...spec })])).sourceIP).toBe(sourceIP);
  });

  it.each([
    ['all ready', [{}, {}], 'ready', undefined],
    ['some ready', [{}, { ready: false }], 'degraded', '1 of 2 endpoints ready'],
    ['none ready', [{ ready: false }], 'broken', '0 of 1 endpoints ready'],
    ['no endpoints', [], 'broken', 'no endpoints'],
  ])('status from slices: %s', (_, eps, status, reason) => {
    const e = one(snap([np, slice('web', eps)]));
    expect(e.status).toBe(status);
    expect(e.reason).toBe(reason);
  });

  it('files without slices or Pods: unknown, endpoints null', () => {
    const e = one(snap([np]));
    expect(e.endpoints).toBeNull();
    expect(e.status).toBe('unknown');
    expect(e.reason).toMatch(/endpoints unknown/);
  });

  it('live: a selector that matches no Pod is broken', () => {
    const e = one(live([np, pod('x', { app: 'other' }, true)]));
    expect(e.status).toBe('broken');
    expect(e.reason).toMatch(/selector matches no Pod/);
  });

  it('externalTrafficPolicy Local with nodes lacking a ready endpoint is degraded', () => {
    const local = service('web', { type: 'NodePort', externalTrafficPolicy: 'Local' });
    const e = one(live([local, node('a', '10.0.0.1'), node('b', '10.0.0.2'), slice('web', [{ node: 'a' }])]));
    expect(e.status).toBe('degraded');
    expect(e.reason).toMatch(/1 of 2 nodes have no ready endpoint/);
    expect(one(live([local, node('a', '10.0.0.1'), slice('web', [{ node: 'a' }])])).status).toBe('ready');
  });
});

describe('LoadBalancer', () => {
  it('carries its nodePorts in ports unless allocateLoadBalancerNodePorts is false', () => {
    const ports = [{ port: 443, nodePort: 31443, targetPort: 'https' }];
    expect(one(snap([service('web', { type: 'LoadBalancer', ports })])).ports).toEqual([
      { port: 443, protocol: 'TCP', nodePort: 31443, targetPort: 'https' },
    ]);
    expect(
      one(snap([service('web', { type: 'LoadBalancer', ports, allocateLoadBalancerNodePorts: false })])).ports,
    ).toEqual([{ port: 443, protocol: 'TCP', targetPort: 'https' }]);
  });

  it.each([
    [
      'live, no address: pending',
      live([service('web', { type: 'LoadBalancer' }), slice('web', [{}])]),
      'pending',
      [],
      /no address assigned yet/,
    ],
    [
      'live, requested address not assigned: pending',
      live([service('web', { type: 'LoadBalancer', loadBalancerIP: '192.0.2.9' }), slice('web', [{}])]),
      'pending',
      [],
      /192\.0\.2\.9 requested/,
    ],
    [
      'live, address and ready endpoints: ready',
      live([service('web', { type: 'LoadBalancer' }, {}, lbStatus('192.0.2.1')), slice('web', [{}])]),
      'ready',
      ['192.0.2.1'],
      undefined,
    ],
    [
      'live, hostname address',
      live([service('web', { type: 'LoadBalancer' }, {}, lbStatus('lb.example.com')), slice('web', [{}])]),
      'ready',
      ['lb.example.com'],
      undefined,
    ],
    [
      'files without status: unknown',
      snap([service('web', { type: 'LoadBalancer' })]),
      'unknown',
      [],
      /address assigned at creation/,
    ],
    [
      'files, requested address: shown, not confirmed',
      snap([service('web', { type: 'LoadBalancer', loadBalancerIP: '192.0.2.9' }), slice('web', [{}])]),
      'unknown',
      ['192.0.2.9'],
      /not confirmed/,
    ],
    [
      'exported with empty status: pending',
      snap([service('web', { type: 'LoadBalancer' }, {}, { loadBalancer: {} }), slice('web', [{}])]),
      'pending',
      [],
      /no address/,
    ],
    [
      'address but no ready endpoint: broken',
      live([service('web', { type: 'LoadBalancer' }, {}, lbStatus('192.0.2.1')), slice('web', [{ ready: false }])]),
      'broken',
      ['192.0.2.1'],
      /0 of 1/,
    ],
  ])('%s', (_, s, status, addresses, reason) => {
    const e = one(s);
    expect(e.status).toBe(status);
    expect(e.addresses).toEqual(addresses);
    if (reason) expect(e.reason).toMatch(reason);
    else expect(e.reason).toBeUndefined();
  });

  it('source IP follows externalTrafficPolicy', () => {
    expect(one(snap([service('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })])).sourceIP).toBe(
      'preserved',
    );
    expect(one(snap([service('web', { type: 'LoadBalancer' })])).sourceIP).toBe('lost');
  });
});

describe('externalIPs', () => {
  it('lists the external IPs, ports without nodePort, no implementation', () => {
    const e = rows(
      snap([service('web', { type: 'NodePort', externalIPs: ['192.0.2.7'], ports: [{ port: 80, nodePort: 30080 }] })]),
    )[1]!;
    expect(e).toMatchObject({
      mode: 'externalip',
      implementation: null,
      addresses: ['192.0.2.7'],
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(e.service).toEqual({ namespace: 'default', name: 'web' });
  });
});

describe('row identity and order', () => {
  it('names the exposing object; namespace defaults to default', () => {
    const e = one(snap([service('web', { type: 'NodePort' }, { namespace: undefined })]));
    expect(e).toMatchObject({
      namespace: 'default',
      name: 'web',
      kind: 'Service',
      service: { namespace: 'default', name: 'web' },
    });
  });

  it('sorts by namespace, name, kind', () => {
    const s = snap([
      service('b', { type: 'NodePort' }, { namespace: 'x' }),
      service('a', { type: 'NodePort' }, { namespace: 'y' }),
      service('a', { type: 'NodePort' }, { namespace: 'x' }),
    ]);
    expect(rows(s).map((e) => `${e.namespace}/${e.name}`)).toEqual(['x/a', 'x/b', 'y/a']);
  });

  it('is deterministic whatever the input order', () => {
    const objs = [
      service('b', { type: 'NodePort' }),
      service('a', { type: 'LoadBalancer', externalIPs: ['1.1.1.1'] }),
      slice('a', [{}]),
    ];
    expect(rows(snap([...objs].reverse()))).toEqual(rows(snap(objs)));
  });
});

describe('Pods still starting', () => {
  const starting = () => {
    const p = pod('web-1', { app: 'web' }, false);
    (p.status as any).phase = 'Pending';
    return p;
  };
  const np = service('web', { type: 'NodePort' });

  it('no endpoint ready but Pods starting (from Pods): pending, not broken', () => {
    const e = one(live([np, starting()]));
    expect(e.status).toBe('pending');
    expect(e.reason).toMatch(/0 of 1 endpoints ready, 1 starting/);
  });

  it('no endpoint ready but Pods starting (slice targetRef): pending', () => {
    const sl = slice('web', [{ ready: false }]);
    (sl.endpoints as any)[0].targetRef = { kind: 'Pod', name: 'web-1', namespace: 'default' };
    expect(one(live([np, sl, starting()])).status).toBe('pending');
  });

  it('Running but not ready Pods: broken', () => {
    expect(one(live([np, pod('web-1', { app: 'web' }, false)])).status).toBe('broken');
  });
});
