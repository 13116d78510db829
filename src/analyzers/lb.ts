// lb/*: LoadBalancer addresses as MetalLB assigns and announces them (and, where they
// apply, Cilium LB-IPAM's pools). Pure.
//
// MetalLB's rules, as its allocator and config apply them:
// - a requested address (spec.loadBalancerIP, metallb.io/loadBalancerIPs) must lie in a
//   pool (an avoidBuggyIPs pool does not own its .0/.255 addresses), and that pool must
//   admit the Service;
// - a pool named with metallb.io/address-pool (or metallb.universe.tf/address-pool) must
//   exist and admit the Service; it is used even with autoAssign: false;
// - otherwise the candidates are the pools with autoAssign (default true) whose
//   serviceAllocation admits the Service: namespaces / namespaceSelectors (either one
//   matching; a Namespace's labels are not in the snapshot except the automatic
//   kubernetes.io/metadata.name, so other namespaceSelectors cannot be judged), and
//   serviceSelectors (any one matching the Service's labels); tried by priority (lower
//   first, pools without priority last);
// - an address is shared only by Services with the same allow-shared-ip key, no
//   port+protocol in common, the same externalTrafficPolicy and, with Local, the same
//   selector (sharingConflicts in src/modes/metallb.ts);
// - an L2Advertisement/BGPAdvertisement announces the pools it names in ipAddressPools,
//   those its ipAddressPoolSelectors match, or every pool when it has neither.
import { annotationsOf, arr, cmp, nameOf, nsOf, rec, specOf, splitList, statusOf, str } from '../discover/context.js';
import {
  advertisementSelectsPool, ciliumPoolRanges, classifyLoadBalancer, kubeVipAnnouncers, kubeVipRanges, loadBalancerAddresses, metallbPoolRanges,
} from '../discover/implementation.js';
import { parseAddress, parseRange } from '../discover/ip.js';
import { labelSelectorMatches } from '../discover/selectors.js';
import { calicoAdvertises } from '../discover/calico.js';
import type { Finding } from '../model/finding.js';
import type { Custom, Service } from '../model/snapshot.js';
import { capacity, poolRanges, shareCandidateOf, sharingConflicts } from '../modes/metallb.js';
import { finding } from './codes.js';
import type { Analyzer, Facts } from './types.js';
import { absenceProves, list, subjectOf } from './util.js';
import { shellCommand } from '../util/shell-quote.js';

const POOL_ANNOTATIONS = ['metallb.io/address-pool', 'metallb.universe.tf/address-pool'];

const lbCache = new WeakMap<object, Service[]>();
const claimedCache = new WeakMap<Service, string[]>();
const rangeCache = new WeakMap<Custom, Array<NonNullable<ReturnType<typeof parseRange>>>>();
const addressCache = new Map<string, ReturnType<typeof parseAddress>>();
const claimantsCache = new WeakMap<object, Map<Custom, Map<string, Service[]>>>();

function addressOf(text: string): ReturnType<typeof parseAddress> {
  if (!addressCache.has(text)) {
    if (addressCache.size > 100_000) addressCache.clear();
    addressCache.set(text, parseAddress(text));
  }
  return addressCache.get(text);
}

function rangesOf(pool: Custom) {
  let r = rangeCache.get(pool);
  if (!r) {
    r = metallbPoolRanges(pool).map((x) => parseRange(x)).filter((x): x is NonNullable<typeof x> => x !== undefined);
    rangeCache.set(pool, r);
  }
  return r;
}

/** LoadBalancer Services, the last version of each when files hold several (memoised per snapshot). */
function lbServices(facts: Facts): Service[] {
  const cached = lbCache.get(facts.snapshot);
  if (cached) return cached;
  const result = lbServicesOf(facts);
  lbCache.set(facts.snapshot, result);
  return result;
}

function lbServicesOf(facts: Facts): Service[] {
  const byKey = new Map<string, Service>();
  for (const s of facts.snapshot.services) {
    if (str(specOf(s)['type']) !== 'LoadBalancer') continue;
    const k = `${nsOf(s)}/${nameOf(s)}`;
    byKey.delete(k);
    byKey.set(k, s);
  }
  return [...byKey.values()];
}

const svcRef = (s: Service) => `${nsOf(s)}/${nameOf(s)}`;
const poolRef = (p: Custom) => `IPAddressPool ${nsOf(p)}/${nameOf(p)}`;

/** Whether the object carries live status (live cluster, or exported with kubectl get -o yaml). */
function hasStatus(facts: Facts, svc: Service): boolean {
  return facts.ctx.live || 'loadBalancer' in statusOf(svc);
}

function assignedIPs(svc: Service): string[] {
  return loadBalancerAddresses(svc).assigned.filter((a) => parseAddress(a) !== undefined);
}

/** The addresses a Service holds or asks for. */
function claimedIPs(svc: Service): string[] {
  const cached = claimedCache.get(svc);
  if (cached) return cached;
  const { assigned, requested } = loadBalancerAddresses(svc);
  const result = [...new Set([...assigned, ...requested].filter((a) => addressOf(a) !== undefined))];
  claimedCache.set(svc, result);
  return result;
}

/** Per pool: each address it owns that Services hold or ask for, and those Services (memoised per snapshot). */
function claimants(facts: Facts, pool: Custom): Map<string, Service[]> {
  let perPool = claimantsCache.get(facts.snapshot);
  if (!perPool) { perPool = new Map(); claimantsCache.set(facts.snapshot, perPool); }
  let index = perPool.get(pool);
  if (!index) {
    index = new Map();
    for (const s of lbServices(facts)) {
      for (const a of claimedIPs(s)) if (metallbPoolOwns(pool, a)) index.set(a, [...(index.get(a) ?? []), s]);
    }
    perPool.set(pool, index);
  }
  return index;
}

function buggy(address: string): boolean {
  const a = addressOf(address);
  return a !== undefined && a.family === 4 && ((a.value & 0xffn) === 0n || (a.value & 0xffn) === 255n);
}

/** Whether a MetalLB pool owns an address (avoidBuggyIPs pools do not own .0 and .255). */
export function metallbPoolOwns(pool: Custom, address: string): boolean {
  if (specOf(pool)['avoidBuggyIPs'] === true && buggy(address)) return false;
  const a = addressOf(address);
  if (!a) return false;
  return rangesOf(pool).some((range) => range.family === a.family && a.value >= range.first && a.value <= range.last);
}

type Admission = { ok: true } | { ok: false; why: string } | { ok: 'unknown'; why: string };

/** Whether a pool's serviceAllocation admits a Service (MetalLB's isPoolCompatibleWithService). */
export function metallbPoolAdmits(pool: Custom, svc: Service): Admission {
  const alloc = rec(specOf(pool)['serviceAllocation']);
  const namespaces = arr(alloc['namespaces']).filter((n): n is string => typeof n === 'string');
  const nsSelectors = arr(alloc['namespaceSelectors']);
  const svcSelectors = arr(alloc['serviceSelectors']);
  const ns = nsOf(svc);
  if (namespaces.length > 0 || nsSelectors.length > 0) {
    const byName = namespaces.includes(ns);
    const bySelector = nsSelectors.some((s) => labelSelectorMatches(s, { 'kubernetes.io/metadata.name': ns }));
    if (!byName && !bySelector) {
      if (nsSelectors.length > 0) return { ok: 'unknown', why: `namespaceSelectors need the labels of namespace ${ns}` };
      return { ok: false, why: `serviceAllocation.namespaces (${namespaces.join(', ')}) does not include ${ns}` };
    }
  }
  if (svcSelectors.length > 0 && !svcSelectors.some((s) => labelSelectorMatches(s, serviceLabels(svc)))) {
    return { ok: false, why: 'serviceAllocation.serviceSelectors do not match the Service\'s labels' };
  }
  return { ok: true };
}

function serviceLabels(svc: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(rec(rec(svc.metadata)['labels'])).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

function priorityOf(pool: Custom): number {
  const p = rec(specOf(pool)['serviceAllocation'])['priority'];
  return typeof p === 'number' ? p : Number.POSITIVE_INFINITY;
}

/** Whether MetalLB's rules decide this Service's address (not another implementation, not ambiguous). */
function metallbDecides(facts: Facts, svc: Service): boolean {
  const lbc = classifyLoadBalancer(facts.ctx, svc);
  if (lbc.implementation === 'metallb') return true;
  if (lbc.implementation !== null || lbc.notes.length > 0 || str(specOf(svc)['loadBalancerClass'])) return false;
  const s = facts.snapshot;
  return s.metallb.ipAddressPools.length > 0 && s.cilium.loadBalancerIPPools.length === 0
    && kubeVipAnnouncers(facts.ctx).length === 0 && kubeVipRanges(facts.ctx).length === 0;
}

/** Free addresses of a pool for `svc`: capacity minus the distinct addresses other Services hold or ask for in it. */
function freeFor(facts: Facts, pool: Custom, svc: Service): bigint {
  const cap = capacity(poolRanges(pool), specOf(pool)['avoidBuggyIPs'] === true);
  const index = claimants(facts, pool);
  if (BigInt(index.size) < cap) return cap - BigInt(index.size); // room whoever holds what
  let used = 0n;
  for (const [, holders] of index) {
    const others = holders.filter((o) => o !== svc && svcRef(o) !== svcRef(svc));
    if (others.length === 0) continue;
    // An address the Service could share is not taken for it.
    if (others.every((o) => sharingConflicts(shareCandidateOf(svc), shareCandidateOf(o)).length === 0)) return 1n;
    used += 1n;
  }
  return cap - used;
}

const allocation: Analyzer = {
  name: 'lb-allocation',
  check: 'lb',
  codes: ['lb/pending', 'lb/no-pool', 'lb/pool-exhausted', 'lb/ip-not-in-pool'],
  inputs: ['snapshot'],
  description: "LoadBalancer Services get an address: MetalLB's pool selection (requested address, named pool, serviceAllocation, autoAssign, capacity), Cilium pools, or any implementation's status.",
  analyze(facts) {
    const out: Finding[] = [];
    const pools = facts.snapshot.metallb.ipAddressPools;
    for (const svc of lbServices(facts)) {
      const subject = subjectOf(svc);
      const ref = svcRef(svc);
      const assigned = assignedIPs(svc);
      const { requested } = loadBalancerAddresses(svc);
      const waiting = assigned.length === 0 && loadBalancerAddresses(svc).assigned.length === 0;
      const before = out.length;
      const lbc = classifyLoadBalancer(facts.ctx, svc);
      if (metallbDecides(facts, svc) && waiting) {
        const named = POOL_ANNOTATIONS.flatMap((k) => splitList(annotationsOf(svc)[k]));
        if (requested.length > 0) {
          for (const ip of requested) {
            const owners = pools.filter((p) => metallbPoolOwns(p, ip));
            if (owners.length === 0) {
              if (pools.length === 0 && !absenceProves(facts, 'IPAddressPool')) continue;
              out.push(finding('lb/ip-not-in-pool', subject,
                `Service ${ref} asks for ${ip}, which is in no MetalLB IPAddressPool${pools.length > 0 ? ` (pools: ${list(pools.map((p) => `${nameOf(p)} ${metallbPoolRanges(p).join(' ')}`), 4)})` : ''}: MetalLB refuses to assign it and the Service stays without an address.`,
                `Request an address inside a pool (spec.loadBalancerIP or metallb.io/loadBalancerIPs on ${ref}), or add ${ip} to an IPAddressPool's spec.addresses${pools.some((p) => specOf(p)['avoidBuggyIPs'] === true) && buggy(ip) ? ' (pools with avoidBuggyIPs never give .0 or .255 addresses)' : ''}.`));
              continue;
            }
            if (named.length > 0 && !owners.some((p) => named.includes(nameOf(p)))) {
              out.push(finding('lb/ip-not-in-pool', subject,
                `Service ${ref} asks for ${ip} from pool ${named.join(', ')} (annotation metallb.io/address-pool), but ${ip} belongs to ${list(owners.map(poolRef))}: MetalLB refuses the assignment.`,
                `Either request an address of ${named.join(', ')} or remove the metallb.io/address-pool annotation from ${ref}.`));
              continue;
            }
            const refusals = owners.map((p) => ({ p, a: metallbPoolAdmits(p, svc) })).filter((x) => x.a.ok === false);
            if (refusals.length === owners.length) {
              out.push(finding('lb/no-pool', subject,
                `Service ${ref} asks for ${ip}, but ${refusals.map((x) => `${poolRef(x.p)}: ${(x.a as { why: string }).why}`).join('; ')}: MetalLB does not assign it.`,
                `Add namespace ${nsOf(svc)} (or a label the Service has) to the pool's spec.serviceAllocation, or request an address from a pool that admits ${ref}.`));
            }
          }
        } else if (named.length > 0) {
          for (const n of named) {
            const pool = pools.find((p) => nameOf(p) === n);
            if (!pool) {
              if (!absenceProves(facts, 'IPAddressPool')) continue;
              out.push(finding('lb/no-pool', subject,
                `Service ${ref} names IPAddressPool ${n} (annotation metallb.io/address-pool), which does not exist: MetalLB cannot give it an address.`,
                `Create IPAddressPool ${n} in the MetalLB namespace, or set metallb.io/address-pool on ${ref} to an existing pool (${list(pools.map(nameOf)) || 'none exists'}).`));
              continue;
            }
            const a = metallbPoolAdmits(pool, svc);
            if (a.ok === false) {
              out.push(finding('lb/no-pool', subject,
                `Service ${ref} names ${poolRef(pool)}, but ${a.why}: MetalLB does not assign from it.`,
                `Add namespace ${nsOf(svc)} (or a label the Service has) to ${poolRef(pool)} spec.serviceAllocation, or name another pool.`));
            } else if (hasStatus(facts, svc) && freeFor(facts, pool, svc) <= 0n) {
              out.push(exhausted(svc, [pool]));
            }
          }
        } else {
          const verdicts = pools.map((p) => ({ p, a: specOf(p)['autoAssign'] === false ? { ok: false as const, why: 'autoAssign: false' } : metallbPoolAdmits(p, svc) }));
          const candidates = verdicts.filter((v) => v.a.ok !== false).sort((x, y) => priorityOf(x.p) - priorityOf(y.p) || cmp(nameOf(x.p), nameOf(y.p)));
          if (candidates.length === 0 && (pools.length > 0 || (lbc.implementation === 'metallb' && absenceProves(facts, 'IPAddressPool')))) {
            out.push(finding('lb/no-pool', subject,
              pools.length === 0
                ? `Service ${ref} is left to MetalLB, which has no IPAddressPool: it never gets an address.`
                : `No MetalLB pool can serve Service ${ref}: ${verdicts.map((v) => `${nameOf(v.p)} (${(v.a as { why: string }).why})`).join('; ')}; it never gets an address.`,
              pools.some((p) => specOf(p)['autoAssign'] === false)
                ? `Name a pool with the annotation metallb.io/address-pool: ${nameOf(pools.find((p) => specOf(p)['autoAssign'] === false)!)} on ${ref} (pools with autoAssign: false serve only Services that name them), or add an auto-assign IPAddressPool whose serviceAllocation admits namespace ${nsOf(svc)}.`
                : `Add an IPAddressPool whose serviceAllocation admits ${ref} (namespace ${nsOf(svc)}, its labels), or widen an existing pool's serviceAllocation.`));
          } else if (candidates.length > 0 && hasStatus(facts, svc) && candidates.every((c) => freeFor(facts, c.p, svc) <= 0n)) {
            out.push(exhausted(svc, candidates.map((c) => c.p)));
          }
        }
      }
      // Cilium LB-IPAM: a requested address outside every pool is refused.
      if (lbc.implementation === 'cilium' && waiting && requested.length > 0) {
        const cpools = facts.snapshot.cilium.loadBalancerIPPools.filter((p) => specOf(p)['disabled'] !== true);
        for (const ip of requested) {
          if (cpools.some((p) => ciliumPoolRanges(p).some((r) => { const x = parseRange(r); const a = parseAddress(ip); return !!x && !!a && x.family === a.family && a.value >= x.first && a.value <= x.last; }))) continue;
          if (cpools.length === 0 && !absenceProves(facts, 'CiliumLoadBalancerIPPool')) continue;
          out.push(finding('lb/ip-not-in-pool', subject,
            `Service ${ref} asks for ${ip}, which is in no CiliumLoadBalancerIPPool: LB-IPAM refuses it and the Service stays without an address.`,
            `Request an address inside a pool (lbipam.cilium.io/ips on ${ref}) or add a block with ${ip} to a CiliumLoadBalancerIPPool's spec.blocks.`));
        }
      }
      if (out.length === before && waiting && hasStatus(facts, svc) && !sharingBlocked(facts, svc)) {
        const why = [...lbc.problems, ...lbc.hints, ...lbc.notes];
        out.push(finding('lb/pending', subject,
          `LoadBalancer Service ${ref} has no address${requested.length > 0 ? ` (it asks for ${requested.join(', ')})` : ''}${why.length > 0 ? `: ${why.join('; ')}` : ''}: clients have nothing to connect to.`,
          lbc.implementation
            ? `Check ${lbc.implementation}'s controller logs and the events of ${ref} (${shellCommand(['kubectl', 'describe', 'svc', nameOf(svc), '-n', nsOf(svc)])}) for why it was not assigned.`
            : `Install or configure a load-balancer implementation that serves it (MetalLB IPAddressPool + L2Advertisement, Cilium LB-IPAM, kube-vip), or run ${shellCommand(['exposectl', 'expose', nameOf(svc), '-n', nsOf(svc), '--mode', 'l2'])} --addresses RANGE.`));
      }
    }
    return out;
  },
};

/** The Service asks for an address another Service holds or asks for, and they cannot share it (lb/sharing-conflict says why). */
function sharingBlocked(facts: Facts, svc: Service): boolean {
  const mine = claimedIPs(svc);
  if (mine.length === 0) return false;
  return lbServices(facts).some((o) => o !== svc && claimedIPs(o).some((a) => mine.includes(a))
    && sharingConflicts(shareCandidateOf(svc), shareCandidateOf(o)).length > 0);
}

function exhausted(svc: Service, pools: Custom[]): Finding {
  return finding('lb/pool-exhausted', subjectOf(svc),
    `Service ${svcRef(svc)} has no address because ${pools.length === 1 ? `${poolRef(pools[0]!)} (${metallbPoolRanges(pools[0]!).join(' ')}) has` : `its candidate pools ${list(pools.map((p) => nameOf(p)))} have`} no free address: every one is held by another LoadBalancer Service.`,
    `Add addresses to spec.addresses of ${list(pools.map(poolRef), 3)}, delete LoadBalancer Services that are no longer used, or let Services share an address (same metallb.io/allow-shared-ip key, disjoint ports).`);
}

const sharing: Analyzer = {
  name: 'lb-address-sharing',
  check: 'lb',
  codes: ['lb/sharing-conflict'],
  inputs: ['snapshot'],
  description: "Services on one MetalLB address follow MetalLB's sharing rules (same allow-shared-ip key, disjoint ports, same traffic policy, same selector with Local).",
  analyze(facts) {
    const out: Finding[] = [];
    const byAddress = new Map<string, Service[]>();
    for (const svc of lbServices(facts)) {
      for (const a of claimedIPs(svc)) byAddress.set(a, [...(byAddress.get(a) ?? []), svc]);
    }
    const reported = new Set<string>();
    for (const [address, services] of [...byAddress.entries()].sort(([a], [b]) => cmp(a, b))) {
      if (services.length < 2) continue;
      if (!services.every((s) => metallbDecides(facts, s) || facts.snapshot.metallb.ipAddressPools.some((p) => metallbPoolOwns(p, address)))) continue;
      for (const svc of services) {
        if (assignedIPs(svc).includes(address) && hasStatus(facts, svc)) continue; // it holds the address: the others lose
        const reasons = services.filter((o) => o !== svc)
          .map((o) => ({ o, r: sharingConflicts(shareCandidateOf(svc), shareCandidateOf(o)) }))
          .filter((x) => x.r.length > 0);
        if (reasons.length === 0) continue;
        const key = `${svcRef(svc)}|${address}`;
        if (reported.has(key)) continue;
        reported.add(key);
        out.push(finding('lb/sharing-conflict', subjectOf(svc),
          `Service ${svcRef(svc)} wants address ${address} with ${list(reasons.map((x) => svcRef(x.o)))}, but they cannot share it: ${reasons.flatMap((x) => x.r).join('; ')}. MetalLB gives the address to one of them and leaves the other without.`,
          `Give every Service on ${address} the same metallb.io/allow-shared-ip: KEY annotation, disjoint port/protocol pairs, the same spec.externalTrafficPolicy and, with Local, the same spec.selector; or give ${svcRef(svc)} its own address.`));
      }
    }
    return out;
  },
};

const advertisement: Analyzer = {
  name: 'lb-advertisement',
  check: 'lb',
  codes: ['lb/no-advertisement'],
  inputs: ['snapshot'],
  description: 'MetalLB pools that give addresses are announced by an L2Advertisement or BGPAdvertisement.',
  analyze(facts) {
    const out: Finding[] = [];
    const { ipAddressPools, l2Advertisements, bgpAdvertisements } = facts.snapshot.metallb;
    const advs = [...l2Advertisements, ...bgpAdvertisements];
    const known = absenceProves(facts, 'L2Advertisement') && absenceProves(facts, 'BGPAdvertisement');
    if (advs.length === 0 && !known) return out;
    const services = lbServices(facts).filter((s) => metallbDecides(facts, s));
    for (const pool of ipAddressPools) {
      if (advs.some((a) => advertisementSelectsPool(a, pool))) continue;
      const users = services.filter((s) => claimedIPs(s).some((a) => metallbPoolOwns(pool, a))
        || POOL_ANNOTATIONS.some((k) => splitList(annotationsOf(s)[k]).includes(nameOf(pool))))
        // MetalLB for addresses only, Calico's BGP announcing them: nothing is missing.
        .filter((s) => !(claimedIPs(s).length > 0 && claimedIPs(s).every((a) => calicoAdvertises(facts.ctx, s, a))));
      if (users.length === 0) continue;
      out.push(finding('lb/no-advertisement', subjectOf(pool),
        `${poolRef(pool)} gives addresses to ${list(users.map((s) => `Service ${svcRef(s)}`))}, but no L2Advertisement or BGPAdvertisement announces it${advs.length > 0 ? ` (${list(advs.map((a) => `${a.kind} ${nameOf(a)}`), 4)} select other pools)` : ''}: nothing answers ARP or advertises a route for those addresses, so clients cannot reach them.`,
        `Add an L2Advertisement (or BGPAdvertisement) in namespace ${nsOf(pool)} with spec.ipAddressPools: [${nameOf(pool)}], or add ${nameOf(pool)} to an existing advertisement's spec.ipAddressPools (${shellCommand(['exposectl', 'expose', 'SERVICE', '--mode', 'l2', '--pool', nameOf(pool)])} creates one).`));
    }
    return out;
  },
};

const overlap: Analyzer = {
  name: 'lb-pool-overlap',
  check: 'lb',
  codes: ['lb/pool-overlap'],
  inputs: ['snapshot'],
  description: 'MetalLB IPAddressPools (and Cilium LB-IPAM pools) do not overlap.',
  analyze(facts) {
    const out: Finding[] = [];
    const check = (pools: Custom[], rangesOf: (p: Custom) => string[], namespaced: boolean) => {
      const sorted = [...pools].sort((a, b) => cmp(nsOf(a), nsOf(b)) || cmp(nameOf(a), nameOf(b)));
      const seen = new Set<string>();
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          const a = sorted[i]!;
          const b = sorted[j]!;
          if ((namespaced ? nsOf(a) : '') === (namespaced ? nsOf(b) : '') && nameOf(a) === nameOf(b)) continue; // the same pool read twice
          const pairs: string[] = [];
          for (const ra of rangesOf(a)) {
            for (const rb of rangesOf(b)) {
              const x = parseRange(ra);
              const y = parseRange(rb);
              if (x && y && x.family === y.family && x.first <= y.last && y.first <= x.last) pairs.push(`${ra} / ${rb}`);
            }
          }
          const key = `${nameOf(a)}|${nameOf(b)}`;
          if (pairs.length === 0 || seen.has(key)) continue;
          seen.add(key);
          out.push(finding('lb/pool-overlap', subjectOf(b, namespaced),
            `${b.kind} ${nameOf(b)} overlaps ${a.kind} ${nameOf(a)} (${pairs.join(', ')}): an address in both belongs to whichever pool the implementation finds first, so which pool's rules (serviceAllocation, advertisements) apply to it is unpredictable.`,
            `Make spec.${namespaced ? 'addresses' : 'blocks'} of ${nameOf(a)} and ${nameOf(b)} disjoint (remove the common addresses from one of them).`));
        }
      }
    };
    check(facts.snapshot.metallb.ipAddressPools, metallbPoolRanges, true);
    check(facts.snapshot.cilium.loadBalancerIPPools.filter((p) => specOf(p)['disabled'] !== true), ciliumPoolRanges, false);
    return out;
  },
};

export const lbAnalyzers: Analyzer[] = [allocation, sharing, advertisement, overlap];
