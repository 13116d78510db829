// What the implementations write about their announcements, read as typed facts
// (src/discover/metallb-status.ts, cilium-l2-lease.ts, cilium-bgp-status.ts), the announcer
// they make known, and the findings that quote them (src/analyzers/lb-status.ts).
import { describe, expect, test } from 'vitest';
import { runAnalyzers } from '../../../src/analyzers/registry.js';
import { announcerEligibility } from '../../../src/discover/announcer-eligibility.js';
import { reportedAnnouncer } from '../../../src/discover/announcers.js';
import { ciliumBgpPeerStates, peerDown } from '../../../src/discover/cilium-bgp-status.js';
import { ciliumL2Lease, ciliumL2LeaseName } from '../../../src/discover/cilium-l2-lease.js';
import { buildContext } from '../../../src/discover/context.js';
import { serviceEndpoints } from '../../../src/discover/endpoints.js';
import { serviceBgpStatuses, serviceL2Statuses } from '../../../src/discover/metallb-status.js';
import { receivingNodesOf } from '../../../src/discover/receiving-nodes.js';
import type { KubeObject as Obj } from '../../../src/model/kube-object.js';
import { l2Hops } from '../../../src/topology/hops.js';
import {
  ciliumL2,
  ciliumPool,
  l2adv,
  lbStatus,
  node,
  pool,
  service,
  slice,
  snap,
  workload,
} from '../../helpers/builders.js';

const clock = { now: () => new Date('2026-12-07T12:00:00Z') };
const lb = (spec: Record<string, unknown> = {}) =>
  service('web', { type: 'LoadBalancer', ...spec }, {}, lbStatus('198.51.100.5'));
const custom = (apiVersion: string, kind: string, name: string, namespace: string | undefined, rest: object): Obj =>
  ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...rest }) as Obj;
const lease = (svc: string, holder: string) =>
  custom('coordination.k8s.io/v1', 'Lease', `cilium-l2announce-default-${svc}`, 'kube-system', {
    spec: { holderIdentity: holder, leaseDurationSeconds: 15 },
  });
const ciliumAgent = (tag: string) =>
  workload(
    'DaemonSet',
    'cilium',
    { containers: [{ name: 'cilium-agent', image: `quay.io/cilium/cilium:${tag}` }] },
    {
      namespace: 'kube-system',
    },
  );
const ciliumBase = [
  ciliumPool('lan', { blocks: [{ cidr: '198.51.100.0/28' }] }),
  ciliumL2('lan', { loadBalancerIPs: true, nodeSelector: { matchLabels: { edge: 'true' } } }),
  node('a', '192.0.2.1', { labels: { edge: 'true' } }),
  node('b', '192.0.2.2', { labels: { edge: 'true' } }),
  node('c', '192.0.2.3'),
];

function read(objects: Obj[]) {
  const ctx = buildContext(snap(objects));
  return { ctx, svc: ctx.snapshot.services[0]! };
}
const findings = (objects: Obj[]) => {
  const s = snap(objects);
  return runAnalyzers({ snapshot: s, ctx: buildContext(s), probes: {} }, clock).findings;
};

describe('MetalLB statuses', () => {
  test('ServiceL2Status: node and interfaces from status, or from the labels the speaker sets', () => {
    const byStatus = custom('metallb.io/v1beta1', 'ServiceL2Status', 'l2-abc', 'metallb-system', {
      status: { node: 'a', serviceName: 'web', serviceNamespace: 'default', interfaces: [{ name: 'eth1' }] },
    });
    const byLabels = custom('metallb.io/v1beta1', 'ServiceL2Status', 'l2-def', 'metallb-system', {
      metadata: {
        name: 'l2-def',
        namespace: 'metallb-system',
        labels: { 'metallb.io/node': 'b', 'metallb.io/service-name': 'web', 'metallb.io/service-namespace': 'default' },
      },
    });
    const { ctx, svc } = read([lb(), byStatus, byLabels]);
    expect(serviceL2Statuses(ctx, svc).map((s) => [s.ref, s.node, s.interfaces])).toEqual([
      ['ServiceL2Status metallb-system/l2-abc', 'a', ['eth1']],
      ['ServiceL2Status metallb-system/l2-def', 'b', []],
    ]);
    expect(reportedAnnouncer(ctx, svc)).toMatchObject({ node: 'a', interfaces: ['eth1'] });
  });

  test('ServiceBGPStatus: the peers per announcing node', () => {
    const st = custom('metallb.io/v1beta1', 'ServiceBGPStatus', 'bgp-1', 'metallb-system', {
      status: { node: 'a', serviceName: 'web', serviceNamespace: 'default', peers: ['tor'] },
    });
    const { ctx, svc } = read([lb(), st]);
    expect(serviceBgpStatuses(ctx, svc)).toMatchObject([{ node: 'a', peers: ['tor'] }]);
  });

  test('L2Advertisement interfaces are told when the input cannot show the nodes have them', () => {
    const { e } = (() => {
      const r = read([
        pool('lan', ['198.51.100.0/28']),
        l2adv('lan', { interfaces: ['eth1'] }),
        node('a', '192.0.2.1'),
        lb(),
      ]);
      return { e: announcerEligibility(r.ctx, r.svc) };
    })();
    expect(e.notes.join(' ')).toMatch(/only on interface eth1: an elected node without it cannot announce/);
  });

  test('lb/announcer-not-eligible quotes a ServiceL2Status naming a node the nodeSelectors exclude; lb/no-eligible-announcer cites it', () => {
    const st = custom('metallb.io/v1beta1', 'ServiceL2Status', 'l2-abc', 'metallb-system', {
      status: { node: 'c', serviceName: 'web', serviceNamespace: 'default' },
    });
    const base = [
      pool('lan', ['198.51.100.0/28']),
      node('a', '192.0.2.1', { labels: { edge: 'true' } }),
      node('c', '192.0.2.3'),
      st,
    ];
    const stale = findings([...base, l2adv('lan', { nodeSelectors: [{ matchLabels: { edge: 'true' } }] }), lb()]);
    const f = stale.find((x) => x.code === 'lb/announcer-not-eligible');
    expect(f?.message).toMatch(
      /^ServiceL2Status metallb-system\/l2-abc names c as the node announcing address 198\.51\.100\.5 .* the nodeSelectors of L2Advertisement/,
    );
    const none = findings([...base, l2adv('lan', { nodeSelectors: [{ matchLabels: { edge: 'nowhere' } }] }), lb()]);
    expect(none.map((x) => x.code)).not.toContain('lb/announcer-not-eligible');
    expect(none.find((x) => x.code === 'lb/no-eligible-announcer')?.message).toContain(
      'ServiceL2Status metallb-system/l2-abc names c as announcer.',
    );
  });
});

describe("Cilium's L2 announce Lease", () => {
  test('the Lease is named after the Service and its holder is the announcer', () => {
    const { ctx, svc } = read([...ciliumBase, lb(), lease('web', 'b')]);
    expect(ciliumL2LeaseName(svc)).toBe('cilium-l2announce-default-web');
    expect(ciliumL2Lease(ctx, svc)).toMatchObject({
      ref: 'Lease kube-system/cilium-l2announce-default-web',
      holder: 'b',
    });
    expect(reportedAnnouncer(ctx, svc)).toMatchObject({ implementation: 'cilium', node: 'b' });
    expect(l2Hops(ctx, svc, serviceEndpoints(ctx, svc))).toEqual([{ node: 'b' }]);
  });

  test('a Lease held by a node the policy does not select is not drawn, and is reported', () => {
    const objects = [...ciliumBase, lb(), lease('web', 'c')];
    const { ctx, svc } = read(objects);
    expect(l2Hops(ctx, svc, serviceEndpoints(ctx, svc))[0]).toMatchObject({ detail: 'one elected among a, b' });
    const f = findings(objects).find((x) => x.code === 'lb/announcer-not-eligible');
    expect(f?.message).toMatch(/^Lease kube-system\/cilium-l2announce-default-web \(holderIdentity\) names c /);
    expect(f?.fix).toContain('kubectl -n kube-system delete lease cilium-l2announce-default-web');
  });

  test('before 1.20.2 the announcer ignores Local: any selected node receives, and the holder without a Pod drops', () => {
    const local = lb({ externalTrafficPolicy: 'Local', selector: { app: 'web' } });
    const old = read([...ciliumBase, ciliumAgent('v1.14.1'), local, slice('web', [{ node: 'a' }])]);
    expect(announcerEligibility(old.ctx, old.svc).followsLocal).toBe(false);
    expect(receivingNodesOf(old.ctx, old.svc).nodes.map((n) => n.metadata.name)).toEqual(['a', 'b']);
    const current = read([...ciliumBase, ciliumAgent('v1.20.2'), local, slice('web', [{ node: 'a' }])]);
    expect(receivingNodesOf(current.ctx, current.svc).nodes.map((n) => n.metadata.name)).toEqual(['a']);
    const f = findings([
      ...ciliumBase,
      ciliumAgent('v1.14.1'),
      local,
      slice('web', [{ node: 'a' }]),
      lease('web', 'b'),
    ]).find((x) => x.code === 'endpoints/local-policy-blackhole');
    expect(f?.message).toContain(
      'Lease kube-system/cilium-l2announce-default-web (holderIdentity) names the announcing node',
    );
  });
});

describe("Cilium's BGP node status", () => {
  const nodeConfig = (state: string) =>
    custom('cilium.io/v2', 'CiliumBGPNodeConfig', 'a', undefined, {
      status: {
        bgpInstances: [
          {
            name: 'home',
            localASN: 64513,
            peers: [{ name: 'router', peerAddress: '10.0.0.1', peerASN: 64514, peeringState: state }],
          },
        ],
      },
    });

  test('each peer with its reported state; only a reported state other than established is down', () => {
    const { ctx } = read([nodeConfig('active')]);
    const [p] = ciliumBgpPeerStates(ctx);
    expect(p).toMatchObject({
      node: 'a',
      instance: 'home',
      peer: 'router',
      peerAddress: '10.0.0.1',
      peeringState: 'active',
    });
    expect(peerDown(p!)).toBe(true);
    expect(peerDown({ ...p!, peeringState: undefined })).toBe(false);
  });

  test('bgp/peer-not-established quotes the state; an established session gives nothing', () => {
    const f = findings([nodeConfig('active')]).filter((x) => x.code === 'bgp/peer-not-established');
    expect(f).toHaveLength(1);
    expect(f[0]!.subject).toEqual({ kind: 'CiliumBGPNodeConfig', namespace: null, name: 'a' });
    expect(f[0]!.message).toContain('peer router (10.0.0.1, AS 64514) as active, not established');
    expect(findings([nodeConfig('established')]).map((x) => x.code)).not.toContain('bgp/peer-not-established');
  });
});
