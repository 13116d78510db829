// MetalLB logic shared by the l2 and bgp modes: address parsing (ipaddr.js), pools
// (reuse or create), capacity, overlap, membership of a requested address, MetalLB's
// address-sharing rules, and the LoadBalancer Service with its annotations.
import ipaddr from 'ipaddr.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Custom, Service } from '../model/snapshot.js';
import {
  hasMixedProtocols, meta, names, otherServices, protocolOf, publishedService, publishedServiceName, selectorKey,
  selectorProblems, servicePorts, svcName, svcNamespace,
} from './common.js';
import { isOwnedFor, serviceAddresses, servicePoolAnnotation } from './ownership.js';
import { METALLB_NAMESPACE, type ExposeFacts, type ExposeOptions, type ExposeSpec, type Labels, type Problem } from './spec.js';

export const ANN_POOL = 'metallb.io/address-pool';
export const ANN_IPS = 'metallb.io/loadBalancerIPs';
export const ANN_SHARED = 'metallb.io/allow-shared-ip';
export const METALLB_API = 'metallb.io/v1beta1';
export const METALLB_PEER_API = 'metallb.io/v1beta2';

// ---------------------------------------------------------------------------------------
// Addresses

export type Family = 'ipv4' | 'ipv6';

/** An inclusive address range, as big integers. */
export interface AddrRange {
  family: Family;
  start: bigint;
  end: bigint;
  /** The entry as written in the pool. */
  text: string;
}

function toBig(ip: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return ip.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function fromBig(value: bigint, family: Family): string {
  const len = family === 'ipv4' ? 4 : 16;
  const bytes: number[] = [];
  let v = value;
  for (let i = 0; i < len; i++) { bytes.unshift(Number(v & 0xffn)); v >>= 8n; }
  const ip = ipaddr.fromByteArray(bytes);
  return ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString();
}

const bitsOf = (f: Family) => (f === 'ipv4' ? 32n : 128n);

/** A strict single address (four-part decimal for IPv4), or undefined. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const t = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) return ipaddr.IPv4.parse(t);
  if (t.includes(':') && ipaddr.IPv6.isValid(t)) {
    const ip = ipaddr.IPv6.parse(t);
    return ip.isIPv4MappedAddress() ? ip.toIPv4Address() : ip;
  }
  return undefined;
}

/**
 * One pool entry: `a-b` (inclusive range, same family, a <= b), `addr/len` CIDR, or a
 * single address (taken as /32 or /128). Returns the range or an error message.
 */
export function parseAddressEntry(entry: string): AddrRange | string {
  const text = entry.trim();
  if (text.includes('/')) {
    const [addr, len] = text.split('/');
    const ip = parseAddress(addr ?? '');
    if (!ip || !/^\d{1,3}$/.test(len ?? '')) return `${entry}: not a CIDR`;
    const family = ip.kind();
    const prefix = BigInt(len!);
    if (prefix > bitsOf(family)) return `${entry}: prefix length ${len} is too long for ${family === 'ipv4' ? 'IPv4' : 'IPv6'}`;
    const host = bitsOf(family) - prefix;
    const start = (toBig(ip) >> host) << host;
    return { family, start, end: start + (1n << host) - 1n, text };
  }
  if (text.includes('-') && !text.startsWith('-')) {
    const parts = text.split('-');
    if (parts.length !== 2) return `${entry}: a range is written FIRST-LAST`;
    const a = parseAddress(parts[0]!);
    const b = parseAddress(parts[1]!);
    if (!a || !b) return `${entry}: ${!a ? parts[0]!.trim() : parts[1]!.trim()} is not an IP address`;
    if (a.kind() !== b.kind()) return `${entry}: the range mixes IPv4 and IPv6`;
    const start = toBig(a);
    const end = toBig(b);
    if (start > end) return `${entry}: the first address is after the last`;
    return { family: a.kind(), start, end, text };
  }
  const ip = parseAddress(text);
  if (!ip) return `${entry}: not an IP address, a FIRST-LAST range or a CIDR`;
  return { family: ip.kind(), start: toBig(ip), end: toBig(ip), text };
}

/** The entry MetalLB accepts: single addresses become /32 or /128 CIDRs. */
export function normalizeEntry(entry: string): string {
  const t = entry.trim();
  if (t.includes('/')) return t;
  if (t.includes('-')) return t.split('-').map((s) => s.trim()).join('-');
  const ip = parseAddress(t);
  return ip ? `${t}/${ip.kind() === 'ipv4' ? 32 : 128}` : t;
}

/** The ranges of a pool object (malformed entries are ignored). */
export function poolRanges(pool: Custom): AddrRange[] {
  const out: AddrRange[] = [];
  for (const e of ((pool.spec?.['addresses'] ?? []) as string[])) {
    const r = parseAddressEntry(e);
    if (typeof r !== 'string') out.push(r);
  }
  return out;
}

export function rangesContain(ranges: AddrRange[], address: string): boolean {
  const ip = parseAddress(address);
  if (!ip) return false;
  const v = toBig(ip);
  return ranges.some((r) => r.family === ip.kind() && r.start <= v && v <= r.end);
}

export function rangesOverlap(a: AddrRange, b: AddrRange): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
/** How many x in [start, end] have x mod m = r. */
const countMod = (start: bigint, end: bigint, m: bigint, r: bigint) => floorDiv(end - r, m) - floorDiv(start - 1n - r, m);

/** Number of assignable addresses: MetalLB's avoidBuggyIPs skips IPv4 .0 and .255. */
export function capacity(ranges: AddrRange[], avoidBuggyIPs = false): bigint {
  let total = 0n;
  for (const r of ranges) {
    total += r.end - r.start + 1n;
    if (avoidBuggyIPs && r.family === 'ipv4') total -= countMod(r.start, r.end, 256n, 0n) + countMod(r.start, r.end, 256n, 255n);
  }
  return total;
}

/** The minimal CIDRs covering a range exactly (MetalLB converts ranges this way). */
export function rangeToCidrs(r: AddrRange): Array<{ address: string; prefix: number }> {
  const bits = bitsOf(r.family);
  const out: Array<{ address: string; prefix: number }> = [];
  let cur = r.start;
  while (cur <= r.end) {
    let host = 0n;
    while (host < bits) {
      const size = 1n << (host + 1n);
      if (cur % size !== 0n || cur + size - 1n > r.end) break;
      host++;
    }
    out.push({ address: fromBig(cur, r.family), prefix: Number(bits - host) });
    cur += 1n << host;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// ASNs and BGP values

export const MAX_ASN = 4294967295;

export function isValidASN(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_ASN;
}

/** `A:B` (16-bit halves) or `large:A:B:C` (32-bit parts). */
export function isValidCommunity(c: string): boolean {
  const std = /^(\d{1,5}):(\d{1,5})$/.exec(c);
  if (std) return Number(std[1]) <= 65535 && Number(std[2]) <= 65535;
  const large = /^large:(\d{1,10}):(\d{1,10}):(\d{1,10})$/.exec(c);
  if (large) return [large[1], large[2], large[3]].every((x) => Number(x) <= MAX_ASN);
  return false;
}

// ---------------------------------------------------------------------------------------
// Sharing (MetalLB's rules, allocator.go): both Services carry the same non-empty key,
// no port+protocol in common, the same externalTrafficPolicy, and with Local the same
// pod selector (MetalLB's "backend key").

export interface ShareCandidate {
  namespace: string;
  name: string;
  key: string | undefined;
  ports: Array<{ port: number; protocol: string }>;
  externalTrafficPolicy: string;
  selector: Labels | undefined;
}

export function shareCandidateOf(svc: Service): ShareCandidate {
  return {
    namespace: svc.metadata.namespace ?? 'default',
    name: svc.metadata.name ?? '',
    key: svc.metadata.annotations?.[ANN_SHARED] ?? svc.metadata.annotations?.['metallb.universe.tf/allow-shared-ip'],
    ports: servicePorts(svc).map((p) => ({ port: p.port, protocol: protocolOf(p) })),
    externalTrafficPolicy: svc.spec?.externalTrafficPolicy ?? 'Cluster',
    selector: svc.spec?.selector,
  };
}

/** Why `a` cannot share an address with `b` (empty when it can). */
export function sharingConflicts(a: ShareCandidate, b: ShareCandidate): string[] {
  const reasons: string[] = [];
  const who = `${b.namespace}/${b.name}`;
  if (!a.key || !b.key) reasons.push(`${!b.key ? who : 'this Service'} has no ${ANN_SHARED} key`);
  else if (a.key !== b.key) reasons.push(`sharing key "${a.key}" differs from ${who}'s "${b.key}"`);
  const clash = a.ports.filter((p) => b.ports.some((q) => q.port === p.port && q.protocol === p.protocol));
  if (clash.length > 0) reasons.push(`port ${clash.map((p) => `${p.port}/${p.protocol}`).join(', ')} is also used by ${who}`);
  if (a.externalTrafficPolicy !== b.externalTrafficPolicy) {
    reasons.push(`externalTrafficPolicy ${a.externalTrafficPolicy} differs from ${who}'s ${b.externalTrafficPolicy}`);
  } else if (a.externalTrafficPolicy === 'Local' && selectorKey(a.selector) !== selectorKey(b.selector)) {
    reasons.push(`with externalTrafficPolicy Local the selector must match ${who}'s (${selectorKey(b.selector) || 'none'})`);
  }
  return reasons;
}

// ---------------------------------------------------------------------------------------
// The plan shared by validate and manifests

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

function poolLabelMatch(selector: { matchLabels?: Labels } | undefined, pool: Custom): boolean {
  if (!selector?.matchLabels || Object.keys(selector.matchLabels).length === 0) return false;
  return Object.entries(selector.matchLabels).every(([k, v]) => pool.metadata.labels?.[k] === v);
}

/** Does an advertisement announce the pool? No pools and no selectors = every pool. */
export function advertisementCovers(ad: Custom, pool: Custom): boolean {
  const pools = (ad.spec?.['ipAddressPools'] ?? []) as string[];
  const selectors = (ad.spec?.['ipAddressPoolSelectors'] ?? []) as Array<{ matchLabels?: Labels }>;
  if (pools.length === 0 && selectors.length === 0) return true;
  return pools.includes(pool.metadata.name ?? '') || selectors.some((s) => poolLabelMatch(s, pool));
}

function refOf(s: Service): string {
  return `${s.metadata.namespace ?? 'default'}/${s.metadata.name ?? ''}`;
}

/** Services (other than ours) that hold or will take an address from the pool. */
function poolUsers(others: Service[], pool: Custom, ranges: AddrRange[]): Service[] {
  return others.filter((s) => s.spec?.type === 'LoadBalancer'
    && (servicePoolAnnotation(s) === pool.metadata.name || serviceAddresses(s).some((a) => rangesContain(ranges, a))));
}

/** The pre-flight plan of an l2/bgp exposure: which pool, which address, what conflicts. */
export function planLoadBalancer(spec: ExposeSpec, facts: ExposeFacts): LBPlan {
  const problems: Problem[] = [...selectorProblems(spec)];
  const notes: string[] = [];
  const ns = svcNamespace(spec);
  const self = publishedServiceName(spec);
  const others = otherServices(facts, ns, self);
  const plan: LBPlan = { problems, notes, advertise: false };
  const advertOptions = spec.mode === 'l2'
    ? (spec.interfaces?.length ?? 0) > 0 || (spec.nodeSelectors?.length ?? 0) > 0
    : (spec.communities?.length ?? 0) > 0 || spec.localPref !== undefined || spec.aggregationLength !== undefined || (spec.nodeSelectors?.length ?? 0) > 0;

  if (hasMixedProtocols(spec.service)) {
    notes.push(`Service ${svcName(spec)} mixes TCP and UDP on one address: MetalLB supports it (Kubernetes >= 1.26, MixedProtocolLBService)`);
  }

  problems.push(...addressOptionProblems(spec));
  // The requested address.
  const ip = spec.ip === undefined ? undefined : parseAddress(spec.ip);
  const ipText = ip ? (ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString()) : undefined;
  if (ip) {
    const families = spec.service.spec?.ipFamilies;
    if (families && families.length > 0 && !families.some((f) => f.toLowerCase() === ip!.kind())) {
      problems.push({ field: 'ip', message: `${spec.ip} is ${ip.kind() === 'ipv4' ? 'IPv4' : 'IPv6'} but Service ${svcName(spec)} has ipFamilies ${families.join(', ')}` });
    }
  }

  // Which pool.
  const pools = facts.pools;
  let ranges: AddrRange[] | undefined;
  if (spec.pool !== undefined && spec.addresses !== undefined && spec.addresses.length > 0) return plan;
  if (spec.pool !== undefined) {
    plan.poolName = spec.pool;
    if (!pools) {
      notes.push(`pool ${spec.pool} not checked (no cluster facts): its existence, capacity and membership of the address are left to MetalLB`);
      plan.advertise = true;
    } else {
      const pool = pools.find((p) => p.metadata.name === spec.pool && (p.metadata.namespace ?? METALLB_NAMESPACE) === METALLB_NAMESPACE)
        ?? pools.find((p) => p.metadata.name === spec.pool);
      if (!pool) {
        const known = pools.map((p) => p.metadata.name).filter(Boolean).join(', ') || 'none';
        problems.push({ field: 'pool', message: `IPAddressPool ${spec.pool} does not exist (pools: ${known})`, code: 'lb/no-pool' });
        return plan;
      }
      plan.pool = pool;
      ranges = poolRanges(pool);
      const allowed = (pool.spec?.['serviceAllocation'] as { namespaces?: string[] } | undefined)?.namespaces;
      if (allowed && allowed.length > 0 && !allowed.includes(ns)) {
        problems.push({ field: 'pool', message: `IPAddressPool ${spec.pool} serves only namespaces ${allowed.join(', ')}, not ${ns}`, code: 'lb/no-pool' });
      }
    }
  } else if (spec.addresses !== undefined && spec.addresses.length > 0) {
    const name = names.metallb(ns, svcName(spec));
    plan.poolName = name;
    plan.newPoolAddresses = spec.addresses.map(normalizeEntry);
    plan.advertise = true;
    ranges = spec.addresses.map(parseAddressEntry).filter((r): r is AddrRange => typeof r !== 'string');
    const sameName = (pools ?? []).find((p) => p.metadata.name === name);
    const labels = sameName?.metadata.labels;
    if (sameName && (labels?.['exposectl.dev/service'] !== svcName(spec) || labels?.['exposectl.dev/service-namespace'] !== ns)) {
      problems.push({ field: 'addresses', message: `IPAddressPool ${name} already exists and is not exposectl's pool for ${ns}/${svcName(spec)}: use it with --pool, or remove it` });
    }
    if (!pools) notes.push(`overlap of ${plan.newPoolAddresses.join(', ')} with other pools not checked (no cluster facts)`);
    // Overlap with other pools (our own pool of an earlier run is ours to update).
    for (const other of pools ?? []) {
      if (other.metadata.name === name) continue;
      for (const r of ranges) {
        const hit = poolRanges(other).find((o) => rangesOverlap(r, o));
        if (hit) problems.push({ field: 'addresses', message: `${r.text} overlaps ${hit.text} of IPAddressPool ${other.metadata.name}`, code: 'lb/pool-overlap' });
      }
    }
    plan.pool = ipAddressPool(spec, name, plan.newPoolAddresses);
  } else if (ipText !== undefined) {
    if (!pools) {
      notes.push(`the pool of ${ipText} is not checked (no cluster facts)`);
    } else {
      const pool = pools.find((p) => rangesContain(poolRanges(p), ipText));
      if (!pool) {
        problems.push({ field: 'ip', message: `ip not in pool: ${ipText} is in no IPAddressPool (${pools.map((p) => p.metadata.name).join(', ') || 'none exist'}); give --addresses to create one`, code: 'lb/ip-not-in-pool' });
        return plan;
      }
      plan.pool = pool;
      plan.poolName = pool.metadata.name;
      ranges = poolRanges(pool);
    }
  } else if (!pools) {
    notes.push('no --pool, --addresses or --ip: MetalLB picks an auto-assign pool (not checked: no cluster facts)');
  } else {
    const auto = pools.filter((p) => p.spec?.['autoAssign'] !== false);
    if (auto.length === 0) {
      problems.push({ field: 'pool', message: 'no IPAddressPool with autoAssign exists: give --pool or --addresses', code: 'lb/no-pool' });
      return plan;
    }
    const known = spec.mode === 'l2' ? facts.l2Advertisements : facts.bgpAdvertisements;
    const announced = auto.filter((p) => (known ?? []).some((a) => advertisementCovers(a, p)));
    if (known !== undefined && announced.length === 0) {
      problems.push({ field: 'pool', message: `no ${spec.mode === 'l2' ? 'L2Advertisement' : 'BGPAdvertisement'} announces the auto-assign pools (${auto.map((p) => p.metadata.name).join(', ')}): give --pool or --addresses`, code: 'lb/no-advertisement' });
    }
    const free = auto.reduce((n, p) => n + freeIn(p, poolRanges(p), others), 0n);
    if (free < 1n && spec.shareIP === undefined) {
      problems.push({ field: 'pool', message: `the auto-assign pools (${auto.map((p) => p.metadata.name).join(', ')}) have no free address`, code: 'lb/pool-exhausted' });
    }
  }

  // A Service that requires both families needs a pool with both.
  if (ranges && ranges.length > 0 && spec.service.spec?.ipFamilyPolicy === 'RequireDualStack') {
    const families = new Set(ranges.map((r) => r.family));
    if (families.size < 2) {
      problems.push({ field: spec.addresses?.length ? 'addresses' : 'pool', message: `Service ${svcName(spec)} requires dual-stack but IPAddressPool ${plan.poolName} has only ${[...families].map((f) => (f === 'ipv4' ? 'IPv4' : 'IPv6')).join('')} addresses`, code: 'lb/no-pool' });
    }
  }

  // Advertisement for an existing pool: only if options ask for one or none covers it.
  if (plan.pool && !plan.newPoolAddresses) {
    const ads = spec.mode === 'l2' ? facts.l2Advertisements : facts.bgpAdvertisements;
    // Our own advertisement of an earlier run does not count: it is generated again.
    const others = (ads ?? []).filter((a) => !isOwnedFor(a, svcName(spec), ns));
    plan.advertise = advertOptions || !ads || !others.some((a) => advertisementCovers(a, plan.pool!));
  } else if (!plan.pool && !plan.newPoolAddresses && advertOptions && plan.poolName === undefined) {
    problems.push({ field: spec.mode === 'l2' ? 'interfaces' : 'communities', message: 'advertisement options need a pool to announce: give --pool or --addresses' });
  }

  // Membership of the requested address.
  if (ipText !== undefined && ranges && !rangesContain(ranges, ipText)) {
    problems.push({ field: 'ip', message: `ip not in pool: ${ipText} is not in IPAddressPool ${plan.poolName} (${ranges.map((r) => r.text).join(', ')})`, code: 'lb/ip-not-in-pool' });
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
    externalTrafficPolicy: spec.preserveSourceIP ? 'Local' : spec.inPlace ? (spec.service.spec?.externalTrafficPolicy ?? 'Cluster') : 'Cluster',
    selector: spec.service.spec?.selector,
  };
  const lbOthers = others.filter((s) => s.spec?.type === 'LoadBalancer');
  if (ipText !== undefined) {
    plan.ip = ipText;
    const holders = lbOthers.filter((s) => serviceAddresses(s).includes(ipText));
    for (const h of holders) {
      const reasons = sharingConflicts(me, shareCandidateOf(h));
      if (reasons.length > 0) {
        problems.push({ field: spec.shareIP ? 'shareIP' : 'ip', message: `${ipText} is already used by ${refOf(h)} and cannot be shared: ${reasons.join('; ')}`, code: 'lb/sharing-conflict' });
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
        problems.push({ field: 'shareIP', message: `the Services sharing key "${spec.shareIP}" use ${usable}, which is not in IPAddressPool ${plan.poolName}`, code: 'lb/ip-not-in-pool' });
      }
      notes.push(`shares ${usable} with ${byIP.get(usable)!.map(refOf).join(', ')} (sharing key "${spec.shareIP}")`);
    } else if (ips.length > 0) {
      const reasons = ips.flatMap((a) => byIP.get(a)!.flatMap((s) => sharingConflicts(me, shareCandidateOf(s))));
      problems.push({ field: 'shareIP', message: `cannot share an address with the Services of sharing key "${spec.shareIP}": ${[...new Set(reasons)].join('; ')}`, code: 'lb/sharing-conflict' });
    }
  }

  // Capacity: a new address is needed unless one is pinned and already held.
  if (plan.pool && ranges && problems.length === 0) {
    const needsNew = plan.ip === undefined || !lbOthers.some((s) => serviceAddresses(s).includes(plan.ip!));
    if (needsNew && plan.ip === undefined && freeIn(plan.pool, ranges, others) < 1n) {
      const users = poolUsers(others, plan.pool, ranges);
      problems.push({ field: spec.pool ? 'pool' : 'addresses', message: `IPAddressPool ${plan.poolName} has no free address (${capacity(ranges, plan.pool.spec?.['avoidBuggyIPs'] === true)} in all, used by ${users.map(refOf).join(', ')})`, code: 'lb/pool-exhausted' });
    }
  }
  return plan;
}

/** Free addresses of a pool: its capacity minus the distinct addresses held or claimed by other Services. */
export function freeIn(pool: Custom, ranges: AddrRange[], others: Service[]): bigint {
  const users = poolUsers(others, pool, ranges);
  const used = new Set<string>();
  let pending = 0n;
  for (const s of users) {
    const inPool = serviceAddresses(s).filter((a) => rangesContain(ranges, a));
    if (inPool.length === 0) pending++;
    for (const a of inPool) used.add(a);
  }
  const cap = capacity(ranges, pool.spec?.['avoidBuggyIPs'] === true);
  return cap - BigInt(used.size) - pending;
}

// ---------------------------------------------------------------------------------------
// Objects

export function ipAddressPool(spec: ExposeSpec, name: string, addresses: string[]): KubeObject {
  return {
    apiVersion: METALLB_API,
    kind: 'IPAddressPool',
    metadata: meta(spec, name, METALLB_NAMESPACE),
    // autoAssign off: the pool serves the Services that name it, not any LoadBalancer.
    spec: { addresses: [...addresses], autoAssign: false },
  };
}

/** The LoadBalancer Service (new, or the in-place apply patch) with MetalLB's annotations. */
export function loadBalancerService(spec: ExposeSpec, plan: LBPlan): KubeObject {
  const annotations: Record<string, string> = {};
  if (plan.poolName !== undefined) annotations[ANN_POOL] = plan.poolName;
  if (plan.ip !== undefined) annotations[ANN_IPS] = plan.ip;
  if (spec.shareIP !== undefined) annotations[ANN_SHARED] = spec.shareIP;
  return publishedService(spec, { type: 'LoadBalancer', annotations });
}

/**
 * In apply order: the pool (when created), then what l2.ts / bgp.ts add (peer,
 * advertisement), the Service last, so MetalLB can assign its address at once.
 */
export function loadBalancerObjects(spec: ExposeSpec, plan: LBPlan, metallbObjects: KubeObject[]): KubeObject[] {
  const out: KubeObject[] = [];
  if (plan.newPoolAddresses && plan.poolName) out.push(ipAddressPool(spec, plan.poolName, plan.newPoolAddresses));
  out.push(...metallbObjects, loadBalancerService(spec, plan));
  return out;
}

export function nodeSelectorsField(selectors: Labels[] | undefined): Array<{ matchLabels: Labels }> | undefined {
  if (!selectors || selectors.length === 0) return undefined;
  return selectors.map((s) => ({ matchLabels: { ...s } }));
}

// ---------------------------------------------------------------------------------------
// Options alone: what can be refused before anything is read from the cluster

/**
 * Blocks no Service address can be in: a pool holding any of them would let MetalLB hand
 * out an address no client can reach (named as ipaddr.js's range() names them).
 */
export const UNUSABLE_BLOCKS: ReadonlyArray<{ cidr: string; name: string }> = [
  { cidr: '0.0.0.0/8', name: 'unspecified' },
  { cidr: '127.0.0.0/8', name: 'loopback' },
  { cidr: '169.254.0.0/16', name: 'linkLocal' },
  { cidr: '224.0.0.0/4', name: 'multicast' },
  { cidr: '255.255.255.255/32', name: 'broadcast' },
  { cidr: '::/128', name: 'unspecified' },
  { cidr: '::1/128', name: 'loopback' },
  { cidr: 'fe80::/10', name: 'linkLocal' },
  { cidr: 'ff00::/8', name: 'multicast' },
];
const UNUSABLE_RANGES = UNUSABLE_BLOCKS.map((b) => ({ ...b, range: parseAddressEntry(b.cidr) as AddrRange }));
const WORDS: Record<string, string> = { unspecified: 'unspecified', loopback: 'loopback', linkLocal: 'link-local', multicast: 'multicast', broadcast: 'broadcast' };

/** Why a range cannot be a pool (the unusable blocks it touches), or undefined. */
export function unusableReason(r: AddrRange): string | undefined {
  const hits = UNUSABLE_RANGES.filter((b) => rangesOverlap(r, b.range));
  if (hits.length === 0) return undefined;
  return `includes ${hits.map((b) => `${WORDS[b.name]} ${b.cidr}`).join(', ')}: no client can reach a Service there`;
}

/** --ip, --addresses, --pool and --share-ip alone: syntax, usable addresses, no overlap among the entries. */
export function addressOptionProblems(spec: ExposeOptions): Problem[] {
  const problems: Problem[] = [];
  if (spec.ip !== undefined) {
    const ip = parseAddress(spec.ip);
    if (!ip) problems.push({ field: 'ip', message: `${spec.ip} is not an IP address` });
    else if (WORDS[ip.range()]) problems.push({ field: 'ip', message: `${spec.ip} is a ${WORDS[ip.range()]} address: no client can reach a Service there` });
  }
  if (spec.shareIP !== undefined && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(spec.shareIP)) {
    problems.push({ field: 'shareIP', message: `sharing key "${spec.shareIP}" must be a non-empty annotation value of letters, digits, '-', '_' or '.'` });
  }
  if (spec.pool !== undefined && spec.addresses !== undefined && spec.addresses.length > 0) {
    problems.push({ field: 'pool', message: 'give either --pool (reuse an IPAddressPool) or --addresses (create one), not both' });
    return problems;
  }
  const ranges: AddrRange[] = [];
  for (const entry of spec.addresses ?? []) {
    const r = parseAddressEntry(entry);
    const unusable = typeof r === 'string' ? undefined : unusableReason(r);
    if (typeof r === 'string') problems.push({ field: 'addresses', message: r });
    else if (unusable) problems.push({ field: 'addresses', message: `${entry.trim()} ${unusable}` });
    else ranges.push(r);
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (rangesOverlap(ranges[i]!, ranges[j]!)) problems.push({ field: 'addresses', message: `${ranges[i]!.text} overlaps ${ranges[j]!.text}` });
    }
  }
  return problems;
}
