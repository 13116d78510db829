// MetalLB's rules and its objects read once per snapshot: pools (address ranges,
// autoAssign, avoidBuggyIPs, serviceAllocation), advertisements (which pools they
// announce, nodeSelectors, interfaces), and address sharing. Discovery, the lb analyzers
// and expose's planner (src/modes/metallb-plan.ts) share these rules. Pure.
//
// As MetalLB's allocator and config apply them:
// - a pool owns the addresses of its spec.addresses, except .0/.255 with avoidBuggyIPs;
// - a pool admits a Service when its serviceAllocation does (isPoolCompatibleWithService):
//   namespaces / namespaceSelectors (either one matching; a Namespace's labels are not in
//   the snapshot except the automatic kubernetes.io/metadata.name) and serviceSelectors;
//   candidates are tried by priority (lower first, pools without priority last);
// - an L2Advertisement/BGPAdvertisement announces the pools it names in ipAddressPools,
//   those its ipAddressPoolSelectors match, or every pool when it has neither;
// - Services share an address only with the same allow-shared-ip key, no port+protocol
//   in common, the same externalTrafficPolicy and, with Local, the same selector.
import type { Custom, Service } from '../model/snapshot.js';
import {
  absenceIsFact,
  arr,
  type DiscoveryContext,
  defineFacts,
  keyOf,
  labelsOf,
  nameOf,
  nsOf,
  rec,
  str,
} from './context.js';
import { type AddressRange, isBuggyIPv4, parseAddress, parseRanges } from './ip.js';
import { labelSelectorMatches } from './selectors.js';
import { readService, type ServiceFact } from './services.js';

export const ANN_POOL = 'metallb.io/address-pool';
export const ANN_IPS = 'metallb.io/loadBalancerIPs';
export const ANN_SHARED = 'metallb.io/allow-shared-ip';
/** The pool annotation, current key first, then the legacy one. */
export const POOL_ANNOTATIONS = [ANN_POOL, 'metallb.universe.tf/address-pool'];
const SHARED_ANNOTATIONS = [ANN_SHARED, 'metallb.universe.tf/allow-shared-ip'];

export interface PoolFact {
  object: Custom;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** spec.addresses as written (strings only). */
  entries: string[];
  /** The well-formed entries. */
  ranges: AddressRange[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  allocation: {
    /** serviceAllocation is written but empty (`{}`): it selects no Service (metallb#2003: empty is not absent). */
    empty?: true;
    namespaces: string[];
    namespaceSelectors: unknown[];
    serviceSelectors: unknown[];
    /** Lower first; undefined (no priority) after all others. */
    priority?: number;
  };
}

export function readPool(pool: Custom): PoolFact {
  const spec = rec(pool.spec);
  const alloc = rec(spec.serviceAllocation);
  const entries = arr(spec.addresses).filter((a): a is string => typeof a === 'string');
  const priority = alloc.priority;
  return {
    object: pool,
    namespace: nsOf(pool),
    name: nameOf(pool),
    labels: labelsOf(pool),
    entries,
    ranges: parseRanges(entries),
    autoAssign: spec.autoAssign !== false,
    avoidBuggyIPs: spec.avoidBuggyIPs === true,
    allocation: {
      ...(isPlainEmpty(spec.serviceAllocation) ? { empty: true as const } : {}),
      namespaces: arr(alloc.namespaces).filter((n): n is string => typeof n === 'string'),
      namespaceSelectors: arr(alloc.namespaceSelectors),
      serviceSelectors: arr(alloc.serviceSelectors),
      ...(typeof priority === 'number' ? { priority } : {}),
    },
  };
}

/** Whether a pool owns an address (an avoidBuggyIPs pool does not own .0 and .255). */
export function poolOwns(pool: PoolFact, address: string): boolean {
  const a = parseAddress(address);
  if (!a || (pool.avoidBuggyIPs && isBuggyIPv4(address))) return false;
  return pool.ranges.some((r) => r.family === a.family && a.value >= r.first && a.value <= r.last);
}

export type Admission = { ok: true } | { ok: false; why: string } | { ok: 'unknown'; why: string };

/** `{}`: written, with nothing in it. */
function isPlainEmpty(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Whether a pool's serviceAllocation admits a Service (MetalLB's isPoolCompatibleWithService). */
export function poolAdmits(pool: PoolFact, svc: ServiceFact): Admission {
  const { namespaces, namespaceSelectors, serviceSelectors } = pool.allocation;
  if (pool.allocation.empty)
    return { ok: false, why: 'serviceAllocation is empty ({}), which selects no Service (empty is not absent)' };
  const ns = svc.namespace;
  if (namespaces.length > 0 || namespaceSelectors.length > 0) {
    const byName = namespaces.includes(ns);
    const bySelector = namespaceSelectors.some((s) => labelSelectorMatches(s, { 'kubernetes.io/metadata.name': ns }));
    if (!byName && !bySelector) {
      if (namespaceSelectors.length > 0)
        return { ok: 'unknown', why: `namespaceSelectors need the labels of namespace ${ns}` };
      return { ok: false, why: `serviceAllocation.namespaces (${namespaces.join(', ')}) does not include ${ns}` };
    }
  }
  if (serviceSelectors.length > 0 && !serviceSelectors.some((s) => labelSelectorMatches(s, svc.labels))) {
    return { ok: false, why: "serviceAllocation.serviceSelectors do not match the Service's labels" };
  }
  return { ok: true };
}

export const poolPriority = (p: PoolFact): number => p.allocation.priority ?? Number.POSITIVE_INFINITY;

/**
 * MetalLB's advertisements are one piece of configuration in two kinds: an input that
 * holds either kind in the pool's namespace holds that namespace's advertisements.
 */
export function advertisementsComplete(ctx: DiscoveryContext, namespace: string): boolean {
  return absenceIsFact(ctx, 'L2Advertisement', namespace) || absenceIsFact(ctx, 'BGPAdvertisement', namespace);
}

/** Does an advertisement announce the pool? No pools and no selectors = every pool. */
export function advertisementSelectsPool(adv: Custom, pool: Custom): boolean {
  const spec = rec(adv.spec);
  const names = arr(spec.ipAddressPools).filter((n): n is string => typeof n === 'string');
  const selectors = arr(spec.ipAddressPoolSelectors);
  if (names.length === 0 && selectors.length === 0) return true;
  return names.includes(nameOf(pool)) || selectors.some((s) => labelSelectorMatches(s, labelsOf(pool)));
}

export interface AdvertisementFact {
  object: Custom;
  kind: 'L2Advertisement' | 'BGPAdvertisement';
  namespace: string;
  name: string;
  /** spec.nodeSelectors: which speakers may announce (none = every node). */
  nodeSelectors: unknown[];
  /** L2Advertisement spec.interfaces (none = every interface). */
  interfaces: string[];
}

function readAdvertisement(adv: Custom, kind: AdvertisementFact['kind']): AdvertisementFact {
  const spec = rec(adv.spec);
  return {
    object: adv,
    kind,
    namespace: nsOf(adv),
    name: nameOf(adv),
    nodeSelectors: arr(spec.nodeSelectors),
    interfaces: arr(spec.interfaces).filter((i): i is string => typeof i === 'string'),
  };
}

// ---- sharing -------------------------------------------------------------------------

export interface ShareCandidate {
  namespace: string;
  name: string;
  key: string | undefined;
  ports: Array<{ port: number; protocol: string }>;
  externalTrafficPolicy: string;
  selector: Record<string, string> | undefined;
}

export function shareCandidateOf(svc: ServiceFact | Service): ShareCandidate {
  const s = 'object' in svc ? svc : readService(svc);
  const key = SHARED_ANNOTATIONS.map((k) => s.annotations[k]).find((v) => v !== undefined);
  return {
    namespace: s.namespace,
    name: s.name,
    key,
    ports: s.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
    externalTrafficPolicy: s.externalTrafficPolicy,
    selector: Object.keys(s.selector).length > 0 ? s.selector : undefined,
  };
}

const selectorKey = (selector: Record<string, string> | undefined): string =>
  Object.entries(selector ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Why `a` cannot share an address with `b` (empty when it can). */
export function sharingConflicts(a: ShareCandidate, b: ShareCandidate): string[] {
  const reasons: string[] = [];
  const who = `${b.namespace}/${b.name}`;
  if (!a.key || !b.key) reasons.push(`${!b.key ? who : 'this Service'} has no ${ANN_SHARED} key`);
  else if (a.key !== b.key) reasons.push(`sharing key "${a.key}" differs from ${who}'s "${b.key}"`);
  const clash = a.ports.filter((p) => b.ports.some((q) => q.port === p.port && q.protocol === p.protocol));
  if (clash.length > 0)
    reasons.push(`port ${clash.map((p) => `${p.port}/${p.protocol}`).join(', ')} is also used by ${who}`);
  if (a.externalTrafficPolicy !== b.externalTrafficPolicy) {
    reasons.push(`externalTrafficPolicy ${a.externalTrafficPolicy} differs from ${who}'s ${b.externalTrafficPolicy}`);
  } else if (a.externalTrafficPolicy === 'Local' && selectorKey(a.selector) !== selectorKey(b.selector)) {
    reasons.push(
      `with externalTrafficPolicy Local the selector must match ${who}'s (${selectorKey(b.selector) || 'none'})`,
    );
  }
  return reasons;
}

// ---- the per-snapshot facts ----------------------------------------------------------

export interface MetalLbFacts {
  pools: PoolFact[];
  pool(object: Custom): PoolFact;
  advertisements: AdvertisementFact[];
  /** The pools' names a Service names with metallb.io/address-pool (or the legacy key). */
  namedPools(svc: ServiceFact): string[];
  /** Memo for per-pool indexes the analyzers build (e.g. which Services claim which addresses). */
  memo: Map<string, unknown>;
}

export const metallbFacts = defineFacts('metallb', (ctx: DiscoveryContext): MetalLbFacts => {
  const m = ctx.snapshot.metallb;
  const byObject = new Map<Custom, PoolFact>();
  const pools = m.ipAddressPools.map((p) => {
    const f = readPool(p);
    byObject.set(p, f);
    return f;
  });
  return {
    pools,
    pool: (o) => byObject.get(o) ?? readPool(o),
    advertisements: [
      ...m.l2Advertisements.map((a) => readAdvertisement(a, 'L2Advertisement')),
      ...m.bgpAdvertisements.map((a) => readAdvertisement(a, 'BGPAdvertisement')),
    ],
    namedPools: (svc) =>
      POOL_ANNOTATIONS.flatMap((k) =>
        (str(svc.annotations[k]) ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      ),
    memo: new Map(),
  };
});

export const poolKey = (p: PoolFact): string => keyOf(p.namespace, p.name);
