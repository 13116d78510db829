// Who implements a LoadBalancer Service's address (MetalLB, Cilium LB-IPAM, kube-vip),
// and whether it is announced in L2 (ARP/NDP) or BGP. Pure.
//
// Evidence is weighed in tiers; the first tier that names any implementation decides,
// and when a tier names more than one, the answer is "unknown" (null) with the
// candidates in the notes, because guessing between two installed implementations
// would be worse than saying so:
//   1. spec.loadBalancerClass (kube-vip.io/kube-vip-class, io.cilium/*, *metallb*);
//      any other class: an implementation exposectl does not know (null).
//   2. implementation-specific annotations (metallb.universe.tf/*, metallb.io/*,
//      kube-vip.io/*, lbipam.cilium.io/*, io.cilium/lb-ipam-*).
//   3. a pool that covers the assigned (status) or requested (spec.loadBalancerIP,
//      loadBalancerIPs annotations) address: MetalLB IPAddressPool, Cilium
//      CiliumLoadBalancerIPPool, kube-vip ConfigMap `kubevip` cidr-*/range-* keys.
//   4. a pool that selects the Service explicitly (MetalLB serviceAllocation
//      namespaces/serviceSelectors, Cilium serviceSelector, kube-vip cidr-<ns>/range-<ns>).
//   5. a pool or announcer open to any Service (MetalLB pool with autoAssign and no
//      serviceAllocation, Cilium pool without serviceSelector, kube-vip global range,
//      a kube-vip DaemonSet/Pod with svc_enable=true). A Service that requests an
//      address in no MetalLB/Cilium pool is not theirs to serve (they refuse it), but
//      kube-vip announces whatever address is asked for.
import type { KubeObject } from '../model/kube-object.js';
import type { Custom, Service } from '../model/snapshot.js';
import {
  absenceIsFact,
  annotationsOf,
  arr,
  type DiscoveryContext,
  defineFacts,
  labelsOf,
  nameOf,
  nsOf,
  podSpecOf,
  rec,
  specOf,
  splitList,
  statusOf,
  str,
  uniq,
} from './context.js';
import { anyRangeContains, isIPAddress } from './ip.js';
import { advertisementSelectsPool, advertisementsComplete } from './metallb.js';

export { advertisementSelectsPool };

import { isEmptySelector, labelSelectorMatches } from './selectors.js';

export type LbMode = 'l2' | 'bgp' | 'loadbalancer';

export interface LoadBalancerClassification {
  implementation: 'metallb' | 'cilium' | 'kube-vip' | null;
  mode: LbMode;
  /** Why this implementation (the evidence that decided it). */
  evidence: string[];
  /** Facts worth telling the user whatever the status: announced both ways, several candidates. */
  notes: string[];
  /** Facts that explain a status other than ready (no implementation found, no advertisement in the input). */
  hints: string[];
  /** What makes the exposure broken (e.g. a pool no advertisement announces). */
  problems: string[];
  /** Names of the pools involved (MetalLB/Cilium pools, kube-vip ConfigMap keys). */
  pools: string[];
}

export interface LoadBalancerAddresses {
  /** status.loadBalancer.ingress: IPs and hostnames. */
  assigned: string[];
  /** spec.loadBalancerIP and the implementations' loadBalancerIPs annotations. */
  requested: string[];
}

const METALLB_IPS = ['metallb.universe.tf/loadBalancerIPs', 'metallb.io/loadBalancerIPs'];
const METALLB_POOL = ['metallb.universe.tf/address-pool', 'metallb.io/address-pool'];
const KUBEVIP_IPS = ['kube-vip.io/loadbalancerIPs'];
const CILIUM_IPS = ['lbipam.cilium.io/ips', 'io.cilium/lb-ipam-ips'];

export function loadBalancerAddresses(svc: Service): LoadBalancerAddresses {
  const assigned = uniq(
    arr(rec(statusOf(svc).loadBalancer).ingress)
      .map(rec)
      .flatMap((i) => [str(i.ip), str(i.hostname)].filter((x): x is string => !!x)),
  );
  const ann = annotationsOf(svc);
  const lbIP = str(specOf(svc).loadBalancerIP);
  const requested = uniq(
    [
      ...(lbIP ? [lbIP] : []),
      ...[...METALLB_IPS, ...KUBEVIP_IPS, ...CILIUM_IPS].flatMap((k) => splitList(ann[k])),
    ].filter((a) => isIPAddress(a) && a !== '0.0.0.0'),
  );
  return { assigned, requested };
}

type Impl = 'metallb' | 'cilium' | 'kube-vip';
type Tier = Map<Impl, string[]>;

function add(tier: Tier, impl: Impl, evidence: string): void {
  tier.set(impl, [...(tier.get(impl) ?? []), evidence]);
}

// ---- MetalLB ---------------------------------------------------------------------

export function metallbPoolRanges(pool: Custom): string[] {
  return arr(specOf(pool).addresses).filter((a): a is string => typeof a === 'string');
}

/** 'explicit' when serviceAllocation names the Service's namespace/labels, 'open' when unrestricted. */
export function metallbPoolServes(pool: Custom, svc: Service): 'explicit' | 'open' | false {
  const spec = specOf(pool);
  if (spec.autoAssign === false) return false;
  // Written but empty selects no Service (metallb#2003: empty is not absent).
  if (rec(spec.serviceAllocation) === spec.serviceAllocation && Object.keys(rec(spec.serviceAllocation)).length === 0)
    return false;
  const alloc = rec(spec.serviceAllocation);
  const namespaces = arr(alloc.namespaces).filter((n): n is string => typeof n === 'string');
  const nsSelectors = arr(alloc.namespaceSelectors);
  const svcSelectors = arr(alloc.serviceSelectors);
  if (namespaces.length === 0 && nsSelectors.length === 0 && svcSelectors.length === 0) return 'open';
  // Namespace labels are not in the snapshot: a namespaceSelector alone cannot be proven to match.
  const nsOk = (namespaces.length === 0 && nsSelectors.length === 0) || namespaces.includes(nsOf(svc));
  const svcOk = svcSelectors.length === 0 || svcSelectors.some((s) => labelSelectorMatches(s, labelsOf(svc)));
  return nsOk && svcOk ? 'explicit' : false;
}

/** Whether a MetalLB L2Advertisement/BGPAdvertisement announces the pool (no pool list nor selector = every pool). */
// ---- Cilium ----------------------------------------------------------------------

export function ciliumPoolRanges(pool: Custom): string[] {
  const out: string[] = [];
  for (const block of [...arr(specOf(pool).blocks), ...arr(specOf(pool).cidrs)].map(rec)) {
    const cidr = str(block.cidr);
    const start = str(block.start);
    if (cidr) out.push(cidr);
    else if (start) out.push(`${start}-${str(block.stop) ?? start}`);
  }
  return out;
}

/** Labels Cilium matches its selectors against: the Service's labels plus its namespace and name. */
export function ciliumServiceLabels(svc: Service): Record<string, string> {
  return { ...labelsOf(svc), 'io.kubernetes.service.namespace': nsOf(svc), 'io.kubernetes.service.name': nameOf(svc) };
}

export function ciliumPoolServes(pool: Custom, svc: Service): 'explicit' | 'open' | false {
  if (specOf(pool).disabled === true) return false;
  const sel: unknown = specOf(pool).serviceSelector;
  if (sel === undefined || sel === null || isEmptySelector(sel)) return 'open';
  return labelSelectorMatches(sel, ciliumServiceLabels(svc)) ? 'explicit' : false;
}

// ---- kube-vip --------------------------------------------------------------------

interface KubeVipRange {
  key: string;
  ranges: string[];
  namespace: string | null;
}

/** cidr-<ns>/range-<ns> (and -global) entries of the kube-vip cloud provider's ConfigMap. */
export const kubeVipRanges = defineFacts('kube-vip-ranges', (ctx): KubeVipRange[] => {
  const out: KubeVipRange[] = [];
  for (const cm of ctx.snapshot.configMaps) {
    if (nameOf(cm) !== 'kubevip') continue;
    const data = rec(cm.data);
    for (const [key, value] of Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const m = /^(cidr|range)-(.+)$/.exec(key);
      if (!m || typeof value !== 'string') continue;
      const ranges = splitList(value);
      out.push({ key, ranges, namespace: m[2] === 'global' ? null : m[2]! });
    }
  }
  return out;
});

export interface KubeVipAnnouncer {
  ref: string;
  arp: boolean;
  bgp: boolean;
  /** svc_election=true: a leader per Service, elected (with externalTrafficPolicy Local) among the nodes with a local endpoint. */
  election: boolean;
}

/** kube-vip DaemonSets/Deployments/Pods that load-balance Services (svc_enable=true), with their announcement mode. */
export const kubeVipAnnouncers = defineFacts('kube-vip-announcers', (ctx): KubeVipAnnouncer[] => {
  const out: KubeVipAnnouncer[] = [];
  const consider = (o: KubeObject, spec: Record<string, unknown>) => {
    for (const c of arr(spec.containers).map(rec)) {
      const image = str(c.image) ?? '';
      if (!/kube-vip/.test(image) || /cloud-provider/.test(image)) continue;
      const env = new Map(
        arr(c.env)
          .map(rec)
          .map((e) => [str(e.name) ?? '', str(e.value) ?? '']),
      );
      if (env.get('svc_enable') !== 'true') continue;
      out.push({
        ref: `${o.kind} ${nsOf(o)}/${nameOf(o)}`,
        arp: env.get('vip_arp') === 'true',
        bgp: env.get('bgp_enable') === 'true',
        election: env.get('svc_election') === 'true',
      });
    }
  };
  for (const w of ctx.snapshot.workloads) consider(w as KubeObject, podSpecOf(w));
  for (const p of ctx.snapshot.pods) {
    if (
      arr(rec(p.metadata).ownerReferences)
        .map(rec)
        .some((r) => r.kind === 'DaemonSet' || r.kind === 'ReplicaSet')
    )
      continue; // counted by its workload
    consider(p as KubeObject, specOf(p));
  }
  // The same DaemonSet read twice (alternative manifests in files): the last one read
  // wins, as `kubectl apply` would leave it.
  const byRef = new Map<string, KubeVipAnnouncer>();
  for (const a of out) {
    byRef.delete(a.ref);
    byRef.set(a.ref, a);
  }
  return [...byRef.values()];
});

// ---- classification ----------------------------------------------------------------

export function classifyLoadBalancer(ctx: DiscoveryContext, svc: Service): LoadBalancerClassification {
  const { assigned, requested } = loadBalancerAddresses(svc);
  const lbClass = str(specOf(svc).loadBalancerClass);
  if (lbClass) {
    if (lbClass === 'kube-vip.io/kube-vip-class') return kubeVipMode(ctx, [`loadBalancerClass ${lbClass}`]);
    if (lbClass.startsWith('io.cilium/')) return ciliumMode(ctx, svc, [`loadBalancerClass ${lbClass}`]);
    if (/metallb/i.test(lbClass)) return metallbMode(ctx, svc, [`loadBalancerClass ${lbClass}`], undefined);
    return {
      implementation: null,
      mode: 'loadbalancer',
      evidence: [`loadBalancerClass ${lbClass}`],
      notes: [],
      hints: [`loadBalancerClass ${lbClass} is served by an implementation exposectl does not recognise`],
      problems: [],
      pools: [],
    };
  }

  const ann = annotationsOf(svc);
  const annKeys = Object.keys(ann);
  const t2: Tier = new Map();
  for (const k of annKeys.sort()) {
    if (k.startsWith('metallb.universe.tf/') || k.startsWith('metallb.io/')) add(t2, 'metallb', `annotation ${k}`);
    else if (k.startsWith('kube-vip.io/')) add(t2, 'kube-vip', `annotation ${k}`);
    else if (k.startsWith('lbipam.cilium.io/') || k.startsWith('io.cilium/lb-ipam'))
      add(t2, 'cilium', `annotation ${k}`);
  }

  const addresses = assigned.length > 0 ? assigned.filter(isIPAddress) : requested;
  const { metallb, cilium } = ctx.snapshot;
  const t3: Tier = new Map();
  const coveringMetallb = metallb.ipAddressPools.filter((p) =>
    addresses.some((a) => anyRangeContains(metallbPoolRanges(p), a)),
  );
  const coveringCilium = cilium.loadBalancerIPPools.filter(
    (p) => specOf(p).disabled !== true && addresses.some((a) => anyRangeContains(ciliumPoolRanges(p), a)),
  );
  const kvRanges = kubeVipRanges(ctx);
  const coveringKubeVip = kvRanges.filter((r) => addresses.some((a) => anyRangeContains(r.ranges, a)));
  for (const p of coveringMetallb)
    add(t3, 'metallb', `IPAddressPool ${nsOf(p)}/${nameOf(p)} covers ${addresses.join(', ')}`);
  for (const p of coveringCilium)
    add(t3, 'cilium', `CiliumLoadBalancerIPPool ${nameOf(p)} covers ${addresses.join(', ')}`);
  for (const r of coveringKubeVip) add(t3, 'kube-vip', `kube-vip ConfigMap ${r.key} covers ${addresses.join(', ')}`);

  // A Service that already has (or asks for) an address outside every MetalLB/Cilium
  // pool is refused by them; a hostname address is a cloud load balancer's.
  const poolBound = addresses.length === 0 && assigned.length === 0;
  const t4: Tier = new Map();
  const t5: Tier = new Map();
  const explicitMetallb: Custom[] = [];
  const openMetallb: Custom[] = [];
  if (poolBound) {
    for (const p of metallb.ipAddressPools) {
      const s = metallbPoolServes(p, svc);
      if (s === 'explicit') {
        explicitMetallb.push(p);
        add(t4, 'metallb', `IPAddressPool ${nsOf(p)}/${nameOf(p)} (serviceAllocation selects it)`);
      }
      if (s === 'open') {
        openMetallb.push(p);
        add(t5, 'metallb', `IPAddressPool ${nsOf(p)}/${nameOf(p)} (any Service)`);
      }
    }
    for (const p of cilium.loadBalancerIPPools) {
      const s = ciliumPoolServes(p, svc);
      if (s === 'explicit') add(t4, 'cilium', `CiliumLoadBalancerIPPool ${nameOf(p)} (serviceSelector selects it)`);
      if (s === 'open') add(t5, 'cilium', `CiliumLoadBalancerIPPool ${nameOf(p)} (any Service)`);
    }
    for (const r of kvRanges) {
      if (r.namespace === nsOf(svc)) add(t4, 'kube-vip', `kube-vip ConfigMap ${r.key}`);
      else if (r.namespace === null) add(t5, 'kube-vip', `kube-vip ConfigMap ${r.key}`);
    }
  }
  for (const a of kubeVipAnnouncers(ctx)) add(t5, 'kube-vip', `${a.ref} (svc_enable)`);

  for (const [i, tier] of [t2, t3, t4, t5].entries()) {
    if (tier.size === 0) continue;
    if (tier.size > 1) {
      const list = [...tier.entries()].map(([impl, ev]) => `${impl} (${ev[0]})`).join(' or ');
      return {
        implementation: null,
        mode: 'loadbalancer',
        pools: [],
        evidence: [...tier.values()].flat(),
        notes: [`ambiguous: could be ${list}; set spec.loadBalancerClass`],
        hints: [],
        problems: [],
      };
    }
    const [impl, evidence] = [...tier.entries()][0]!;
    if (impl === 'kube-vip')
      return kubeVipMode(
        ctx,
        evidence,
        kvRanges.filter((r) => coveringKubeVip.includes(r)).map((r) => r.key),
      );
    if (impl === 'cilium') return ciliumMode(ctx, svc, evidence, (i === 1 ? coveringCilium : []).map(nameOf));
    // metallb: the pools that give (or would give) the address
    const pools =
      i === 1
        ? coveringMetallb
        : i === 0
          ? namedMetallbPools(ctx, svc, coveringMetallb)
          : explicitMetallb.length > 0
            ? explicitMetallb
            : openMetallb;
    return metallbMode(ctx, svc, evidence, pools);
  }
  return {
    implementation: null,
    mode: 'loadbalancer',
    evidence: [],
    notes: [],
    hints: ['no load-balancer implementation (MetalLB, Cilium LB-IPAM, kube-vip) found for it'],
    problems: [],
    pools: [],
  };
}

/** Pools named by the address-pool annotation, or covering the requested address, or any that would serve it. */
function namedMetallbPools(ctx: DiscoveryContext, svc: Service, covering: Custom[]): Custom[] {
  const ann = annotationsOf(svc);
  const names = METALLB_POOL.flatMap((k) => splitList(ann[k]));
  if (names.length > 0) return ctx.snapshot.metallb.ipAddressPools.filter((p) => names.includes(nameOf(p)));
  if (covering.length > 0) return covering;
  const explicit = ctx.snapshot.metallb.ipAddressPools.filter((p) => metallbPoolServes(p, svc) === 'explicit');
  return explicit.length > 0
    ? explicit
    : ctx.snapshot.metallb.ipAddressPools.filter((p) => metallbPoolServes(p, svc) === 'open');
}

function metallbMode(
  ctx: DiscoveryContext,
  svc: Service,
  evidence: string[],
  poolsIn: Custom[] | undefined,
): LoadBalancerClassification {
  const { ipAddressPools, l2Advertisements, bgpAdvertisements } = ctx.snapshot.metallb;
  const pools = poolsIn ?? namedMetallbPools(ctx, svc, []);
  const notes: string[] = [];
  const hints: string[] = [];
  const ev = [...evidence];
  const problems: string[] = [];
  const poolNames = pools.map((p) => nameOf(p));
  const ann = annotationsOf(svc);
  const named = METALLB_POOL.flatMap((k) => splitList(ann[k]));
  for (const n of named) {
    if (!ipAddressPools.some((p) => nameOf(p) === n) && absenceIsFact(ctx, 'IPAddressPool'))
      problems.push(`IPAddressPool ${n} ${ctx.live ? 'not found' : 'not in the input'}`);
  }
  if (pools.length === 0) {
    if (absenceIsFact(ctx, 'IPAddressPool') && problems.length === 0)
      problems.push(`no MetalLB IPAddressPool ${ctx.live ? 'can serve it' : 'in the input can serve it'}`);
    // Without a pool, the advertisements alone tell the mode when they agree.
    const l2 = l2Advertisements.length > 0;
    const bgp = bgpAdvertisements.length > 0;
    return {
      implementation: 'metallb',
      mode: l2 && !bgp ? 'l2' : bgp && !l2 ? 'bgp' : bgp ? 'bgp' : 'loadbalancer',
      notes,
      hints,
      evidence: ev,
      problems,
      pools: [],
    };
  }
  const l2 = l2Advertisements.filter((a) => pools.some((p) => advertisementSelectsPool(a, p)));
  const bgp = bgpAdvertisements.filter((a) => pools.some((p) => advertisementSelectsPool(a, p)));
  if (bgp.length > 0 && l2.length > 0) {
    notes.push(
      `announced in BGP (${bgp.map(nameOf).join(', ')}) and in L2 (${l2.map(nameOf).join(', ')}); shown as bgp`,
    );
    return { implementation: 'metallb', mode: 'bgp', notes, hints, evidence: ev, problems, pools: poolNames };
  }
  if (bgp.length > 0)
    return { implementation: 'metallb', mode: 'bgp', notes, hints, evidence: ev, problems, pools: poolNames };
  if (l2.length > 0)
    return { implementation: 'metallb', mode: 'l2', notes, hints, evidence: ev, problems, pools: poolNames };
  if (pools.some((p) => advertisementsComplete(ctx, nsOf(p)))) {
    problems.push(
      `no L2Advertisement or BGPAdvertisement ${ctx.live ? '' : 'in the input '}announces pool ${poolNames.join(', ')}`,
    );
  } else {
    hints.push('no L2Advertisement or BGPAdvertisement in the input');
  }
  return { implementation: 'metallb', mode: 'loadbalancer', notes, hints, evidence: ev, problems, pools: poolNames };
}

function ciliumMode(
  ctx: DiscoveryContext,
  svc: Service,
  evidence: string[],
  pools: string[] = [],
): LoadBalancerClassification {
  const notes: string[] = [];
  const hints: string[] = [];
  const ev = [...evidence];
  const labels = ciliumServiceLabels(svc);
  const cls = str(specOf(svc).loadBalancerClass);
  const { bgpPeeringPolicies, bgpAdvertisements, l2AnnouncementPolicies } = ctx.snapshot.cilium;
  // Cilium's BGP selectors select nothing when unset (its docs use a NotIn trick to select all).
  const bgpBy: string[] = [];
  for (const pol of bgpPeeringPolicies) {
    for (const vr of arr(specOf(pol).virtualRouters).map(rec)) {
      const advertisesLb =
        !Array.isArray(vr.serviceAdvertisements) || vr.serviceAdvertisements.includes('LoadBalancerIP');
      if (vr.serviceSelector && advertisesLb && labelSelectorMatches(vr.serviceSelector, labels))
        bgpBy.push(`CiliumBGPPeeringPolicy ${nameOf(pol)}`);
    }
  }
  for (const adv of bgpAdvertisements) {
    for (const a of arr(specOf(adv).advertisements).map(rec)) {
      if (a.advertisementType !== 'Service' || !arr(rec(a.service).addresses).includes('LoadBalancerIP')) continue;
      if (a.selector && labelSelectorMatches(a.selector, labels)) bgpBy.push(`CiliumBGPAdvertisement ${nameOf(adv)}`);
    }
  }
  // An L2 announcement policy without serviceSelector applies to every Service.
  const l2By = l2AnnouncementPolicies
    .filter((p) => specOf(p).loadBalancerIPs === true)
    .filter((p) => {
      const sel: unknown = specOf(p).serviceSelector;
      return sel === undefined || sel === null || labelSelectorMatches(sel, labels);
    })
    .map((p) => `CiliumL2AnnouncementPolicy ${nameOf(p)}`);
  const bgp = bgpBy.length > 0 || cls === 'io.cilium/bgp-control-plane';
  const l2 = l2By.length > 0 || cls === 'io.cilium/l2-announcer';
  if (bgp && l2) {
    notes.push(
      `announced in BGP (${uniq(bgpBy).join(', ') || cls}) and in L2 (${l2By.join(', ') || cls}); shown as bgp`,
    );
    return { implementation: 'cilium', mode: 'bgp', notes, hints, evidence: ev, problems: [], pools };
  }
  if (bgp)
    return {
      implementation: 'cilium',
      mode: 'bgp',
      notes,
      hints,
      evidence: [...ev, ...uniq(bgpBy)],
      problems: [],
      pools,
    };
  if (l2)
    return { implementation: 'cilium', mode: 'l2', notes, hints, evidence: [...ev, ...l2By], problems: [], pools };
  hints.push('no Cilium BGP advertisement or L2 announcement policy selects it');
  return { implementation: 'cilium', mode: 'loadbalancer', notes, hints, evidence: ev, problems: [], pools };
}

function kubeVipMode(ctx: DiscoveryContext, evidence: string[], pools: string[] = []): LoadBalancerClassification {
  const notes: string[] = [];
  const hints: string[] = [];
  const ev = [...evidence];
  const announcers = kubeVipAnnouncers(ctx);
  const bgp = announcers.filter((a) => a.bgp);
  const arp = announcers.filter((a) => a.arp);
  if (bgp.length > 0 && arp.length > 0) {
    notes.push(
      `kube-vip announces in BGP (${uniq(bgp.map((a) => a.ref)).join(', ')}) and ARP (${uniq(arp.map((a) => a.ref)).join(', ')}); shown as bgp`,
    );
    return { implementation: 'kube-vip', mode: 'bgp', notes, hints, evidence: ev, problems: [], pools };
  }
  if (bgp.length > 0)
    return { implementation: 'kube-vip', mode: 'bgp', notes, hints, evidence: ev, problems: [], pools };
  if (arp.length === 0)
    hints.push(
      announcers.length === 0
        ? 'kube-vip DaemonSet not in the input; ARP assumed (its default)'
        : 'ARP assumed (kube-vip default)',
    );
  return { implementation: 'kube-vip', mode: 'l2', notes, hints, evidence: ev, problems: [], pools };
}
