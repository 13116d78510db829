// Which nodes may announce a LoadBalancer address (src/discover/announcer-eligibility.ts),
// one implementation rule per test, and the readers that must agree with it.
import { describe, expect, test } from 'vitest';
import { announcerEligibility } from '../../../src/discover/announcer-eligibility.js';
import { buildContext } from '../../../src/discover/context.js';
import { serviceEndpoints } from '../../../src/discover/endpoints.js';
import { imageVersion } from '../../../src/discover/image-version.js';
import { discoverExposures } from '../../../src/discover/index.js';
import { receivingNodesOf } from '../../../src/discover/receiving-nodes.js';
import type { KubeObject as Obj } from '../../../src/model/kube-object.js';
import { l2Hops } from '../../../src/topology/hops.js';
import {
  bgpadv,
  ciliumL2,
  ciliumPool,
  kubeVipDaemonSet,
  l2adv,
  lbStatus,
  node,
  pool,
  service,
  slice,
  snap,
  workload,
} from '../../helpers/builders.js';
import { bgpPeer, serviceL2Status } from '../analyzers/helpers.js';

const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';
const lb = (spec: Record<string, unknown> = {}) =>
  service('web', { type: 'LoadBalancer', ...spec }, {}, lbStatus('198.51.100.5'));
const speaker = (image: string, args: string[] = [], podSpec: Record<string, unknown> = {}) =>
  workload(
    'DaemonSet',
    'speaker',
    { containers: [{ name: 'speaker', image, args }], ...podSpec },
    { namespace: 'metallb-system' },
  );

function eligibility(objects: Obj[]) {
  const ctx = buildContext(snap(objects));
  const svc = ctx.snapshot.services[0]!;
  return { ctx, svc, e: announcerEligibility(ctx, svc) };
}

describe('MetalLB', () => {
  const base = [pool('lan', ['198.51.100.0/28'])];

  test('an L2Advertisement without nodeSelectors lets every node announce', () => {
    const { e } = eligibility([...base, l2adv('lan'), node('a', '192.0.2.1'), node('b', '192.0.2.2'), lb()]);
    expect(e).toMatchObject({ implementation: 'metallb', known: true, eligible: ['a', 'b'], excluded: [] });
  });

  test('nodeSelectors keep only the nodes they select', () => {
    const { e } = eligibility([
      ...base,
      l2adv('lan', { nodeSelectors: [{ matchLabels: { edge: 'true' } }] }),
      node('a', '192.0.2.1', { labels: { edge: 'true' } }),
      node('b', '192.0.2.2'),
      lb(),
    ]);
    expect(e.eligible).toEqual(['a']);
    expect(e.excluded).toEqual([{ node: 'b', why: expect.stringContaining('nodeSelectors of L2Advertisement') }]);
  });

  test('exclude-from-external-load-balancers counts from 0.14.0 on, and not with --ignore-exclude-lb', () => {
    const nodes = [node('cp', '192.0.2.1', { labels: { [EXCLUDE]: '' } }), node('w', '192.0.2.2')];
    const run = (s: Obj) => eligibility([...base, l2adv('lan'), ...nodes, s, lb()]).e.eligible;
    expect(run(speaker('quay.io/metallb/speaker:v0.14.2'))).toEqual(['w']);
    expect(run(speaker('quay.io/metallb/speaker:v0.13.12'))).toEqual(['cp', 'w']);
    expect(run(speaker('quay.io/metallb/speaker:v0.14.5', ['--ignore-exclude-lb']))).toEqual(['cp', 'w']);
    // Without the speaker's image, the current behaviour, said in a note.
    const { e } = eligibility([...base, l2adv('lan'), ...nodes, lb()]);
    expect(e.eligible).toEqual(['w']);
    expect(e.notes.join(' ')).toMatch(/version not in the input/);
  });

  test('nodes the speaker DaemonSet cannot run on (an untolerated taint) may not announce', () => {
    const tainted = node('cp', '192.0.2.1');
    (tainted as { spec?: unknown }).spec = {
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    };
    const { e } = eligibility([
      ...base,
      l2adv('lan'),
      tainted,
      node('w', '192.0.2.2'),
      speaker('quay.io/metallb/speaker:v0.15.3'),
      lb(),
    ]);
    expect(e.eligible).toEqual(['w']);
    expect(e.excluded[0]!.why).toMatch(/no MetalLB speaker runs there/);
  });

  test("a speaker's kubernetes.io/os nodeSelector does not exclude hand-written Nodes without kubelet labels", () => {
    const { e } = eligibility([
      ...base,
      l2adv('lan'),
      node('a', '192.0.2.1'),
      speaker('quay.io/metallb/speaker:v0.15.3', [], { nodeSelector: { 'kubernetes.io/os': 'linux' } }),
      lb(),
    ]);
    expect(e.eligible).toEqual(['a']);
  });

  test('L2Advertisement serviceSelectors that do not match the Service leave no advertisement (not judged)', () => {
    const { e } = eligibility([
      ...base,
      l2adv('lan', { serviceSelectors: [{ matchLabels: { tier: 'edge' } }] }),
      node('a', '192.0.2.1'),
      lb(),
    ]);
    expect(e.known).toBe(false);
  });

  test('BGP: a node no BGPPeer selects has no session to announce over', () => {
    const peer = bgpPeer('tor', '192.0.2.254');
    peer.spec!.nodeSelectors = [{ matchLabels: { rack: 'r1' } }];
    const { e } = eligibility([
      ...base,
      bgpadv('lan'),
      peer,
      node('a', '192.0.2.1', { labels: { rack: 'r1' } }),
      node('b', '192.0.2.2'),
      lb(),
    ]);
    expect(e.eligible).toEqual(['a']);
    expect(e.excluded).toEqual([{ node: 'b', why: expect.stringContaining('no BGPPeer selects it') }]);
  });

  test("list's status says the address is not announced (the same verdict as lb/no-eligible-announcer)", () => {
    const objects = [...base, l2adv('lan'), node('solo', '192.0.2.1', { labels: { [EXCLUDE]: '' } }), lb()];
    const row = discoverExposures(snap(objects)).find((x) => x.kind === 'Service');
    expect(row).toMatchObject({
      status: 'broken',
      reason: expect.stringContaining('no node may announce the address'),
    });
  });

  test('without Nodes in the input nothing is known', () => {
    expect(eligibility([...base, l2adv('lan'), lb()]).e.known).toBe(false);
  });
});

describe('Cilium and kube-vip', () => {
  test("a CiliumL2AnnouncementPolicy's nodeSelector decides", () => {
    const { e } = eligibility([
      ciliumPool('lan', { blocks: [{ cidr: '198.51.100.0/28' }] }),
      ciliumL2('workers', {
        loadBalancerIPs: true,
        nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' } },
      }),
      node('cp', '192.0.2.1'),
      node('w', '192.0.2.2', { labels: { 'node-role.kubernetes.io/worker': '' } }),
      lb(),
    ]);
    expect(e).toMatchObject({ implementation: 'cilium', eligible: ['w'] });
  });

  test('kube-vip announces from the nodes its DaemonSet runs on; svc_election makes it follow Local', () => {
    const ds = kubeVipDaemonSet({ svc_enable: 'true' });
    (ds.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector = {
      'node-role.kubernetes.io/control-plane': '',
    };
    const { e } = eligibility([
      ds,
      node('cp', '192.0.2.1', { labels: { 'node-role.kubernetes.io/control-plane': '' } }),
      node('w', '192.0.2.2'),
      lb({ loadBalancerClass: 'kube-vip.io/kube-vip-class' }),
    ]);
    expect(e).toMatchObject({ implementation: 'kube-vip', eligible: ['cp'], followsLocal: false });
  });
});

describe('readers agree: receiving nodes and topology name only eligible nodes', () => {
  const objects = [
    pool('lan', ['198.51.100.0/28']),
    l2adv('lan', { nodeSelectors: [{ matchLabels: { edge: 'true' } }] }),
    node('a', '192.0.2.1', { labels: { edge: 'true' } }),
    node('b', '192.0.2.2'),
    slice('web', [{ node: 'a' }, { node: 'b' }]),
  ];

  test('Local: the nodes with a ready endpoint among those that may announce', () => {
    const { ctx, svc } = eligibility([...objects, lb({ externalTrafficPolicy: 'Local' })]);
    expect(receivingNodesOf(ctx, svc).nodes.map((n) => n.metadata.name)).toEqual(['a']);
    expect(l2Hops(ctx, svc, serviceEndpoints(ctx, svc))[0]!.detail).toBe('one elected among a');
  });

  test('a ServiceL2Status naming a node that may not announce (stale) is not drawn as the announcer', () => {
    const { ctx, svc } = eligibility([...objects, serviceL2Status('web', 'b'), lb()]);
    const hops = l2Hops(ctx, svc, serviceEndpoints(ctx, svc));
    expect(hops.map((h) => h.node)).not.toContain('b');
    expect(hops[0]!.detail).toBe('one elected among a');
  });

  test('Cluster: every node that may announce', () => {
    const { ctx, svc } = eligibility([...objects, lb()]);
    expect(receivingNodesOf(ctx, svc).nodes.map((n) => n.metadata.name)).toEqual(['a']);
  });
});

test('imageVersion reads tags with or without v and digests', () => {
  expect(imageVersion('quay.io/metallb/speaker:v0.14.2')).toEqual([0, 14, 2]);
  expect(imageVersion('metallb/speaker:0.13')).toEqual([0, 13, 0]);
  expect(imageVersion('quay.io/metallb/speaker@sha256:abc')).toBeUndefined();
});
