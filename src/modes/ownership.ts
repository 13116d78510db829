// What exposectl owns, and what `unexpose` may delete. Pure helpers: the command lists
// the objects (with the selector of ownedFor) and the cluster's Services and MetalLB
// objects, then asks planUnexpose what to delete and what to keep, and why.
import ipaddr from 'ipaddr.js';
import { CALICO_API } from '../discover/calico.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Custom, Service } from '../model/snapshot.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'exposectl';
/** Name of the exposed Service (label values cannot hold a slash, hence two labels). */
export const SERVICE_LABEL = 'exposectl.dev/service';
export const SERVICE_NAMESPACE_LABEL = 'exposectl.dev/service-namespace';
export const MODE_LABEL = 'exposectl.dev/mode';
/** On a user's Service patched with --in-place: the mode. The Service carries no exposectl label. */
export const IN_PLACE_ANNOTATION = 'exposectl.dev/in-place';
/** The field manager of every server-side apply. */
export const FIELD_MANAGER = 'exposectl';

export function isOwnedByExposectl(obj: KubeObject): boolean {
  return obj.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;
}

/**
 * The label selector (string form, as `kubectl -l` and the list API take it) of what
 * exposectl made for a Service. Give the namespace to tell apart Services of the same
 * name in different namespaces (MetalLB objects of all of them live in metallb-system).
 */
export function ownedFor(svcName: string, namespace?: string): string {
  const parts = [`${MANAGED_BY_LABEL}=${MANAGED_BY}`, `${SERVICE_LABEL}=${svcName}`];
  if (namespace !== undefined) parts.push(`${SERVICE_NAMESPACE_LABEL}=${namespace}`);
  return parts.join(',');
}

/** Is this object owned by exposectl for that Service (namespace checked when the object carries it)? */
export function isOwnedFor(obj: KubeObject, svcName: string, namespace?: string): boolean {
  if (!isOwnedByExposectl(obj) || obj.metadata.labels?.[SERVICE_LABEL] !== svcName) return false;
  const ns = obj.metadata.labels?.[SERVICE_NAMESPACE_LABEL];
  return namespace === undefined || ns === undefined || ns === namespace;
}

export interface UnexposeContext {
  /** Every Service of the cluster (those being unexposed are recognised and ignored). */
  services: Service[];
  /** Every MetalLB IPAddressPool (to find which pool an address belongs to). */
  pools?: Custom[];
  /** Every BGPAdvertisement: a BGP peer stays while any other advertisement remains. */
  bgpAdvertisements?: Custom[];
  /** The Service being unexposed: when it was patched --in-place, the plan reverts it. */
  target?: { namespace: string; name: string };
}

export interface UnexposePlan {
  /** In deletion order: front objects first, shared MetalLB objects last. */
  delete: KubeObject[];
  keep: Array<{ obj: KubeObject; reason: string }>;
  /**
   * Empty server-side apply patches (field manager exposectl) of user Services patched
   * --in-place: applying one drops every field exposectl set, so the Service returns
   * to what its owner declared.
   */
  revert: KubeObject[];
}

const DELETE_ORDER = [
  'Ingress',
  'HTTPRoute',
  'GRPCRoute',
  'TCPRoute',
  'TLSRoute',
  'UDPRoute',
  'Gateway',
  'DaemonSet',
  'ConfigMap',
  'Service',
  'L2Advertisement',
  'BGPAdvertisement',
  'IPAddressPool',
  'BGPPeer',
];

function keyOf(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function refOf(o: KubeObject): string {
  return `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name ?? ''}`;
}

/**
 * Pre-flight check of the contract's "refuses to take over an object it does not own":
 * each generated object that already exists must be exposectl's, for the same Service.
 * `existing` holds what the cluster has under the generated kinds and names (the command
 * GETs them); in-place patches of the user's Service are exempt. `force` (--force) lifts it.
 */
export function takeoverProblems(
  manifests: KubeObject[],
  existing: KubeObject[],
  force = false,
): Array<{ field: string; message: string }> {
  if (force) return [];
  const problems: Array<{ field: string; message: string }> = [];
  for (const m of manifests) {
    if (m.metadata.annotations?.[IN_PLACE_ANNOTATION] !== undefined && !isOwnedByExposectl(m)) continue;
    if (isSharedPatch(m)) continue;
    const svc = m.metadata.labels?.[SERVICE_LABEL] ?? '';
    const ns = m.metadata.labels?.[SERVICE_NAMESPACE_LABEL];
    const found = existing.find((e) => keyOf(e) === keyOf(m));
    if (!found || isOwnedFor(found, svc, ns)) continue;
    const owner = isOwnedByExposectl(found)
      ? `exposectl for ${found.metadata.labels?.[SERVICE_NAMESPACE_LABEL] ?? '?'}/${found.metadata.labels?.[SERVICE_LABEL] ?? '?'}`
      : (found.metadata.labels?.[MANAGED_BY_LABEL] ?? 'someone else');
    problems.push({
      field: 'force',
      message: `${m.kind} ${refOf(m)} already exists, managed by ${owner}: refusing to take it over (--force to override)`,
    });
  }
  return problems;
}

/** The addresses a LoadBalancer Service holds or asks for. */
export function serviceAddresses(svc: Service): string[] {
  const out = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip) out.add(ing.ip);
  const ann =
    svc.metadata.annotations?.['metallb.io/loadBalancerIPs'] ??
    svc.metadata.annotations?.['metallb.universe.tf/loadBalancerIPs'];
  for (const a of (ann ?? '').split(',')) if (a.trim()) out.add(a.trim());
  if (svc.spec?.loadBalancerIP) out.add(svc.spec.loadBalancerIP);
  return [...out];
}

/** The pool a Service names by annotation, if any. */
export function servicePoolAnnotation(svc: Service): string | undefined {
  return (
    svc.metadata.annotations?.['metallb.io/address-pool'] ??
    svc.metadata.annotations?.['metallb.universe.tf/address-pool']
  );
}

/** Does an address lie in one of a pool's `spec.addresses` (CIDR or `a-b` range)? */
export function poolContains(pool: Custom, address: string): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return false;
  }
  for (const entry of (pool.spec?.addresses ?? []) as string[]) {
    try {
      if (entry.includes('/')) {
        const cidr = ipaddr.parseCIDR(entry);
        if (cidr[0].kind() === ip.kind() && ip.match(cidr)) return true;
      } else if (entry.includes('-')) {
        const [a, b] = entry.split('-').map((s) => ipaddr.process(s.trim()));
        if (!a || !b || a.kind() !== ip.kind()) continue;
        if (
          compareBytes(a.toByteArray(), ip.toByteArray()) <= 0 &&
          compareBytes(ip.toByteArray(), b.toByteArray()) <= 0
        )
          return true;
      }
    } catch {
      /* a malformed pool entry holds nothing */
    }
  }
  return false;
}

export function compareBytes(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Does a Service use the pool (by annotation, or by holding/asking an address in it)? */
export function serviceUsesPool(svc: Service, pool: Custom): boolean {
  if (svc.spec?.type !== 'LoadBalancer') return false;
  if (servicePoolAnnotation(svc) === pool.metadata.name) return true;
  return serviceAddresses(svc).some((a) => poolContains(pool, a));
}

/**
 * What `unexpose` deletes among `owned` (the objects listed with ownedFor), and what it
 * keeps: objects not owned by exposectl (never deleted), an IPAddressPool another
 * Service still uses, an advertisement of a pool another Service still uses, a BGPPeer
 * while another BGPAdvertisement remains.
 */
export function planUnexpose(owned: KubeObject[], context: UnexposeContext | Service[]): UnexposePlan {
  const ctx: UnexposeContext = Array.isArray(context) ? { services: context } : context;
  const keep: UnexposePlan['keep'] = [];
  const candidates: KubeObject[] = [];
  const seen = new Set<string>();
  for (const obj of owned) {
    const k = keyOf(obj);
    if (seen.has(k)) continue;
    seen.add(k);
    if (!isOwnedByExposectl(obj))
      keep.push({ obj, reason: `not managed by exposectl (label ${MANAGED_BY_LABEL}=${MANAGED_BY} missing)` });
    else candidates.push(obj);
  }

  // Services that stop existing (or stop being exposed) with this unexpose.
  const leaving = new Set(candidates.filter((o) => o.kind === 'Service').map(keyOf));
  if (ctx.target) leaving.add(`Service/${ctx.target.namespace}/${ctx.target.name}`);
  const remaining = ctx.services.filter((s) => !leaving.has(keyOf(s as KubeObject)));

  const keptPools = new Set<string>();
  const allPools = [...(ctx.pools ?? [])];
  for (const obj of candidates)
    if (obj.kind === 'IPAddressPool' && !allPools.some((p) => keyOf(p) === keyOf(obj))) allPools.push(obj);
  const usersOf = (pool: Custom) =>
    remaining.filter((s) => serviceUsesPool(s, pool)).map((s) => refOf(s as KubeObject));

  const deletions: KubeObject[] = [];
  for (const obj of candidates) {
    if (obj.kind === 'IPAddressPool') {
      const users = usersOf(allPools.find((p) => keyOf(p) === keyOf(obj)) ?? obj);
      if (users.length > 0) {
        keep.push({ obj, reason: `pool still used by ${users.join(', ')}` });
        keptPools.add(obj.metadata.name ?? '');
        continue;
      }
    }
    deletions.push(obj);
  }

  // Advertisements announce whole pools: keep one while another Service uses one of its pools.
  const afterAds: KubeObject[] = [];
  for (const obj of deletions) {
    if (obj.kind === 'L2Advertisement' || obj.kind === 'BGPAdvertisement') {
      const poolNames = (obj.spec?.ipAddressPools ?? []) as string[];
      const users = poolNames.flatMap((n) => {
        const pool = allPools.find((p) => p.metadata.name === n);
        return pool ? usersOf(pool) : keptPools.has(n) ? ['(kept pool)'] : [];
      });
      if (users.length > 0) {
        keep.push({
          obj,
          reason: `announces pool ${poolNames.join(', ')} still used by ${[...new Set(users)].join(', ')}`,
        });
        continue;
      }
    }
    afterAds.push(obj);
  }

  // A BGP session serves every BGPAdvertisement: keep the peer while another one remains.
  const deletedKeys = new Set(afterAds.map(keyOf));
  const otherAds = [
    ...(ctx.bgpAdvertisements ?? []).filter((a) => !deletedKeys.has(keyOf(a))),
    ...keep.filter((k) => k.obj.kind === 'BGPAdvertisement').map((k) => k.obj),
  ];
  const finalDeletes: KubeObject[] = [];
  for (const obj of afterAds) {
    if (obj.kind === 'BGPPeer' && otherAds.length > 0) {
      keep.push({
        obj,
        reason: `BGP session still needed by BGPAdvertisement ${[...new Set(otherAds.map(refOf))].join(', ')}`,
      });
      continue;
    }
    finalDeletes.push(obj);
  }

  const rank = (o: KubeObject) => {
    const i = DELETE_ORDER.indexOf(o.kind);
    return i < 0 ? DELETE_ORDER.length : i;
  };
  finalDeletes.sort((a, b) => rank(a) - rank(b) || (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));

  const revert: KubeObject[] = [];
  if (ctx.target) {
    const user = ctx.services.find(
      (s) => (s.metadata.namespace ?? 'default') === ctx.target!.namespace && s.metadata.name === ctx.target!.name,
    );
    if (
      user &&
      user.metadata.annotations?.[IN_PLACE_ANNOTATION] !== undefined &&
      !isOwnedByExposectl(user as KubeObject)
    ) {
      revert.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: ctx.target.name, namespace: ctx.target.namespace },
      });
    }
  }
  return { delete: finalDeletes, keep, revert };
}

/** Objects exposectl edits without owning them (Calico's default BGPConfiguration): only the entries it added are its own (src/modes/calico-config.ts). */
export function isSharedPatch(m: KubeObject): boolean {
  return m.apiVersion === CALICO_API && m.kind === 'BGPConfiguration';
}
