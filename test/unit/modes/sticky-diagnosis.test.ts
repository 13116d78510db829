// --sticky in every mode, proved against the affinity check (issue 17 point 3): plan the
// exposure with the facts of a cluster that runs the user's workload, apply the plan to
// that cluster's objects as the API server would hold them afterwards (generated objects
// added, the user's Service replaced by its patched form), and diagnose the result:
// no affinity/* finding, every way the plan made is sticky, and --sticky-timeout is in
// every generated object that has a timeout.
import { describe, expect, it } from 'vitest';
import { stickinessOf, waysTo } from '../../../src/discover/affinity.js';
import { buildContext } from '../../../src/discover/context.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { type ExposeSpec, factsFromSnapshot, planExpose } from '../../../src/modes/index.js';
import { applyAsCluster, stickyTimeoutsOf } from '../../helpers/cluster-apply.js';
import {
  bgpadv,
  bgpPeer,
  diagnose,
  gateway,
  gatewayClass,
  ingressClass,
  l2adv,
  node,
  pool,
  snapshotOf,
  workload,
} from '../analyzers/helpers.js';
import { expectGolden } from './helpers.js';

const NS = 'shop';

/** The user's workload: a ClusterIP Service over a Deployment of three Pods. */
const userService: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: NS },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.0.50',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
  },
};
const userDeployment = workload(
  'Deployment',
  'web',
  { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  { namespace: NS },
);
const nodes = [1, 2, 3].map((i) =>
  node(`n${i}`, `192.0.2.${i}`, { labels: { 'kubernetes.io/hostname': `n${i}`, 'node-role/edge': 'true' } }),
);
const workloadObjects = [userService, userDeployment, ...nodes];

const metallbL2 = [pool('lb', ['203.0.113.0/28']), l2adv('lb', { ipAddressPools: ['lb'] })].map(inMetallb);
const metallbBGP = [pool('lb', ['203.0.113.0/28']), bgpadv('lb', { ipAddressPools: ['lb'] })]
  .map(inMetallb)
  .concat([{ ...bgpPeer('tor', '192.0.2.254'), metadata: { name: 'tor', namespace: 'metallb-system' } }]);
const calico: KubeObject[] = [
  workload(
    'DaemonSet',
    'calico-node',
    {
      hostNetwork: true,
      containers: [
        { name: 'calico-node', image: 'calico/node', env: [{ name: 'CALICO_NETWORKING_BACKEND', value: 'bird' }] },
      ],
    },
    { namespace: 'calico-system' },
  ),
  {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'IPPool',
    metadata: { name: 'lb-public' },
    spec: { cidr: '198.51.100.0/24', allowedUses: ['LoadBalancer'] },
  },
];
const ingressClasses = [
  ingressClass('nginx', 'k8s.io/ingress-nginx', true),
  ingressClass('traefik', 'traefik.io/ingress-controller'),
];
const gatewayClasses = [gatewayClass('eg', 'gateway.envoyproxy.io/gatewayclass-controller')];

function inMetallb(o: KubeObject): KubeObject {
  return { ...o, metadata: { ...o.metadata, namespace: 'metallb-system' } };
}

interface Case {
  name: string;
  /** The cluster around the workload (implementations, classes, pools). */
  platform: KubeObject[];
  spec: Omit<ExposeSpec, 'service' | 'sticky' | 'stickyTimeout' | 'preserveSourceIP'>;
  /** --preserve-source-ip makes sense here. */
  preserve: boolean;
  /** --sticky-timeout is honoured here (else refused: open-source nginx has no timeout). */
  timeout: boolean;
  /** What the generated ways key on. */
  key: 'client-ip' | 'cookie';
}

const CASES: Case[] = [
  {
    name: 'nodeport on one node',
    platform: [],
    spec: { mode: 'nodeport' },
    preserve: true,
    timeout: true,
    key: 'client-ip',
  },
  {
    name: 'nodeport --in-place on one node',
    platform: [],
    spec: { mode: 'nodeport', inPlace: true },
    preserve: true,
    timeout: true,
    key: 'client-ip',
  },
  {
    name: 'l2 (MetalLB)',
    platform: metallbL2,
    spec: { mode: 'l2', pool: 'lb' },
    preserve: true,
    timeout: true,
    key: 'client-ip',
  },
  {
    name: 'l2 --in-place',
    platform: metallbL2,
    spec: { mode: 'l2', pool: 'lb', inPlace: true },
    preserve: true,
    timeout: true,
    key: 'client-ip',
  },
  {
    name: 'bgp (MetalLB)',
    platform: metallbBGP,
    spec: { mode: 'bgp', pool: 'lb' },
    preserve: true,
    timeout: true,
    key: 'client-ip',
  },
  {
    name: 'bgp through Calico',
    platform: calico,
    spec: { mode: 'bgp', pool: 'lb-public' },
    preserve: true,
    timeout: true,
    key: 'client-ip',
  },
  {
    name: 'hostnetwork haproxy',
    platform: [],
    spec: { mode: 'hostnetwork', nodeSelector: { 'node-role/edge': 'true' } },
    preserve: true,
    timeout: true,
    key: 'client-ip',
  },
  {
    name: 'hostnetwork nginx',
    platform: [],
    spec: { mode: 'hostnetwork', gatewayImpl: 'nginx', nodeSelector: { 'node-role/edge': 'true' } },
    preserve: true,
    timeout: false,
    key: 'client-ip',
  },
  {
    name: 'ingress (ingress-nginx)',
    platform: ingressClasses,
    spec: { mode: 'ingress', host: 'web.example.com' },
    preserve: true,
    timeout: true,
    key: 'cookie',
  },
  {
    name: 'ingress (Traefik, --in-place)',
    platform: ingressClasses,
    spec: { mode: 'ingress', ingressClass: 'traefik', host: 'web.example.com', inPlace: true },
    preserve: true,
    timeout: true,
    key: 'cookie',
  },
  {
    name: 'gateway (Gateway API)',
    platform: gatewayClasses,
    spec: { mode: 'gateway', host: 'web.example.com' },
    preserve: true,
    timeout: true,
    key: 'cookie',
  },
];

function variants(c: Case): Array<{ label: string; stickyTimeout?: number; preserveSourceIP?: boolean }> {
  const out: Array<{ label: string; stickyTimeout?: number; preserveSourceIP?: boolean }> = [{ label: '--sticky' }];
  if (c.timeout) out.push({ label: '--sticky --sticky-timeout 900', stickyTimeout: 900 });
  if (c.preserve) {
    out.push({ label: '--sticky --preserve-source-ip', preserveSourceIP: true });
    if (c.timeout)
      out.push({
        label: '--sticky --sticky-timeout 900 --preserve-source-ip',
        stickyTimeout: 900,
        preserveSourceIP: true,
      });
  }
  return out;
}

describe('expose --sticky: the cluster after apply raises no affinity finding', () => {
  for (const c of CASES) {
    for (const v of variants(c)) {
      it(`${c.name}: ${v.label}`, () => {
        const clusterNodes = c.spec.mode === 'nodeport' ? nodes.slice(0, 1) : nodes;
        const before = [...workloadObjects.filter((o) => o.kind !== 'Node'), ...clusterNodes, ...c.platform];
        const facts = factsFromSnapshot(snapshotOf(before, 'cluster'));
        const spec = {
          service: userService,
          ...c.spec,
          sticky: true,
          ...(v.stickyTimeout !== undefined ? { stickyTimeout: v.stickyTimeout } : {}),
          ...(v.preserveSourceIP ? { preserveSourceIP: true } : {}),
        } as ExposeSpec;
        const plan = planExpose(spec, facts);
        expect(plan.problems).toEqual([]);
        // One golden per mode: the fullest variant (timeout and source IP where the mode takes them).
        if (v.preserveSourceIP && (v.stickyTimeout !== undefined || !c.timeout))
          expectGolden(
            `sticky/${c.name
              .replace(/[^a-z0-9]+/gi, '-')
              .replace(/-$/, '')
              .toLowerCase()}`,
            plan.manifests,
          );
        const after = applyAsCluster(before, plan.manifests);
        const snapshot = snapshotOf(after, 'cluster');

        expect(diagnose(snapshot, { check: 'affinity' }).map((f) => `${f.code}: ${f.message}`)).toEqual([]);

        // Sticky, not merely quiet: every way to the user's Pods (as `diagnose affinity shop/web`
        // follows them) goes through what the plan made and picks the Pod by the key.
        const made = new Set(plan.manifests.map((m) => `${m.kind}|${m.metadata.namespace ?? ''}|${m.metadata.name}`));
        const ways = waysTo(buildContext(snapshot), NS, 'web');
        expect(ways.length, 'the plan makes at least one way in').toBeGreaterThan(0);
        for (const w of ways) {
          expect(made.has(`${w.via.kind}|${w.via.namespace ?? ''}|${w.via.name}`), w.entry).toBe(true);
          expect(`${w.entry}: ${stickinessOf(w)}`).toBe(`${w.entry}: ${c.key}`);
        }

        // The timeout reaches every generated object that carries one.
        const timeouts = stickyTimeoutsOf(plan.manifests);
        if (c.timeout) {
          expect(timeouts.length, 'a generated object carries the timeout').toBeGreaterThan(0);
          expect(new Set(timeouts.map((t) => t.seconds))).toEqual(new Set([v.stickyTimeout ?? 10800]));
        } else {
          expect(timeouts).toEqual([]);
        }
      });
    }
  }
});

describe('expose --sticky refuses what cannot be sticky without a finding (exit 2, nothing written)', () => {
  const factsOf = (objects: KubeObject[]) => factsFromSnapshot(snapshotOf(objects, 'cluster'));

  it('nodeport on several nodes: per-entry-node whatever the policy; the message names the modes that work', () => {
    for (const preserveSourceIP of [false, true]) {
      const plan = planExpose(
        { service: userService, mode: 'nodeport', sticky: true, preserveSourceIP },
        factsOf(workloadObjects),
      );
      expect(plan.manifests).toEqual([]);
      expect(plan.problems).toHaveLength(1);
      expect(plan.problems[0]).toMatchObject({ field: 'sticky', code: 'affinity/per-entry-node' });
      expect(plan.problems[0]!.message).toContain('the nodePort opens on all 3 nodes (n1, n2, n3)');
      for (const mode of ['l2', 'hostnetwork', 'ingress', 'gateway'])
        expect(plan.problems[0]!.message).toContain(`--mode ${mode}`);
    }
    // What the refusal prevents: the same Service applied anyway is the finding.
    const forced = planExpose(
      { service: userService, mode: 'nodeport', sticky: true },
      factsOf([userService, nodes[0]!]),
    );
    const after = applyAsCluster(workloadObjects, forced.manifests);
    expect(diagnose(snapshotOf(after, 'cluster'), { check: 'affinity' }).map((f) => f.code)).toEqual([
      'affinity/per-entry-node',
    ]);
  });

  it('nodeport without node facts (--dry-run=client -f): generated, with a note that several nodes are refused', () => {
    const plan = planExpose({ service: userService, mode: 'nodeport', sticky: true }, {});
    expect(plan.problems).toEqual([]);
    expect(plan.notes.join('\n')).toContain('with more than one node, --sticky in mode nodeport is refused');
  });

  it("gateway on Traefik's class: session-persistence-ignored, new or existing Gateway; the message names Traefik's own cookie", () => {
    const traefik = gatewayClass('lab', 'traefik.io/gateway-controller');
    const existing = gateway('public', {
      gatewayClassName: 'lab',
      listeners: [{ name: 'web', protocol: 'HTTP', port: 8000, allowedRoutes: { namespaces: { from: 'All' } } }],
    });
    for (const spec of [
      { mode: 'gateway', host: 'web.example.com', sticky: true },
      { mode: 'gateway', host: 'web.example.com', sticky: true, gatewayClass: 'lab' },
      { mode: 'gateway', host: 'web.example.com', sticky: true, gateway: 'default/public' },
    ] as const) {
      const plan = planExpose({ service: userService, ...spec }, factsOf([...workloadObjects, traefik, existing]));
      expect(plan.manifests).toEqual([]);
      expect(plan.problems).toHaveLength(1);
      expect(plan.problems[0]).toMatchObject({ field: 'sticky', code: 'affinity/session-persistence-ignored' });
      expect(plan.problems[0]!.message).toContain('Traefik (controllerName traefik.io/gateway-controller)');
      expect(plan.problems[0]!.message).toContain('traefik/traefik#11243');
      expect(plan.problems[0]!.message).toContain('--mode ingress --sticky --in-place');
      expect(plan.problems[0]!.message).toContain('TraefikService');
    }
    // Without --sticky the same Gateway is fine.
    expect(
      planExpose(
        { service: userService, mode: 'gateway', host: 'web.example.com' },
        factsOf([...workloadObjects, traefik]),
      ).problems,
    ).toEqual([]);
    // What the refusal prevents: the route generated without class facts, applied to Traefik, is the finding.
    const forced = planExpose(
      { service: userService, mode: 'gateway', host: 'web.example.com', sticky: true, gatewayClass: 'lab' },
      {},
    );
    expect(forced.problems).toEqual([]);
    expect(forced.notes.join('\n')).toContain('support varies by implementation');
    const after = applyAsCluster([...workloadObjects, traefik], forced.manifests);
    expect(diagnose(snapshotOf(after, 'cluster'), { check: 'affinity' }).map((f) => f.code)).toEqual([
      'affinity/session-persistence-ignored',
    ]);
    const ways = waysTo(buildContext(snapshotOf(after, 'cluster')), NS, 'web');
    expect(ways.map(stickinessOf)).toEqual(['broken']);
  });

  it('gateway on a controller not known to ignore sessionPersistence: generated as before, with the note', () => {
    const plan = planExpose(
      { service: userService, mode: 'gateway', host: 'web.example.com', sticky: true },
      factsOf([...workloadObjects, gatewayClass('other', 'example.com/gateway-controller')]),
    );
    expect(plan.problems).toEqual([]);
    expect(plan.manifests.map((m) => m.kind)).toEqual(['Gateway', 'HTTPRoute']);
    expect(plan.notes.join('\n')).toContain('support varies by implementation');
  });

  it('hostnetwork nginx: --sticky-timeout is refused (open-source nginx hashes, it keeps no table)', () => {
    const plan = planExpose(
      { service: userService, mode: 'hostnetwork', gatewayImpl: 'nginx', sticky: true, stickyTimeout: 900 },
      factsOf(workloadObjects),
    );
    expect(plan.problems.map((p) => p.field)).toEqual(['stickyTimeout']);
    expect(plan.problems[0]!.message).toContain('open-source nginx has no sticky timeout');
  });
});

describe("the user's Service already has ClientIP affinity: what expose can and cannot change", () => {
  const clientIPService: KubeObject = {
    ...userService,
    spec: { ...userService.spec, sessionAffinity: 'ClientIP' },
  };
  const run = (spec: Omit<ExposeSpec, 'service'>, platform: KubeObject[]) => {
    const before = [clientIPService, userDeployment, ...nodes, ...platform];
    const plan = planExpose(
      { service: clientIPService, ...spec } as ExposeSpec,
      factsFromSnapshot(snapshotOf(before, 'cluster')),
    );
    expect(plan.problems).toEqual([]);
    const findings = diagnose(snapshotOf(applyAsCluster(before, plan.manifests), 'cluster'), { check: 'affinity' });
    return { notes: plan.notes.join('\n'), codes: findings.map((f) => f.code) };
  };

  it('ingress and gateway --sticky: the cookie is set; the bypassed Service affinity is the one finding, and a note names it first', () => {
    for (const [spec, platform] of [
      [{ mode: 'ingress', host: 'web.example.com', sticky: true }, ingressClasses],
      [{ mode: 'gateway', host: 'web.example.com', sticky: true }, gatewayClasses],
    ] as const) {
      const r = run(spec, platform);
      expect(r.codes).toEqual(['affinity/bypassed-by-proxy']);
      expect(r.notes).toContain('has sessionAffinity ClientIP');
      expect(r.notes).toContain('affinity/bypassed-by-proxy');
      expect(r.notes).toContain('sessionAffinity None on the Service removes the finding');
    }
  });

  it('hostnetwork: --sticky goes around the Service (headless, no finding); without it a note warns of client-ip-hidden', () => {
    const edge = { nodeSelector: { 'node-role/edge': 'true' } };
    const sticky = run({ mode: 'hostnetwork', sticky: true, ...edge }, []);
    expect(sticky.codes).toEqual([]);
    expect(sticky.notes).not.toContain('has sessionAffinity ClientIP');
    const plain = run({ mode: 'hostnetwork', ...edge }, []);
    expect(plain.codes).toEqual(['affinity/client-ip-hidden']);
    expect(plain.notes).toContain('affinity/client-ip-hidden');
  });
});

describe('diagnose affinity SERVICE follows the ways to its Pods', () => {
  it("through a Service of the same selector in the namespace (what expose creates), not through another app's", () => {
    const lb = (name: string, selector: Record<string, string>, namespace = NS): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { type: 'NodePort', selector, ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] },
    });
    const ctx = buildContext(
      snapshotOf(
        [
          userService,
          lb('web-nodeport', { app: 'web' }),
          lb('api-nodeport', { app: 'api' }),
          lb('web-nodeport', { app: 'web' }, 'other'),
          nodes[0]!,
        ],
        'cluster',
      ),
    );
    expect(waysTo(ctx, NS, 'web').map((w) => `${w.via.namespace}/${w.via.name}`)).toEqual(['shop/web-nodeport']);
  });
});
