// Whether the absence of an object is a fact: one rule for every absence judgement
// (a Service an Ingress names, a TLS Secret, an L2Advertisement for a pool, Pods a
// selector should match ...). Pure.
//
// A live cluster holds every object, so what is not there does not exist (analyzers also
// check the kind was readable and the namespace read: src/analyzers/util.ts).
// Files are the world for what they contain, as the linters users compare exposectl with
// (kube-linter, kube-score, `istioctl analyze -f`) read them:
// - a kind present in the input is complete: a cluster-scoped kind everywhere, a namespaced
//   kind in each namespace where the input holds objects of that kind (a chart with its own
//   Secrets in `shop` says nothing of Secrets in `monitoring`, made by another chart);
// - an input that holds Nodes, or is a `kubectl get -o yaml|json` export (`kind: List`), is
//   a dump of a cluster: complete for every kind, except a kind every cluster has objects
//   of (Pods, Services, EndpointSlices, ConfigMaps) and of which it holds none: that dump
//   left the kind out (`kubectl get svc,ingress -A -o yaml` holds no Pods).
// --input-complete=all takes any input as the whole cluster; none proves no absence.
import { KINDS, kindInfoOf } from '../kube/kinds.js';
import type { KubeObject } from '../model/kube-object.js';
import type { InputInventory, Snapshot } from '../model/snapshot.js';
import type { DiscoveryContext } from './context.js';

/**
 * A kind as exposectl's kind table names it: "Kind" when the name is unique there
 * (Service, Secret, IPAddressPool), else "group/Kind" (gateway.networking.k8s.io/Gateway
 * and networking.istio.io/Gateway, metallb.io/BGPPeer and crd.projectcalico.org/BGPPeer).
 */
export type KindName = string;

/** "group/Kind" of a kind name; throws for a name that is unknown or ambiguous (a programming error). */
export function kindKey(kind: KindName): string {
  if (kind.includes('/')) return kind;
  const matches = KINDS.filter((k) => k.kind === kind);
  if (matches.length !== 1)
    throw new Error(`kind ${kind} is ${matches.length === 0 ? 'unknown' : 'ambiguous: name its group'}`);
  return `${matches[0]!.group}/${kind}`;
}

/**
 * The inventory of a snapshot that the file reader did not make (one built in code): its
 * objects are the input. Built once, in buildContext.
 */
export function inventoryOfObjects(snapshot: Snapshot): InputInventory {
  const kinds = new Map<string, Set<string>>();
  const collections = Object.values(snapshot).flatMap((v) =>
    Array.isArray(v) ? [v] : v && typeof v === 'object' && !(v instanceof WeakMap) ? Object.values(v) : [],
  );
  for (const o of collections.filter((c): c is KubeObject[] => Array.isArray(c)).flat()) {
    const info = kindInfoOf(String(o.apiVersion ?? ''), String(o.kind ?? ''));
    if (!info) continue;
    const key = `${info.group}/${info.kind}`;
    const namespaces = kinds.get(key) ?? new Set<string>();
    namespaces.add(info.namespaced ? o.metadata?.namespace || 'default' : '');
    kinds.set(key, namespaces);
  }
  return { kinds, export: false, completeness: 'auto' };
}

/** Why the input is the whole cluster, or undefined when it is complete only for the kinds it holds. */
export function inputIsCluster(ctx: DiscoveryContext): 'live' | 'flag' | 'export' | 'nodes' | undefined {
  if (ctx.live) return 'live';
  const inventory = ctx.inventory;
  if (inventory.completeness === 'all') return 'flag';
  if (inventory.completeness === 'none') return undefined;
  if (inventory.export) return 'export';
  if (inventory.kinds.has('/Node')) return 'nodes';
  return undefined;
}

/**
 * Whether every object of `kind` in `namespace` is in the snapshot, so that the absence
 * of one proves it does not exist (or, from files, that it is "not in the input" of an
 * input that would hold it). Without `namespace`, for a namespaced kind: whether the
 * input holds that kind at all (MetalLB's pools, wherever MetalLB runs).
 */
export function kindComplete(ctx: DiscoveryContext, kind: KindName, namespace?: string): boolean {
  const key = kindKey(kind);
  const cluster = inputIsCluster(ctx);
  const inventory = ctx.inventory;
  const namespaces = inventory.kinds.get(key);
  if (cluster === 'live' || cluster === 'flag') return true;
  // A dump without a single object of a kind every cluster has did not dump that kind.
  if (cluster && !(EVERY_CLUSTER_HAS.has(key) && !namespaces)) return true;
  if (inventory.completeness === 'none' || !namespaces) return false;
  return namespace === undefined || namespaces.has('') || namespaces.has(namespace);
}

/**
 * Kinds of which every running cluster holds objects: Pods (kube-system's at least), the
 * `kubernetes` Service and its EndpointSlice in `default`, the `kube-root-ca.crt` ConfigMap
 * in every namespace. `kubectl get svc,ingress -A -o yaml` is an export without Pods: it
 * says nothing of them.
 */
const EVERY_CLUSTER_HAS = new Set(['/Pod', '/Service', 'discovery.k8s.io/EndpointSlice', '/ConfigMap']);

/** How a finding names an absence: a cluster's object "does not exist"; a file's is "not in the input". */
export function absentText(ctx: DiscoveryContext): { notFound: string; doesNotExist: string } {
  return ctx.live
    ? { notFound: 'not found', doesNotExist: 'does not exist' }
    : { notFound: 'not in the input', doesNotExist: 'is not in the input' };
}
