// lb/no-eligible-announcer, and endpoints/local-policy-blackhole from a known announcer
// without --probe: snapshots built here, run through the registry as `diagnose` runs them.
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/model/kube-object.js';
import {
  ciliumL2,
  ciliumPool,
  diagnose,
  kubeVipDaemonSet,
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

const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';
const run = (objects: KubeObject[], check: 'lb' | 'endpoints' = 'lb') =>
  diagnose(snapshotOf(objects), { check }).filter((f) =>
    check === 'lb' ? f.code === 'lb/no-eligible-announcer' : f.code === 'endpoints/local-policy-blackhole',
  );
const lb = (spec: Record<string, unknown> = {}) =>
  service('web', { type: 'LoadBalancer', ...spec }, {}, lbStatus('198.51.100.5'));
const metallb = [pool('lan', ['198.51.100.0/28'])];

describe('lb/no-eligible-announcer', () => {
  test('every node excluded from load balancers: nothing announces (and the fix names the label)', () => {
    const found = run([...metallb, l2adv('lan'), node('solo', '192.0.2.1', { labels: { [EXCLUDE]: '' } }), lb()]);
    expect(pairs(found)).toEqual([['lb/no-eligible-announcer', 'Service default/web']]);
    expect(found[0]!.message).toMatch(/solo: it is labelled node.kubernetes.io\/exclude-from-external-load-balancers/);
    expect(found[0]!.fix).toMatch(/--ignore-exclude-lb/);
  });

  test('one node without the label may announce: no finding', () => {
    expect(
      run([
        ...metallb,
        l2adv('lan'),
        node('cp', '192.0.2.1', { labels: { [EXCLUDE]: '' } }),
        node('w', '192.0.2.2'),
        lb(),
      ]),
    ).toEqual([]);
  });

  test('Local policy: the nodes that may announce hold no ready endpoint', () => {
    const objects = (ready: string) => [
      ...metallb,
      l2adv('lan', { nodeSelectors: [{ matchLabels: { edge: 'true' } }] }),
      node('edge', '192.0.2.1', { labels: { edge: 'true' } }),
      node('w', '192.0.2.2'),
      slice('web', [{ node: ready }]),
      lb({ externalTrafficPolicy: 'Local' }),
    ];
    const found = run(objects('w'));
    expect(pairs(found)).toEqual([['lb/no-eligible-announcer', 'Service default/web']]);
    expect(found[0]!.message).toMatch(/may announce it \(edge\) run no ready endpoint, which runs on w/);
    expect(run(objects('edge'))).toEqual([]);
    // Cluster policy: any node that may announce forwards to the Pod.
    expect(run(objects('w').map((o) => (o.kind === 'Service' ? lb() : o)))).toEqual([]);
  });

  test('no ready endpoint at all is endpoints/none-ready, not this', () => {
    expect(
      run([
        ...metallb,
        l2adv('lan', { nodeSelectors: [{ matchLabels: { edge: 'true' } }] }),
        node('edge', '192.0.2.1', { labels: { edge: 'true' } }),
        node('w', '192.0.2.2'),
        slice('web', [{ node: 'w', ready: false }]),
        lb({ externalTrafficPolicy: 'Local' }),
      ]),
    ).toEqual([]);
  });

  test('a Cilium L2 policy whose nodeSelector matches no node', () => {
    const objects = (labels: Record<string, string>) => [
      ciliumPool('lan', { blocks: [{ cidr: '198.51.100.0/28' }] }),
      ciliumL2('l2', { loadBalancerIPs: true, nodeSelector: { matchLabels: { role: 'worker' } } }),
      node('w', '192.0.2.1', { labels }),
      lb(),
    ];
    expect(pairs(run(objects({ 'node-role.kubernetes.io/worker': '' })))).toEqual([
      ['lb/no-eligible-announcer', 'Service default/web'],
    ]);
    expect(run(objects({ role: 'worker' }))).toEqual([]);
  });

  test('kube-vip without svc_election on control planes only, Local Pods on workers', () => {
    const ds = kubeVipDaemonSet({ svc_enable: 'true' });
    (ds.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector = {
      'node-role.kubernetes.io/control-plane': '',
    };
    const found = run([
      ds,
      node('cp', '192.0.2.1', { labels: { 'node-role.kubernetes.io/control-plane': '' } }),
      node('w', '192.0.2.2'),
      slice('web', [{ node: 'w' }]),
      lb({ loadBalancerClass: 'kube-vip.io/kube-vip-class', externalTrafficPolicy: 'Local' }),
    ]);
    expect(pairs(found)).toEqual([['lb/no-eligible-announcer', 'Service default/web']]);
    expect(found[0]!.message).toMatch(/leader holds the address/);
  });

  test('from files without Nodes nothing is judged', () => {
    expect(run([...metallb, l2adv('lan'), lb()])).toEqual([]);
  });
});

describe('endpoints/local-policy-blackhole from a known announcer, without --probe', () => {
  test('ServiceL2Status names a node without a ready endpoint', () => {
    const objects = (announcer: string) => [
      ...metallb,
      l2adv('lan'),
      node('a', '192.0.2.1'),
      node('b', '192.0.2.2'),
      slice('web', [{ node: 'b' }]),
      serviceL2Status('web', announcer),
      lb({ externalTrafficPolicy: 'Local' }),
    ];
    const found = run(objects('a'), 'endpoints');
    expect(pairs(found)).toEqual([['endpoints/local-policy-blackhole', 'Service default/web']]);
    expect(found[0]!.message).toMatch(/\(a: 192\.0\.2\.1\)/);
    expect(run(objects('b'), 'endpoints')).toEqual([]);
  });
});
