// lb/*: LoadBalancer addresses as MetalLB assigns and announces them (and, where they
// apply, Cilium LB-IPAM's pools). Pure.
//
// MetalLB's rules (pool ownership and admission, advertisements, sharing) are
// src/discover/metallb.ts; this file turns them into findings.

import { calicoAdvertises } from '../discover/calico.js';
import { cmp } from '../discover/context.js';
import {
  ciliumPoolRanges,
  classifyLoadBalancer,
  kubeVipAnnouncers,
  kubeVipRanges,
  loadBalancerAddresses,
} from '../discover/implementation.js';
import { anyRangeContains, capacity, isBuggyIPv4, parseAddress, parseRange, rangesOverlap } from '../discover/ip.js';
import {
  advertisementSelectsPool,
  advertisementsComplete,
  metallbFacts,
  type PoolFact,
  poolAdmits,
  poolOwns,
  poolPriority,
  shareCandidateOf,
  sharingConflicts,
} from '../discover/metallb.js';
import { type ServiceFact, serviceFacts } from '../discover/services.js';
import type { Finding } from '../model/finding.js';
import type { Custom } from '../model/snapshot.js';
import { shellCommand } from '../util/shell-quote.js';
import { finding } from './codes.js';
import type { Analyzer, Facts } from './types.js';
import { absenceProves, absentText, list, subjectOf } from './util.js';

/** What the lb analyzers read about one LoadBalancer Service, built once per snapshot. */
interface LbService {
  svc: ServiceFact;
  /** Assigned addresses (status.loadBalancer.ingress), as written. */
  assignedRaw: string[];
  /** Assigned addresses that are IP addresses. */
  assigned: string[];
  requested: string[];
  /** The addresses it holds or asks for (IP addresses only, each once). */
  claimed: string[];
}

interface LbFacts {
  /** LoadBalancer Services, the last version of each when files hold several. */
  services: LbService[];
  /** Per pool: each address it owns that Services hold or ask for, and those Services. */
  claimants(pool: PoolFact): Map<string, LbService[]>;
}

/** The lb analyzers' view of the snapshot, memoized with the MetalLB facts (replaces module-level caches). */
function lbFacts(facts: Facts): LbFacts {
  const metallb = metallbFacts(facts.ctx);
  const cached = metallb.memo.get('lb-analyzers') as LbFacts | undefined;
  if (cached) return cached;
  const services = serviceFacts(facts.ctx)
    .latest.filter((s) => s.type === 'LoadBalancer')
    .map((svc): LbService => {
      const { assigned, requested } = loadBalancerAddresses(svc.object);
      return {
        svc,
        assignedRaw: assigned,
        assigned: assigned.filter((a) => parseAddress(a) !== undefined),
        requested,
        claimed: [...new Set([...assigned, ...requested].filter((a) => parseAddress(a) !== undefined))],
      };
    });
  const perPool = new Map<PoolFact, Map<string, LbService[]>>();
  const result: LbFacts = {
    services,
    claimants(pool) {
      let index = perPool.get(pool);
      if (!index) {
        index = new Map();
        for (const s of services)
          for (const a of s.claimed) if (poolOwns(pool, a)) index.set(a, [...(index.get(a) ?? []), s]);
        perPool.set(pool, index);
      }
      return index;
    },
  };
  metallb.memo.set('lb-analyzers', result);
  return result;
}

const poolRef = (p: PoolFact) => `IPAddressPool ${p.namespace}/${p.name}`;

/** Whether the object carries live status (live cluster, or exported with kubectl get -o yaml). */
function hasStatus(facts: Facts, s: LbService): boolean {
  return facts.ctx.live || s.svc.hasLoadBalancerStatus;
}

/** Whether MetalLB's rules decide this Service's address (not another implementation, not ambiguous). */
function metallbDecides(facts: Facts, s: LbService): boolean {
  const lbc = classifyLoadBalancer(facts.ctx, s.svc.object);
  if (lbc.implementation === 'metallb') return true;
  if (lbc.implementation !== null || lbc.notes.length > 0 || s.svc.loadBalancerClass) return false;
  const snap = facts.snapshot;
  return (
    snap.metallb.ipAddressPools.length > 0 &&
    snap.cilium.loadBalancerIPPools.length === 0 &&
    kubeVipAnnouncers(facts.ctx).length === 0 &&
    kubeVipRanges(facts.ctx).length === 0
  );
}

/** Free addresses of a pool for `s`: capacity minus the distinct addresses other Services hold or ask for in it. */
function freeFor(facts: Facts, pool: PoolFact, s: LbService): bigint {
  const cap = capacity(pool.ranges, pool.avoidBuggyIPs);
  const index = lbFacts(facts).claimants(pool);
  if (BigInt(index.size) < cap) return cap - BigInt(index.size); // room whoever holds what
  let used = 0n;
  for (const [, holders] of index) {
    const others = holders.filter((o) => o !== s && o.svc.key !== s.svc.key);
    if (others.length === 0) continue;
    // An address the Service could share is not taken for it.
    if (others.every((o) => sharingConflicts(shareCandidateOf(s.svc), shareCandidateOf(o.svc)).length === 0)) return 1n;
    used += 1n;
  }
  return cap - used;
}

const allocation: Analyzer = {
  name: 'lb-allocation',
  check: 'lb',
  codes: ['lb/pending', 'lb/no-pool', 'lb/pool-exhausted', 'lb/ip-not-in-pool'],
  inputs: ['snapshot'],
  description:
    "LoadBalancer Services get an address: MetalLB's pool selection (requested address, named pool, serviceAllocation, autoAssign, capacity), Cilium pools, or any implementation's status.",
  analyze(facts) {
    const out: Finding[] = [];
    const metallb = metallbFacts(facts.ctx);
    const pools = metallb.pools;
    for (const lb of lbFacts(facts).services) {
      const { svc } = lb;
      const subject = subjectOf(svc.object);
      const ref = svc.key;
      const { requested } = lb;
      const waiting = lb.assigned.length === 0 && lb.assignedRaw.length === 0;
      const before = out.length;
      const lbc = classifyLoadBalancer(facts.ctx, svc.object);
      if (metallbDecides(facts, lb) && waiting) {
        const named = metallb.namedPools(svc);
        if (requested.length > 0) {
          for (const ip of requested) {
            const owners = pools.filter((p) => poolOwns(p, ip));
            if (owners.length === 0) {
              if (pools.length === 0 && !absenceProves(facts, 'IPAddressPool')) continue;
              out.push(
                finding(
                  'lb/ip-not-in-pool',
                  subject,
                  `Service ${ref} asks for ${ip}, which is in no MetalLB IPAddressPool${facts.ctx.live ? '' : ' of the input'}${
                    pools.length > 0
                      ? ` (pools: ${list(
                          pools.map((p) => `${p.name} ${p.entries.join(' ')}`),
                          4,
                        )})`
                      : ''
                  }: MetalLB refuses to assign it and the Service stays without an address.`,
                  `Request an address inside a pool (spec.loadBalancerIP or metallb.io/loadBalancerIPs on ${ref}), or add ${ip} to an IPAddressPool's spec.addresses${pools.some((p) => p.avoidBuggyIPs) && isBuggyIPv4(ip) ? ' (pools with avoidBuggyIPs never give .0 or .255 addresses)' : ''}.`,
                ),
              );
              continue;
            }
            if (named.length > 0 && !owners.some((p) => named.includes(p.name))) {
              out.push(
                finding(
                  'lb/ip-not-in-pool',
                  subject,
                  `Service ${ref} asks for ${ip} from pool ${named.join(', ')} (annotation metallb.io/address-pool), but ${ip} belongs to ${list(owners.map(poolRef))}: MetalLB refuses the assignment.`,
                  `Either request an address of ${named.join(', ')} or remove the metallb.io/address-pool annotation from ${ref}.`,
                ),
              );
              continue;
            }
            const refusals = owners.map((p) => ({ p, a: poolAdmits(p, svc) })).filter((x) => x.a.ok === false);
            if (refusals.length === owners.length) {
              out.push(
                finding(
                  'lb/no-pool',
                  subject,
                  `Service ${ref} asks for ${ip}, but ${refusals.map((x) => `${poolRef(x.p)}: ${(x.a as { why: string }).why}`).join('; ')}: MetalLB does not assign it.`,
                  `Add namespace ${svc.namespace} (or a label the Service has) to the pool's spec.serviceAllocation, or request an address from a pool that admits ${ref}.`,
                ),
              );
            }
          }
        } else if (named.length > 0) {
          for (const n of named) {
            const pool = pools.find((p) => p.name === n);
            if (!pool) {
              if (!absenceProves(facts, 'IPAddressPool')) continue;
              out.push(
                finding(
                  'lb/no-pool',
                  subject,
                  `Service ${ref} names IPAddressPool ${n} (annotation metallb.io/address-pool), which ${absentText(facts).doesNotExist}: MetalLB cannot give it an address.`,
                  `Create IPAddressPool ${n} in the MetalLB namespace, or set metallb.io/address-pool on ${ref} to an existing pool (${list(pools.map((p) => p.name)) || 'none exists'}).`,
                ),
              );
              continue;
            }
            const a = poolAdmits(pool, svc);
            if (a.ok === false) {
              out.push(
                finding(
                  'lb/no-pool',
                  subject,
                  `Service ${ref} names ${poolRef(pool)}, but ${a.why}: MetalLB does not assign from it.`,
                  `Add namespace ${svc.namespace} (or a label the Service has) to ${poolRef(pool)} spec.serviceAllocation, or name another pool.`,
                ),
              );
            } else if (hasStatus(facts, lb) && freeFor(facts, pool, lb) <= 0n) {
              out.push(exhausted(svc, [pool]));
            }
          }
        } else {
          const verdicts = pools.map((p) => ({
            p,
            a: !p.autoAssign ? { ok: false as const, why: 'autoAssign: false' } : poolAdmits(p, svc),
          }));
          const candidates = verdicts
            .filter((v) => v.a.ok !== false)
            .sort((x, y) => poolPriority(x.p) - poolPriority(y.p) || cmp(x.p.name, y.p.name));
          if (
            candidates.length === 0 &&
            (pools.length > 0 || (lbc.implementation === 'metallb' && absenceProves(facts, 'IPAddressPool')))
          ) {
            out.push(
              finding(
                'lb/no-pool',
                subject,
                pools.length === 0
                  ? `Service ${ref} is left to MetalLB, which has no IPAddressPool${facts.ctx.live ? '' : ' in the input'}: it never gets an address.`
                  : `No MetalLB pool can serve Service ${ref}: ${verdicts.map((v) => `${v.p.name} (${(v.a as { why: string }).why})`).join('; ')}; it never gets an address.`,
                pools.some((p) => !p.autoAssign)
                  ? `Name a pool with the annotation metallb.io/address-pool: ${pools.find((p) => !p.autoAssign)!.name} on ${ref} (pools with autoAssign: false serve only Services that name them), or add an auto-assign IPAddressPool whose serviceAllocation admits namespace ${svc.namespace}.`
                  : `Add an IPAddressPool whose serviceAllocation admits ${ref} (namespace ${svc.namespace}, its labels), or widen an existing pool's serviceAllocation.`,
              ),
            );
          } else if (
            candidates.length > 0 &&
            hasStatus(facts, lb) &&
            candidates.every((c) => freeFor(facts, c.p, lb) <= 0n)
          ) {
            out.push(
              exhausted(
                svc,
                candidates.map((c) => c.p),
              ),
            );
          }
        }
      }
      // Cilium LB-IPAM: a requested address outside every pool is refused.
      if (lbc.implementation === 'cilium' && waiting && requested.length > 0) {
        const cpools = facts.snapshot.cilium.loadBalancerIPPools.filter((p) => p.spec?.disabled !== true);
        for (const ip of requested) {
          if (cpools.some((p) => anyRangeContains(ciliumPoolRanges(p), ip))) continue;
          if (cpools.length === 0 && !absenceProves(facts, 'CiliumLoadBalancerIPPool')) continue;
          out.push(
            finding(
              'lb/ip-not-in-pool',
              subject,
              `Service ${ref} asks for ${ip}, which is in no CiliumLoadBalancerIPPool: LB-IPAM refuses it and the Service stays without an address.`,
              `Request an address inside a pool (lbipam.cilium.io/ips on ${ref}) or add a block with ${ip} to a CiliumLoadBalancerIPPool's spec.blocks.`,
            ),
          );
        }
      }
      if (out.length === before && waiting && hasStatus(facts, lb) && !sharingBlocked(facts, lb)) {
        const why = [...lbc.problems, ...lbc.hints, ...lbc.notes];
        out.push(
          finding(
            'lb/pending',
            subject,
            `LoadBalancer Service ${ref} has no address${requested.length > 0 ? ` (it asks for ${requested.join(', ')})` : ''}${why.length > 0 ? `: ${why.join('; ')}` : ''}: clients have nothing to connect to.`,
            lbc.implementation
              ? `Check ${lbc.implementation}'s controller logs and the events of ${ref} (${shellCommand(['kubectl', 'describe', 'svc', svc.name, '-n', svc.namespace])}) for why it was not assigned.`
              : `Install or configure a load-balancer implementation that serves it (MetalLB IPAddressPool + L2Advertisement, Cilium LB-IPAM, kube-vip), or run ${shellCommand(['exposectl', 'expose', svc.name, '-n', svc.namespace, '--mode', 'l2'])} --addresses RANGE.`,
          ),
        );
      }
    }
    return out;
  },
};

/** The Service asks for an address another Service holds or asks for, and they cannot share it (lb/sharing-conflict says why). */
function sharingBlocked(facts: Facts, s: LbService): boolean {
  const mine = s.claimed;
  if (mine.length === 0) return false;
  return lbFacts(facts).services.some(
    (o) =>
      o !== s &&
      o.claimed.some((a) => mine.includes(a)) &&
      sharingConflicts(shareCandidateOf(s.svc), shareCandidateOf(o.svc)).length > 0,
  );
}

function exhausted(svc: ServiceFact, pools: PoolFact[]): Finding {
  return finding(
    'lb/pool-exhausted',
    subjectOf(svc.object),
    `Service ${svc.key} has no address because ${pools.length === 1 ? `${poolRef(pools[0]!)} (${pools[0]!.entries.join(' ')}) has` : `its candidate pools ${list(pools.map((p) => p.name))} have`} no free address: every one is held by another LoadBalancer Service.`,
    `Add addresses to spec.addresses of ${list(pools.map(poolRef), 3)}, delete LoadBalancer Services that are no longer used, or let Services share an address (same metallb.io/allow-shared-ip key, disjoint ports).`,
  );
}

const sharing: Analyzer = {
  name: 'lb-address-sharing',
  check: 'lb',
  codes: ['lb/sharing-conflict'],
  inputs: ['snapshot'],
  description:
    "Services on one MetalLB address follow MetalLB's sharing rules (same allow-shared-ip key, disjoint ports, same traffic policy, same selector with Local).",
  analyze(facts) {
    const out: Finding[] = [];
    const byAddress = new Map<string, LbService[]>();
    for (const s of lbFacts(facts).services) {
      for (const a of s.claimed) byAddress.set(a, [...(byAddress.get(a) ?? []), s]);
    }
    const pools = metallbFacts(facts.ctx).pools;
    const reported = new Set<string>();
    for (const [address, services] of [...byAddress.entries()].sort(([a], [b]) => cmp(a, b))) {
      if (services.length < 2) continue;
      if (!services.every((s) => metallbDecides(facts, s) || pools.some((p) => poolOwns(p, address)))) continue;
      for (const s of services) {
        const svc = s.svc;
        if (s.assigned.includes(address) && hasStatus(facts, s)) continue; // it holds the address: the others lose
        const reasons = services
          .filter((o) => o !== s)
          .map((o) => ({ o: o.svc, r: sharingConflicts(shareCandidateOf(svc), shareCandidateOf(o.svc)) }))
          .filter((x) => x.r.length > 0);
        if (reasons.length === 0) continue;
        const key = `${svc.key}|${address}`;
        if (reported.has(key)) continue;
        reported.add(key);
        out.push(
          finding(
            'lb/sharing-conflict',
            subjectOf(svc.object),
            `Service ${svc.key} wants address ${address} with ${list(reasons.map((x) => x.o.key))}, but they cannot share it: ${reasons.flatMap((x) => x.r).join('; ')}. MetalLB gives the address to one of them and leaves the other without.`,
            `Give every Service on ${address} the same metallb.io/allow-shared-ip: KEY annotation, disjoint port/protocol pairs, the same spec.externalTrafficPolicy and, with Local, the same spec.selector; or give ${svc.key} its own address.`,
          ),
        );
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
    const metallb = metallbFacts(facts.ctx);
    const advs = metallb.advertisements;
    // MetalLB's advertisements are one piece of configuration in two kinds: the input holds
    // that namespace's advertisements when it holds either kind there.
    const known = (namespace: string) =>
      facts.ctx.live
        ? absenceProves(facts, 'L2Advertisement', namespace) && absenceProves(facts, 'BGPAdvertisement', namespace)
        : advertisementsComplete(facts.ctx, namespace);
    const judged = metallb.pools.filter((p) => known(p.namespace));
    if (judged.length === 0) return out;
    const services = lbFacts(facts).services.filter((s) => metallbDecides(facts, s));
    for (const pool of judged) {
      if (advs.some((a) => advertisementSelectsPool(a.object, pool.object))) continue;
      const users = services
        .filter((s) => s.claimed.some((a) => poolOwns(pool, a)) || metallb.namedPools(s.svc).includes(pool.name))
        // MetalLB for addresses only, Calico's BGP announcing them: nothing is missing.
        .filter((s) => !(s.claimed.length > 0 && s.claimed.every((a) => calicoAdvertises(facts.ctx, s.svc.object, a))));
      if (users.length === 0) continue;
      out.push(
        finding(
          'lb/no-advertisement',
          subjectOf(pool.object),
          `${poolRef(pool)} gives addresses to ${list(users.map((s) => `Service ${s.svc.key}`))}, but no L2Advertisement or BGPAdvertisement${facts.ctx.live ? '' : ' in the input'} announces it${
            advs.length > 0
              ? ` (${list(
                  advs.map((a) => `${a.kind} ${a.name}`),
                  4,
                )} select other pools)`
              : ''
          }: nothing answers ARP or advertises a route for those addresses, so clients cannot reach them.`,
          `Add an L2Advertisement (or BGPAdvertisement) in namespace ${pool.namespace} with spec.ipAddressPools: [${pool.name}], or add ${pool.name} to an existing advertisement's spec.ipAddressPools (${shellCommand(['exposectl', 'expose', 'SERVICE', '--mode', 'l2', '--pool', pool.name])} creates one).`,
        ),
      );
    }
    return out;
  },
};

interface RangedPool {
  object: Custom;
  namespace: string;
  name: string;
  entries: string[];
}

const overlap: Analyzer = {
  name: 'lb-pool-overlap',
  check: 'lb',
  codes: ['lb/pool-overlap'],
  inputs: ['snapshot'],
  description: 'MetalLB IPAddressPools (and Cilium LB-IPAM pools) do not overlap.',
  analyze(facts) {
    const out: Finding[] = [];
    const check = (pools: RangedPool[], namespaced: boolean) => {
      const sorted = [...pools].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
      const seen = new Set<string>();
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          const a = sorted[i]!;
          const b = sorted[j]!;
          if ((namespaced ? a.namespace : '') === (namespaced ? b.namespace : '') && a.name === b.name) continue; // the same pool read twice
          const pairs: string[] = [];
          for (const ra of a.entries) {
            for (const rb of b.entries) {
              const x = parseRange(ra);
              const y = parseRange(rb);
              if (x && y && rangesOverlap(x, y)) pairs.push(`${ra} / ${rb}`);
            }
          }
          const key = `${a.name}|${b.name}`;
          if (pairs.length === 0 || seen.has(key)) continue;
          seen.add(key);
          out.push(
            finding(
              'lb/pool-overlap',
              subjectOf(b.object, namespaced),
              `${b.object.kind} ${b.name} overlaps ${a.object.kind} ${a.name} (${pairs.join(', ')}): an address in both belongs to whichever pool the implementation finds first, so which pool's rules (serviceAllocation, advertisements) apply to it is unpredictable.`,
              `Make spec.${namespaced ? 'addresses' : 'blocks'} of ${a.name} and ${b.name} disjoint (remove the common addresses from one of them).`,
            ),
          );
        }
      }
    };
    check(metallbFacts(facts.ctx).pools, true);
    check(
      facts.snapshot.cilium.loadBalancerIPPools
        .filter((p) => p.spec?.disabled !== true)
        .map((p) => ({ object: p, namespace: '', name: subjectOf(p, false).name, entries: ciliumPoolRanges(p) })),
      false,
    );
    return out;
  },
};

export const lbAnalyzers: Analyzer[] = [allocation, sharing, advertisement, overlap];
