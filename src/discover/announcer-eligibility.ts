// Which nodes may announce a LoadBalancer Service's address, as the implementation's own
// configuration decides it. Built once per Service; receiving-nodes.ts, the topology's
// hops, the lb/no-eligible-announcer analyzer and describe read it (they cannot disagree).
// Pure.
//
// As each implementation decides (MetalLB speaker/layer2_controller.go and
// bgp_controller.go; Cilium's L2 announcer; kube-vip's service manager):
// - MetalLB: a speaker announces a Service's address from its node when an
//   L2Advertisement (BGPAdvertisement for BGP) that announces the Service's pool (and, for
//   L2, whose serviceSelectors match the Service) selects the node with its nodeSelectors
//   (none = every node); not from a node labelled
//   node.kubernetes.io/exclude-from-external-load-balancers (MetalLB >= 0.14.0, unless the
//   speaker runs with --ignore-exclude-lb), nor from one whose NetworkUnavailable condition
//   is True, nor from a node the speaker DaemonSet cannot run on.
// - Cilium L2: a CiliumL2AnnouncementPolicy that selects the Service (loadBalancerIPs,
//   serviceSelector) selects the node with its nodeSelector (none = every node), and the
//   cilium agent runs there.
// - kube-vip: the nodes its DaemonSet (or static Pods) runs on.
// All three then announce a Local Service only from the nodes with a ready endpoint
// (kube-vip only with svc_election; without it its one leader holds every address).
import type { Node, Service, Workload } from '../model/snapshot.js';
import {
  arr,
  type DiscoveryContext,
  defineFacts,
  labelsOf,
  nameOf,
  podSpecOf,
  rec,
  specOf,
  statusOf,
  str,
} from './context.js';
import { endpointsByNode } from './endpoints-per-node.js';
import { schedulableNodes } from './host-exposures.js';
import { imageVersion, versionAtLeast } from './image-version.js';
import { ciliumServiceLabels, classifyLoadBalancer } from './implementation.js';
import { type AdvertisementFact, advertisementSelectsPool, metallbFacts } from './metallb.js';
import { serviceL2Statuses } from './metallb-status.js';
import { labelSelectorMatches } from './selectors.js';
import { serviceFact } from './services.js';
import { flagValue, workloadFactOf } from './workload-facts.js';

export const EXCLUDE_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

export interface ExcludedNode {
  node: string;
  /** Why this node may not announce the address (one clause, e.g. "no L2Advertisement ... selects it"). */
  why: string;
}

export interface AnnouncerEligibility {
  implementation: 'metallb' | 'cilium' | 'kube-vip' | null;
  /** False when the snapshot does not say (no Nodes, no implementation, no advertisement/policy in the input). */
  known: boolean;
  /** The nodes that may announce the address by configuration, sorted (before the Local endpoint rule). */
  eligible: string[];
  excluded: ExcludedNode[];
  /** The implementation announces a Local Service's address only from nodes with a ready endpoint. */
  followsLocal: boolean;
  /** The objects the verdict was read from ("L2Advertisement metallb-system/lan", "DaemonSet metallb-system/speaker"). */
  sources: string[];
  /** What the verdict assumes (e.g. the MetalLB version when it is not in the input). */
  notes: string[];
}

const unknown = (implementation: AnnouncerEligibility['implementation'], why: string): AnnouncerEligibility => ({
  implementation,
  known: false,
  eligible: [],
  excluded: [],
  followsLocal: false,
  sources: [],
  notes: [why],
});

function networkUnavailable(n: Node): boolean {
  return arr(statusOf(n).conditions)
    .map(rec)
    .some((c) => c.type === 'NetworkUnavailable' && c.status === 'True');
}

const workloadRef = (w: Workload): string =>
  `${w.kind ?? 'Workload'} ${str(rec(w.metadata).namespace) ?? 'default'}/${nameOf(w)}`;

/** The workloads whose containers run an image the test accepts. */
function workloadsWithImage(ctx: DiscoveryContext, test: (image: string) => boolean): Workload[] {
  return ctx.snapshot.workloads.filter((w) => workloadFactOf(ctx, w).images.some(test));
}

/**
 * The kubelet labels every real Node carries, filled in where a hand-written Node in files
 * lacks them: a speaker's `nodeSelector: {kubernetes.io/os: linux}` must not exclude it.
 */
function withKubeletLabels(n: Node): Node {
  const labels = labelsOf(n);
  const filled = { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': nameOf(n), ...labels };
  return Object.keys(filled).length === Object.keys(labels).length
    ? n
    : ({ ...n, metadata: { ...rec(n.metadata), labels: filled } } as Node);
}

/** Where a workload's Pods may be scheduled (kubelet labels assumed on every node). */
function placementOf(ctx: DiscoveryContext, w: Workload): { nodes: string[]; why: string } {
  const s = schedulableNodes(ctx.nodes.map(withKubeletLabels), podSpecOf(w), w.kind === 'DaemonSet');
  return { nodes: s.nodes.map(nameOf), why: s.why };
}

/** Nodes an agent DaemonSet runs on: where its template may be scheduled. Undefined when no such DaemonSet is in the input. */
function agentNodes(ctx: DiscoveryContext, agents: Workload[]): { nodes: Set<string>; why: string } | undefined {
  const daemonSets = agents.filter((w) => w.kind === 'DaemonSet');
  if (daemonSets.length === 0) return undefined;
  const nodes = new Set<string>();
  const whys: string[] = [];
  for (const ds of daemonSets) {
    const s = placementOf(ctx, ds);
    for (const n of s.nodes) nodes.add(n);
    whys.push(`${workloadRef(ds)} cannot run there (${s.why})`);
  }
  return { nodes, why: whys.join('; ') };
}

/**
 * L2Advertisement spec.interfaces: the speaker answers ARP/NDP for the address only on
 * those interfaces. MetalLB elects the announcer without looking at them; an elected node
 * that has none of them logs "the specified interfaces used to announce LB IP don't exist",
 * raises an announceFailed event and writes no ServiceL2Status (speaker/layer2_controller.go,
 * SetBalancer): nothing answers. Node objects do not list interfaces, so this is told, not
 * judged, unless the Service's ServiceL2Status shows the announcing node answering on one.
 */
function interfaceNotes(ctx: DiscoveryContext, svc: Service, ads: AdvertisementFact[]): string[] {
  const l2 = ads.filter((a) => a.kind === 'L2Advertisement');
  const limited = l2.filter((a) => a.interfaces.length > 0);
  // One L2Advertisement without interfaces lets every interface answer.
  if (limited.length === 0 || limited.length < l2.length) return [];
  const names = [...new Set(limited.flatMap((a) => a.interfaces))];
  const status = serviceL2Statuses(ctx, svc).find((st) => st.interfaces.some((i) => names.includes(i)));
  if (status) return [];
  return [
    `${limited.map((a) => `L2Advertisement ${a.namespace}/${a.name}`).join(', ')} announce${limited.length === 1 ? 's' : ''} only on interface${names.length === 1 ? '' : 's'} ${names.join(', ')}: an elected node without ${names.length === 1 ? 'it' : 'any of them'} cannot announce (MetalLB raises an announceFailed event); the input does not show the nodes' interfaces`,
  ];
}

function metallbEligibility(ctx: DiscoveryContext, svc: Service): AnnouncerEligibility {
  const cls = classifyLoadBalancer(ctx, svc);
  const facts = metallbFacts(ctx);
  const pools = facts.pools.filter((p) => cls.pools.includes(p.name));
  if (pools.length === 0) return unknown('metallb', 'the pool of the address is not known');
  const kinds = cls.mode === 'bgp' ? ['BGPAdvertisement', 'L2Advertisement'] : ['L2Advertisement'];
  const labels = serviceFact(ctx, svc).labels;
  const ads = facts.advertisements.filter(
    (a) =>
      kinds.includes(a.kind) &&
      pools.some((p) => advertisementSelectsPool(a.object, p.object)) &&
      // L2Advertisement serviceSelectors (none = every Service).
      (arr(specOf(a.object).serviceSelectors).length === 0 ||
        arr(specOf(a.object).serviceSelectors).some((s) => labelSelectorMatches(s, labels))),
  );
  // No advertisement for the pool is lb/no-advertisement's finding, not a question of nodes.
  if (ads.length === 0) return unknown('metallb', 'no advertisement announces the pool');
  const speakers = workloadsWithImage(ctx, (i) => /metallb\/speaker|metallb-speaker/.test(i));
  const placement = agentNodes(ctx, speakers);
  const notes: string[] = [];
  const image = speakers.flatMap((w) => workloadFactOf(ctx, w).images).find((i) => /speaker/.test(i));
  const version = image ? imageVersion(image) : undefined;
  const ignoreFlag = speakers.some((w) => {
    const args = workloadFactOf(ctx, w).args;
    const v = flagValue(args, '--ignore-exclude-lb');
    return args.includes('--ignore-exclude-lb') || (v !== undefined && v !== 'false');
  });
  // MetalLB honours the label since v0.14.0; without the speaker's image, the current behaviour.
  const honoursExclude = !ignoreFlag && (version === undefined || versionAtLeast(version, [0, 14, 0]));
  if (version === undefined)
    notes.push('MetalLB version not in the input: judged as MetalLB >= 0.14, which skips excluded nodes');
  const poolNames = pools.map((p) => p.name).join(', ');
  notes.push(...interfaceNotes(ctx, svc, ads));
  const peers = ctx.snapshot.metallb.bgpPeers;
  const adNames = ads.map((a) => `${a.kind} ${a.namespace}/${a.name}`);
  const eligible: string[] = [];
  const excluded: ExcludedNode[] = [];
  for (const n of ctx.nodes) {
    const node = nameOf(n);
    const nodeLabels = labelsOf(n);
    const byAd = ads.filter(
      (a) => a.nodeSelectors.length === 0 || a.nodeSelectors.some((s) => labelSelectorMatches(s, nodeLabels)),
    );
    // A BGP route leaves a node only over a session: some BGPPeer's nodeSelectors (none = every node) must select it.
    const peered =
      peers.length === 0 ||
      peers.some((p) => {
        const sel = arr(specOf(p).nodeSelectors);
        return sel.length === 0 || sel.some((x) => labelSelectorMatches(x, nodeLabels));
      });
    const selected = byAd.some((a) => a.kind === 'L2Advertisement' || peered);
    let why: string | undefined;
    if (byAd.length === 0) why = `the nodeSelectors of ${adNames.join(', ')} (pool ${poolNames}) do not select it`;
    else if (!selected) why = 'no BGPPeer selects it (nodeSelectors): it has no BGP session to announce over';
    else if (honoursExclude && Object.hasOwn(nodeLabels, EXCLUDE_LB_LABEL))
      why = `it is labelled ${EXCLUDE_LB_LABEL}, which MetalLB ${version ? `${version.join('.')} ` : ''}honours (speaker flag --ignore-exclude-lb not set)`;
    else if (networkUnavailable(n)) why = 'its NetworkUnavailable condition is True';
    else if (placement && !placement.nodes.has(node)) why = `no MetalLB speaker runs there: ${placement.why}`;
    if (why) excluded.push({ node, why });
    else eligible.push(node);
  }
  return {
    implementation: 'metallb',
    known: true,
    eligible,
    excluded,
    followsLocal: true,
    sources: [...adNames, ...speakers.map(workloadRef)],
    notes,
  };
}

/** Cilium's L2 announcer takes externalTrafficPolicy Local into account from 1.20.2 on (cilium#46399). */
export const CILIUM_L2_LOCAL_FROM: readonly [number, number, number] = [1, 20, 2];

/**
 * Whether Cilium's agents announce a Local Service only from nodes with a local backend.
 * Before CILIUM_L2_LOCAL_FROM any agent the policy selects may win the Lease, with or
 * without a local backend (cilium#27800: "only works if I force the pod to the same node
 * which has the lease"). Without the agent's image, the current behaviour.
 */
function ciliumFollowsLocal(ctx: DiscoveryContext, agents: Workload[]): { followsLocal: boolean; notes: string[] } {
  const image = agents.flatMap((w) => workloadFactOf(ctx, w).images).find((i) => /cilium\/cilium(:|@|$)/.test(i));
  const version = image ? imageVersion(image) : undefined;
  if (version === undefined)
    return {
      followsLocal: true,
      notes: [
        `Cilium version not in the input: judged as Cilium >= ${CILIUM_L2_LOCAL_FROM.join('.')}, whose L2 announcer honours externalTrafficPolicy Local`,
      ],
    };
  if (versionAtLeast(version, [...CILIUM_L2_LOCAL_FROM])) return { followsLocal: true, notes: [] };
  return {
    followsLocal: false,
    notes: [
      `Cilium ${version.join('.')} elects the L2 announcer among the selected nodes whether or not they run a local endpoint (externalTrafficPolicy Local is honoured from ${CILIUM_L2_LOCAL_FROM.join('.')})`,
    ],
  };
}

function ciliumEligibility(ctx: DiscoveryContext, svc: Service): AnnouncerEligibility {
  const cls = classifyLoadBalancer(ctx, svc);
  // BGP next hops follow the BGP node selectors, not read here.
  if (cls.mode !== 'l2') return unknown('cilium', 'only Cilium L2 announcements are judged');
  const labels = ciliumServiceLabels(svc);
  const policies = ctx.snapshot.cilium.l2AnnouncementPolicies.filter((p) => {
    const spec = specOf(p);
    const sel: unknown = spec.serviceSelector;
    return spec.loadBalancerIPs === true && (sel === undefined || sel === null || labelSelectorMatches(sel, labels));
  });
  if (policies.length === 0) return unknown('cilium', 'no CiliumL2AnnouncementPolicy selects the Service');
  const agents = workloadsWithImage(ctx, (i) => /cilium\/cilium(:|@|$)/.test(i));
  const placement = agentNodes(ctx, agents);
  const { followsLocal, notes } = ciliumFollowsLocal(ctx, agents);
  // spec.interfaces: regular expressions of the interfaces the agents answer ARP on (none = every device Cilium manages).
  const ifaces = [...new Set(policies.flatMap((p) => arr(specOf(p).interfaces).filter((i) => typeof i === 'string')))];
  if (ifaces.length > 0 && policies.every((p) => arr(specOf(p).interfaces).length > 0))
    notes.push(
      `the CiliumL2AnnouncementPolicy answers only on interfaces matching ${ifaces.join(', ')}: a Lease holder without such an interface (or one Cilium does not manage, --devices) answers no ARP; the input does not show the nodes' interfaces`,
    );
  const refs = policies.map((p) => `CiliumL2AnnouncementPolicy ${nameOf(p)}`);
  const eligible: string[] = [];
  const excluded: ExcludedNode[] = [];
  for (const n of ctx.nodes) {
    const node = nameOf(n);
    const selected = policies.some((p) => {
      const sel: unknown = specOf(p).nodeSelector;
      return sel === undefined || sel === null || labelSelectorMatches(sel, labelsOf(n));
    });
    let why: string | undefined;
    if (!selected) why = `the nodeSelector of ${refs.join(', ')} does not select it`;
    else if (placement && !placement.nodes.has(node)) why = `no cilium agent runs there: ${placement.why}`;
    if (why) excluded.push({ node, why });
    else eligible.push(node);
  }
  return {
    implementation: 'cilium',
    known: true,
    eligible,
    excluded,
    followsLocal,
    sources: [...refs, ...agents.map(workloadRef)],
    notes,
  };
}

function envOf(spec: Record<string, unknown>): Map<string, string> {
  return new Map(
    arr(spec.containers)
      .map(rec)
      .filter((c) => /kube-vip/.test(str(c.image) ?? '') && !/cloud-provider/.test(str(c.image) ?? ''))
      .flatMap((c) => arr(c.env).map(rec))
      .map((e) => [str(e.name) ?? '', str(e.value) ?? '']),
  );
}

function kubeVipEligibility(ctx: DiscoveryContext): AnnouncerEligibility {
  // Services are load-balanced by the kube-vip instances with svc_enable=true: DaemonSets/Deployments, or static Pods.
  const workloads = ctx.snapshot.workloads.filter((w) => envOf(podSpecOf(w)).get('svc_enable') === 'true');
  const staticPods = ctx.snapshot.pods.filter(
    (p) =>
      envOf(specOf(p)).get('svc_enable') === 'true' &&
      !arr(rec(p.metadata).ownerReferences)
        .map(rec)
        .some((r) => r.kind === 'DaemonSet' || r.kind === 'ReplicaSet'),
  );
  if (workloads.length === 0 && staticPods.length === 0)
    return unknown('kube-vip', 'no kube-vip with svc_enable in the input');
  const election = [...workloads.map((w) => envOf(podSpecOf(w))), ...staticPods.map((p) => envOf(specOf(p)))].some(
    (e) => e.get('svc_election') === 'true',
  );
  const nodes = new Set<string>();
  const whys: string[] = [];
  for (const w of workloads) {
    const s = placementOf(ctx, w);
    for (const n of s.nodes) nodes.add(n);
    whys.push(`${workloadRef(w)} cannot run there (${s.why})`);
  }
  for (const p of staticPods) {
    const node = str(specOf(p).nodeName);
    if (node) nodes.add(node);
  }
  if (staticPods.length > 0) whys.push('no kube-vip static Pod runs there');
  const eligible: string[] = [];
  const excluded: ExcludedNode[] = [];
  for (const n of ctx.nodes) {
    if (nodes.has(nameOf(n))) eligible.push(nameOf(n));
    else excluded.push({ node: nameOf(n), why: whys.join('; ') });
  }
  return {
    implementation: 'kube-vip',
    known: true,
    eligible,
    excluded,
    followsLocal: election,
    sources: [
      ...workloads.map(workloadRef),
      ...staticPods.map((p) => `Pod ${str(rec(p.metadata).namespace) ?? 'default'}/${nameOf(p)}`),
    ],
    notes: election ? [] : ['kube-vip without svc_election: its one leader holds every address'],
  };
}

function eligibilityOf(ctx: DiscoveryContext, svc: Service): AnnouncerEligibility {
  if (serviceFact(ctx, svc).type !== 'LoadBalancer') return unknown(null, 'not a LoadBalancer Service');
  if (ctx.nodes.length === 0) return unknown(null, 'Nodes not in the input');
  const implementation = classifyLoadBalancer(ctx, svc).implementation;
  if (implementation === 'metallb') return metallbEligibility(ctx, svc);
  if (implementation === 'cilium') return ciliumEligibility(ctx, svc);
  if (implementation === 'kube-vip') return kubeVipEligibility(ctx);
  return unknown(null, 'no known implementation announces the address');
}

const perService = defineFacts('announcer-eligibility', () => new Map<Service, AnnouncerEligibility>());

/** Which nodes may announce a LoadBalancer Service's address (memoized per snapshot). */
export function announcerEligibility(ctx: DiscoveryContext, svc: Service): AnnouncerEligibility {
  const memo = perService(ctx);
  let r = memo.get(svc);
  if (!r) {
    r = eligibilityOf(ctx, svc);
    memo.set(svc, r);
  }
  return r;
}

/** Whether a node may announce the Service's address (true when the snapshot cannot tell). */
export function mayAnnounce(ctx: DiscoveryContext, svc: Service, node: string): boolean {
  const e = announcerEligibility(ctx, svc);
  return !e.known || e.eligible.includes(node);
}

export type AnnouncerGap =
  | { kind: 'no-node'; eligibility: AnnouncerEligibility }
  /** Local policy: the ready endpoints run only on nodes that may not announce. */
  | { kind: 'no-local-endpoint'; eligibility: AnnouncerEligibility; withEndpoint: string[] };

/**
 * Why nothing announces the address, when that is so: no node may announce it, or with
 * externalTrafficPolicy Local none of those that may holds a ready endpoint (no ready
 * endpoint at all is the endpoints' problem, not this). The one verdict of list's status
 * and lb/no-eligible-announcer.
 */
export function announcerGap(ctx: DiscoveryContext, svc: Service): AnnouncerGap | undefined {
  const e = announcerEligibility(ctx, svc);
  if (!e.known) return undefined;
  if (e.eligible.length === 0) return { kind: 'no-node', eligibility: e };
  if (serviceFact(ctx, svc).externalTrafficPolicy !== 'Local') return undefined;
  const eps = endpointsByNode(ctx, svc);
  if (eps.from === 'none' || eps.ready === 0) return undefined;
  const withEndpoint = eps.nodes.filter((n) => n.ready > 0).map((n) => n.node);
  if (withEndpoint.length === 0 || withEndpoint.some((n) => e.eligible.includes(n))) return undefined;
  return { kind: 'no-local-endpoint', eligibility: e, withEndpoint };
}

/** The gap in a few words, for list's status reason. */
export function announcerGapText(gap: AnnouncerGap): string {
  return gap.kind === 'no-node'
    ? `no node may announce the address (${gap.eligibility.excluded.length} excluded)`
    : `externalTrafficPolicy Local: no node that may announce the address (${gap.eligibility.eligible.join(', ')}) holds a ready endpoint`;
}
