// expose's pre-flight for the l2 and bgp modes: which MetalLB pool a Service draws from,
// which address, and what stands in the way (missing pool, no advertisement, no free
// address, sharing conflicts), by MetalLB's rules (src/discover/metallb.ts) and the
// address math of src/discover/ip.ts.

import {
  type AddressRange,
  addressKind,
  capacity,
  formatIP,
  normalizeEntry,
  parseAddressEntry,
  parseIP,
  parseRanges,
  rangesContain,
  rangesOverlap,
  UNUSABLE_WORDS,
  unusableReason,
} from '../discover/ip.js';
import {
  advertisementSelectsPool,
  type ShareCandidate,
  shareCandidateOf,
  sharingConflicts,
} from '../discover/metallb.js';
import type { Custom, Service } from '../model/snapshot.js';
import {
  hasMixedProtocols,
  names,
  otherServices,
  protocolOf,
  publishedServiceName,
  selectorProblems,
  servicePorts,
  svcName,
  svcNamespace,
} from './common.js';
import { ipAddressPool } from './metallb.js';
import { isOwnedFor, serviceAddresses, servicePoolAnnotation } from './ownership.js';
import { type ExposeFacts, type ExposeOptions, type ExposeSpec, METALLB_NAMESPACE, type Problem } from './spec.js';

/** The ranges of a pool object (malformed entries are ignored). */
export function poolRangesOf(pool: Custom): AddressRange[] {
  return parseRanges(((pool.spec?.addresses ?? []) as unknown[]).filter((a): a is string => typeof a === 'string'));
}

export interface LBPlan {
  problems: Problem[];
  notes: string[];
  /** Name of the pool the Service draws from (undefined: MetalLB's auto-assign pools). */
  poolName?: string;
  /** Entries of the pool to create (only when created from `addresses`). */
  newPoolAddresses?: string[];
  /** The pool object used (existing or to create), when known. */
  pool?: Custom;
  /** The address pinned with metallb.io/loadBalancerIPs: the requested ip, or the shared one. */
  ip?: string;
  /** Generate an advertisement for the pool (new pool, explicit options, or none covers it). */
  advertise: boolean;
}

function refOf(s: Service): string {
  return `${s.metadata.namespace ?? 'default'}/${s.metadata.name ?? ''}`;
}

/** Services (other than ours) that hold or will take an address from the pool. */
function poolUsers(others: Service[], pool: Custom, ranges: AddressRange[]): Service[] {
  return others.filter(
    (s) =>
      s.spec?.type === 'LoadBalancer' &&
      (servicePoolAnnotation(s) === pool.metadata.name || serviceAddresses(s).some((a) => rangesContain(ranges, a))),
  );
}

/** The pre-flight plan of an l2/bgp exposure: which pool, which address, what conflicts. */
export function planLoadBalancer(spec: ExposeSpec, facts: ExposeFacts): LBPlan {
  const problems: Problem[] = [...selectorProblems(spec)];
  const notes: string[] = [];
  const ns = svcNamespace(spec);
  const self = publishedServiceName(spec);
  const others = otherServices(facts, ns, self);
  const plan: LBPlan = { problems, notes, advertise: false };
  const advertOptions =
    spec.mode === 'l2'
      ? (spec.interfaces?.length ?? 0) > 0 || (spec.nodeSelectors?.length ?? 0) > 0
      : (spec.communities?.length ?? 0) > 0 ||
        spec.localPref !== undefined ||
        spec.aggregationLength !== undefined ||
        (spec.nodeSelectors?.length ?? 0) > 0;

  if (hasMixedProtocols(spec.service)) {
    notes.push(
      `Service ${svcName(spec)} mixes TCP and UDP on one address: MetalLB supports it (Kubernetes >= 1.26, MixedProtocolLBService)`,
    );
  }

  problems.push(...addressOptionProblems(spec));
  // The requested address.
  const ip = spec.ip === undefined ? undefined : parseIP(spec.ip);
  const ipText = ip ? formatIP(ip) : undefined;
  if (ip) {
    const families = spec.service.spec?.ipFamilies;
    if (families && families.length > 0 && !families.some((f) => f.toLowerCase() === ip!.kind())) {
      problems.push({
        field: 'ip',
        message: `${spec.ip} is ${ip.kind() === 'ipv4' ? 'IPv4' : 'IPv6'} but Service ${svcName(spec)} has ipFamilies ${families.join(', ')}`,
      });
    }
  }

  // Which pool.
  const pools = facts.pools;
  let ranges: AddressRange[] | undefined;
  if (spec.pool !== undefined && spec.addresses !== undefined && spec.addresses.length > 0) return plan;
  if (spec.pool !== undefined) {
    plan.poolName = spec.pool;
    if (!pools) {
      notes.push(
        `pool ${spec.pool} not checked (no cluster facts): its existence, capacity and membership of the address are left to MetalLB`,
      );
      plan.advertise = true;
    } else {
      const pool =
        pools.find(
          (p) => p.metadata.name === spec.pool && (p.metadata.namespace ?? METALLB_NAMESPACE) === METALLB_NAMESPACE,
        ) ?? pools.find((p) => p.metadata.name === spec.pool);
      if (!pool) {
        const known =
          pools
            .map((p) => p.metadata.name)
            .filter(Boolean)
            .join(', ') || 'none';
        problems.push({
          field: 'pool',
          message: `IPAddressPool ${spec.pool} does not exist (pools: ${known})`,
          code: 'lb/no-pool',
        });
        return plan;
      }
      plan.pool = pool;
      ranges = poolRangesOf(pool);
      const allowed = (pool.spec?.serviceAllocation as { namespaces?: string[] } | undefined)?.namespaces;
      if (allowed && allowed.length > 0 && !allowed.includes(ns)) {
        problems.push({
          field: 'pool',
          message: `IPAddressPool ${spec.pool} serves only namespaces ${allowed.join(', ')}, not ${ns}`,
          code: 'lb/no-pool',
        });
      }
    }
  } else if (spec.addresses !== undefined && spec.addresses.length > 0) {
    const name = names.metallb(ns, svcName(spec));
    plan.poolName = name;
    plan.newPoolAddresses = spec.addresses.map(normalizeEntry);
    plan.advertise = true;
    ranges = spec.addresses.map(parseAddressEntry).filter((r): r is AddressRange => typeof r !== 'string');
    const sameName = (pools ?? []).find((p) => p.metadata.name === name);
    const labels = sameName?.metadata.labels;
    if (
      sameName &&
      (labels?.['exposectl.dev/service'] !== svcName(spec) || labels?.['exposectl.dev/service-namespace'] !== ns)
    ) {
      problems.push({
        field: 'addresses',
        message: `IPAddressPool ${name} already exists and is not exposectl's pool for ${ns}/${svcName(spec)}: use it with --pool, or remove it`,
      });
    }
    if (!pools)
      notes.push(`overlap of ${plan.newPoolAddresses.join(', ')} with other pools not checked (no cluster facts)`);
    // Overlap with other pools (our own pool of an earlier run is ours to update).
    for (const other of pools ?? []) {
      if (other.metadata.name === name) continue;
      for (const r of ranges) {
        const hit = poolRangesOf(other).find((o) => rangesOverlap(r, o));
        if (hit)
          problems.push({
            field: 'addresses',
            message: `${r.text} overlaps ${hit.text} of IPAddressPool ${other.metadata.name}`,
            code: 'lb/pool-overlap',
          });
      }
    }
    plan.pool = ipAddressPool(spec, name, plan.newPoolAddresses);
  } else if (ipText !== undefined) {
    if (!pools) {
      notes.push(`the pool of ${ipText} is not checked (no cluster facts)`);
    } else {
      const pool = pools.find((p) => rangesContain(poolRangesOf(p), ipText));
      if (!pool) {
        problems.push({
          field: 'ip',
          message: `ip not in pool: ${ipText} is in no IPAddressPool (${pools.map((p) => p.metadata.name).join(', ') || 'none exist'}); give --addresses to create one`,
          code: 'lb/ip-not-in-pool',
        });
        return plan;
      }
      plan.pool = pool;
      plan.poolName = pool.metadata.name;
      ranges = poolRangesOf(pool);
    }
  } else if (!pools) {
    notes.push('no --pool, --addresses or --ip: MetalLB picks an auto-assign pool (not checked: no cluster facts)');
  } else {
    const auto = pools.filter((p) => p.spec?.autoAssign !== false);
    if (auto.length === 0) {
      problems.push({
        field: 'pool',
        message: 'no IPAddressPool with autoAssign exists: give --pool or --addresses',
        code: 'lb/no-pool',
      });
      return plan;
    }
    const known = spec.mode === 'l2' ? facts.l2Advertisements : facts.bgpAdvertisements;
    const announced = auto.filter((p) => (known ?? []).some((a) => advertisementSelectsPool(a, p)));
    if (known !== undefined && announced.length === 0) {
      problems.push({
        field: 'pool',
        message: `no ${spec.mode === 'l2' ? 'L2Advertisement' : 'BGPAdvertisement'} announces the auto-assign pools (${auto.map((p) => p.metadata.name).join(', ')}): give --pool or --addresses`,
        code: 'lb/no-advertisement',
      });
    }
    const free = auto.reduce((n, p) => n + freeIn(p, poolRangesOf(p), others), 0n);
    if (free < 1n && spec.shareIP === undefined) {
      problems.push({
        field: 'pool',
        message: `the auto-assign pools (${auto.map((p) => p.metadata.name).join(', ')}) have no free address`,
        code: 'lb/pool-exhausted',
      });
    }
  }

  // A Service that requires both families needs a pool with both.
  if (ranges && ranges.length > 0 && spec.service.spec?.ipFamilyPolicy === 'RequireDualStack') {
    const families = new Set(ranges.map((r) => r.family));
    if (families.size < 2) {
      problems.push({
        field: spec.addresses?.length ? 'addresses' : 'pool',
        message: `Service ${svcName(spec)} requires dual-stack but IPAddressPool ${plan.poolName} has only ${[...families].map((f) => (f === 4 ? 'IPv4' : 'IPv6')).join('')} addresses`,
        code: 'lb/no-pool',
      });
    }
  }

  // Advertisement for an existing pool: only if options ask for one or none covers it.
  if (plan.pool && !plan.newPoolAddresses) {
    const ads = spec.mode === 'l2' ? facts.l2Advertisements : facts.bgpAdvertisements;
    // Our own advertisement of an earlier run does not count: it is generated again.
    const others = (ads ?? []).filter((a) => !isOwnedFor(a, svcName(spec), ns));
    plan.advertise = advertOptions || !ads || !others.some((a) => advertisementSelectsPool(a, plan.pool!));
  } else if (!plan.pool && !plan.newPoolAddresses && advertOptions && plan.poolName === undefined) {
    problems.push({
      field: spec.mode === 'l2' ? 'interfaces' : 'communities',
      message: 'advertisement options need a pool to announce: give --pool or --addresses',
    });
  }

  // Membership of the requested address.
  if (ipText !== undefined && ranges && !rangesContain(ranges, ipText)) {
    problems.push({
      field: 'ip',
      message: `ip not in pool: ${ipText} is not in IPAddressPool ${plan.poolName} (${ranges.map((r) => r.text).join(', ')})`,
      code: 'lb/ip-not-in-pool',
    });
  }

  if (facts.services === undefined && (spec.ip !== undefined || spec.shareIP !== undefined)) {
    notes.push('address sharing not checked against other Services (no cluster facts)');
  }

  // Sharing: who holds the requested address, or who already uses our sharing key.
  const me: ShareCandidate = {
    namespace: ns,
    name: self,
    key: spec.shareIP,
    ports: servicePorts(spec.service).map((p) => ({ port: p.port, protocol: protocolOf(p) })),
    externalTrafficPolicy: spec.preserveSourceIP
      ? 'Local'
      : spec.inPlace
        ? (spec.service.spec?.externalTrafficPolicy ?? 'Cluster')
        : 'Cluster',
    selector: spec.service.spec?.selector,
  };
  const lbOthers = others.filter((s) => s.spec?.type === 'LoadBalancer');
  if (ipText !== undefined) {
    plan.ip = ipText;
    const holders = lbOthers.filter((s) => serviceAddresses(s).includes(ipText));
    for (const h of holders) {
      const reasons = sharingConflicts(me, shareCandidateOf(h));
      if (reasons.length > 0) {
        problems.push({
          field: spec.shareIP ? 'shareIP' : 'ip',
          message: `${ipText} is already used by ${refOf(h)} and cannot be shared: ${reasons.join('; ')}`,
          code: 'lb/sharing-conflict',
        });
      }
    }
  } else if (spec.shareIP !== undefined) {
    const sharers = lbOthers.filter((s) => shareCandidateOf(s).key === spec.shareIP);
    const byIP = new Map<string, Service[]>();
    for (const s of sharers) for (const a of serviceAddresses(s)) byIP.set(a, [...(byIP.get(a) ?? []), s]);
    const ips = [...byIP.keys()].sort();
    const usable = ips.find((a) => byIP.get(a)!.every((s) => sharingConflicts(me, shareCandidateOf(s)).length === 0));
    if (usable !== undefined) {
      plan.ip = usable;
      if (ranges && !rangesContain(ranges, usable)) {
        problems.push({
          field: 'shareIP',
          message: `the Services sharing key "${spec.shareIP}" use ${usable}, which is not in IPAddressPool ${plan.poolName}`,
          code: 'lb/ip-not-in-pool',
        });
      }
      notes.push(`shares ${usable} with ${byIP.get(usable)!.map(refOf).join(', ')} (sharing key "${spec.shareIP}")`);
    } else if (ips.length > 0) {
      const reasons = ips.flatMap((a) => byIP.get(a)!.flatMap((s) => sharingConflicts(me, shareCandidateOf(s))));
      problems.push({
        field: 'shareIP',
        message: `cannot share an address with the Services of sharing key "${spec.shareIP}": ${[...new Set(reasons)].join('; ')}`,
        code: 'lb/sharing-conflict',
      });
    }
  }

  // Capacity: a new address is needed unless one is pinned and already held.
  if (plan.pool && ranges && problems.length === 0) {
    const needsNew = plan.ip === undefined || !lbOthers.some((s) => serviceAddresses(s).includes(plan.ip!));
    if (needsNew && plan.ip === undefined && freeIn(plan.pool, ranges, others) < 1n) {
      const users = poolUsers(others, plan.pool, ranges);
      problems.push({
        field: spec.pool ? 'pool' : 'addresses',
        message: `IPAddressPool ${plan.poolName} has no free address (${capacity(ranges, plan.pool.spec?.avoidBuggyIPs === true)} in all, used by ${users.map(refOf).join(', ')})`,
        code: 'lb/pool-exhausted',
      });
    }
  }
  return plan;
}

/** Free addresses of a pool: its capacity minus the distinct addresses held or claimed by other Services. */
export function freeIn(pool: Custom, ranges: AddressRange[], others: Service[]): bigint {
  const users = poolUsers(others, pool, ranges);
  const used = new Set<string>();
  let pending = 0n;
  for (const s of users) {
    const inPool = serviceAddresses(s).filter((a) => rangesContain(ranges, a));
    if (inPool.length === 0) pending++;
    for (const a of inPool) used.add(a);
  }
  const cap = capacity(ranges, pool.spec?.avoidBuggyIPs === true);
  return cap - BigInt(used.size) - pending;
}

/** --ip, --addresses, --pool and --share-ip alone: syntax, usable addresses, no overlap among the entries. */
export function addressOptionProblems(spec: ExposeOptions): Problem[] {
  const problems: Problem[] = [];
  if (spec.ip !== undefined) {
    const ip = parseIP(spec.ip);
    const kind = ip ? UNUSABLE_WORDS[addressKind(ip)] : undefined;
    if (!ip) problems.push({ field: 'ip', message: `${spec.ip} is not an IP address` });
    else if (kind)
      problems.push({ field: 'ip', message: `${spec.ip} is a ${kind} address: no client can reach a Service there` });
  }
  if (spec.shareIP !== undefined && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(spec.shareIP)) {
    problems.push({
      field: 'shareIP',
      message: `sharing key "${spec.shareIP}" must be a non-empty annotation value of letters, digits, '-', '_' or '.'`,
    });
  }
  if (spec.pool !== undefined && spec.addresses !== undefined && spec.addresses.length > 0) {
    problems.push({
      field: 'pool',
      message: 'give either --pool (reuse an IPAddressPool) or --addresses (create one), not both',
    });
    return problems;
  }
  const ranges: AddressRange[] = [];
  for (const entry of spec.addresses ?? []) {
    const r = parseAddressEntry(entry);
    const unusable = typeof r === 'string' ? undefined : unusableReason(r);
    if (typeof r === 'string') problems.push({ field: 'addresses', message: r });
    else if (unusable) problems.push({ field: 'addresses', message: `${entry.trim()} ${unusable}` });
    else ranges.push(r);
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (rangesOverlap(ranges[i]!, ranges[j]!))
        problems.push({ field: 'addresses', message: `${ranges[i]!.text} overlaps ${ranges[j]!.text}` });
    }
  }
  return problems;
}
