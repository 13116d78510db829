import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { live, node, pod, snap, workload } from '../../helpers/builders.js';

const container = (image: string, ports: unknown[]) => ({ name: 'c', image, ports });
const rows = (objs: KubeObject[], source: 'files' | 'cluster' = 'files') => discoverExposures(snap(objs, source));

describe('hostNetwork and hostPort workloads', () => {
  it.each([
    [
      'DaemonSet hostNetwork: every container port',
      'DaemonSet',
      {
        hostNetwork: true,
        containers: [container('quay.io/jcmoraisjr/haproxy-ingress', [{ containerPort: 80 }, { containerPort: 443 }])],
      },
      'hostnetwork',
      [80, 443],
      'haproxy',
    ],
    [
      'Deployment with hostPort: only the host ports',
      'Deployment',
      {
        containers: [
          container('registry.k8s.io/ingress-nginx/controller:v1.15.1', [
            { containerPort: 80, hostPort: 80 },
            { containerPort: 8443 },
          ]),
        ],
      },
      'hostport',
      [80],
      'ingress-nginx',
    ],
    [
      'StatefulSet hostPort mapping',
      'StatefulSet',
      { containers: [container('example/app', [{ containerPort: 8080, hostPort: 18080, protocol: 'UDP' }])] },
      'hostport',
      [18080],
      null,
    ],
    [
      'hostNetwork wins over hostPort',
      'DaemonSet',
      { hostNetwork: true, containers: [container('traefik:v3', [{ containerPort: 80, hostPort: 80 }])] },
      'hostnetwork',
      [80],
      'traefik',
    ],
  ])('%s', (_, kind, podSpec, mode, ports, implementation) => {
    const [e] = rows([workload(kind as 'DaemonSet', 'gw', podSpec)]);
    expect(e).toMatchObject({ kind, mode, implementation, sourceIP: 'preserved', service: null });
    expect(e!.ports.map((p) => p.port)).toEqual(ports);
  });

  it('hostPort ports carry protocol and targetPort', () => {
    const [e] = rows([
      workload('Deployment', 'gw', {
        containers: [container('x', [{ containerPort: 8080, hostPort: 18080, protocol: 'UDP' }])],
      }),
    ]);
    expect(e!.ports).toEqual([{ port: 18080, protocol: 'UDP', targetPort: 8080 }]);
  });

  it.each([
    ['no hostNetwork, no hostPort', { containers: [container('x', [{ containerPort: 80 }])] }],
    [
      'hostNetwork without declared ports (e.g. kube-vip, CNI agents)',
      { hostNetwork: true, containers: [{ name: 'kube-vip', image: 'ghcr.io/kube-vip/kube-vip' }] },
    ],
  ])('not an exposure: %s', (_, podSpec) => {
    expect(rows([workload('DaemonSet', 'x', podSpec)])).toEqual([]);
  });

  it('addresses: the nodes its nodeSelector matches (when nodes are known)', () => {
    const ds = workload('DaemonSet', 'gw', {
      hostNetwork: true,
      nodeSelector: { role: 'edge' },
      containers: [container('haproxy', [{ containerPort: 80 }])],
    });
    const [e] = rows([
      ds,
      node('a', '10.0.0.1', { labels: { role: 'edge' } }),
      node('b', '10.0.0.2'),
      node('c', '10.0.0.3', { labels: { role: 'edge' }, external: '203.0.113.3' }),
    ]);
    expect(e!.addresses).toEqual(['10.0.0.1', '203.0.113.3']);
  });

  it('a nodeSelector that matches no node is broken', () => {
    const ds = workload('DaemonSet', 'gw', {
      hostNetwork: true,
      nodeSelector: { role: 'edge' },
      containers: [container('haproxy', [{ containerPort: 80 }])],
    });
    const [e] = rows([ds, node('a', '10.0.0.1')]);
    expect(e!.status).toBe('broken');
    expect(e!.reason).toMatch(/nodeSelector .* matches no Node/);
  });

  it('addresses: the nodes its Pods run on, when the Pods are known', () => {
    const ds = workload('DaemonSet', 'gw', {
      hostNetwork: true,
      containers: [container('haproxy', [{ containerPort: 80 }])],
    });
    const [e] = rows([ds, node('a', '10.0.0.1'), node('b', '10.0.0.2'), pod('gw-x', { app: 'gw' }, true, 'b')]);
    expect(e!.addresses).toEqual(['10.0.0.2']);
    expect(e!.endpoints).toEqual({ ready: 1, total: 1 });
    expect(e!.status).toBe('ready');
  });

  it('files without nodes: no addresses; without status: unknown', () => {
    const [e] = rows([
      workload('DaemonSet', 'gw', { hostNetwork: true, containers: [container('haproxy', [{ containerPort: 80 }])] }),
    ]);
    expect(e!.addresses).toEqual([]);
    expect(e!.endpoints).toBeNull();
    expect(e!.status).toBe('unknown');
  });

  it('status counters: some Pods not ready -> degraded', () => {
    const ds = workload(
      'DaemonSet',
      'gw',
      { hostNetwork: true, containers: [container('haproxy', [{ containerPort: 80 }])] },
      {},
      { desiredNumberScheduled: 3, numberReady: 2 },
    );
    const [e] = discoverExposures(live([ds, node('a', '10.0.0.1')]));
    expect(e!.endpoints).toEqual({ ready: 2, total: 3 });
    expect(e!.status).toBe('degraded');
  });
});

describe('which nodes a host-network gateway can run on', () => {
  const withSpec = (n: KubeObject, spec: Record<string, unknown>) => ({ ...n, spec }) as KubeObject;
  const cp = withSpec(node('cp', '10.0.0.1', { labels: { 'node-role.kubernetes.io/control-plane': '' } }), {
    taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
  });
  const w1 = node('w1', '10.0.0.2', { labels: { zone: 'a' } });
  const w2 = node('w2', '10.0.0.3', { labels: { zone: 'b' } });
  const cordoned = withSpec(node('w3', '10.0.0.4', { labels: { zone: 'a' } }), { unschedulable: true });
  const gw = (kind: 'DaemonSet' | 'Deployment', extra: Record<string, unknown> = {}) =>
    workload(kind, 'gw', { hostNetwork: true, containers: [container('haproxy', [{ containerPort: 80 }])], ...extra });
  const addrs = (objs: KubeObject[]) => rows(objs)[0]!.addresses;

  it.each([
    ['untolerated NoSchedule taint excludes the control plane', gw('DaemonSet'), ['10.0.0.2', '10.0.0.3', '10.0.0.4']],
    [
      'a toleration (Exists) lets it on',
      gw('DaemonSet', {
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      }),
      ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'],
    ],
    [
      'tolerate everything',
      gw('DaemonSet', { tolerations: [{ operator: 'Exists' }] }),
      ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'],
    ],
    [
      'required node affinity',
      gw('DaemonSet', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }],
            },
          },
        },
      }),
      ['10.0.0.3'],
    ],
    ['a Deployment does not go to cordoned nodes', gw('Deployment'), ['10.0.0.2', '10.0.0.3']],
  ])('%s', (_, w, expected) => {
    expect(addrs([w, cp, w1, w2, cordoned])).toEqual(expected);
  });

  it('says why no node fits', () => {
    const [e] = rows([gw('DaemonSet'), cp]);
    expect(e!.status).toBe('broken');
    expect(e!.reason).toMatch(/taint node-role.kubernetes.io\/control-plane:NoSchedule not tolerated/);
  });
});
