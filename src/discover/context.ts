// Shared, precomputed lookups over a Snapshot for the discovery functions, and the
// rules for which facts a snapshot carries. Pure: built once per discoverExposures call.
import type { KubeObject } from '../model/kube-object.js';
import type { EndpointSlice, Node, Pod, Service, Snapshot, Workload } from '../model/snapshot.js';

/** The namespace of a namespaced object; manifests without one land in `default`, as kubectl does. */
export function nsOf(o: { metadata?: { namespace?: string } }): string {
  return o.metadata?.namespace || 'default';
}

export function nameOf(o: { metadata?: { name?: string } }): string {
  return o.metadata?.name ?? '';
}

export function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function labelsOf(o: { metadata?: { labels?: Record<string, string> | null } }): Record<string, string> {
  return o.metadata?.labels ?? {};
}

export function annotationsOf(o: { metadata?: { annotations?: Record<string, string> | null } }): Record<string, string> {
  return o.metadata?.annotations ?? {};
}

/** Split a comma-separated annotation value into trimmed, non-empty parts. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function uniq<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

export interface DiscoveryContext {
  snapshot: Snapshot;
  /**
   * True when the snapshot comes from a live cluster: objects carry status, and the
   * absence of an object (a Pod, an EndpointSlice, a class) is itself a fact. From
   * files, only what is present counts.
   */
  live: boolean;
  /** Nodes are known (live cluster, or the files contain Node objects). */
  nodesKnown: boolean;
  services: Map<string, Service[]>;
  slicesByService: Map<string, EndpointSlice[]>;
  podsByNamespace: Map<string, Pod[]>;
  nodes: Node[];
}

export function buildContext(snapshot: Snapshot): DiscoveryContext {
  const live = snapshot.source.kind === 'cluster';
  const services = new Map<string, Service[]>();
  for (const s of snapshot.services) {
    const k = keyOf(nsOf(s), nameOf(s));
    services.set(k, [...(services.get(k) ?? []), s]);
  }
  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const sl of snapshot.endpointSlices) {
    const svc = sl.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const k = keyOf(nsOf(sl), svc);
    slicesByService.set(k, [...(slicesByService.get(k) ?? []), sl]);
  }
  const podsByNamespace = new Map<string, Pod[]>();
  for (const p of snapshot.pods) {
    const ns = nsOf(p);
    podsByNamespace.set(ns, [...(podsByNamespace.get(ns) ?? []), p]);
  }
  const nodes = [...snapshot.nodes].sort((a, b) => cmp(nameOf(a), nameOf(b)));
  return { snapshot, live, nodesKnown: live || nodes.length > 0, services, slicesByService, podsByNamespace, nodes };
}

/** The Service named, or undefined. With duplicates (files), the last one read, as `kubectl apply` would leave it. */
export function findService(ctx: DiscoveryContext, namespace: string, name: string): Service | undefined {
  return ctx.services.get(keyOf(namespace, name))?.at(-1);
}

/**
 * Whether a missing object counts as missing (and so breaks what refers to it): only
 * for a live cluster. From files, only what is present counts: a Gateway in an app's
 * repository whose GatewayClass lives in the platform repository is not broken, just
 * not fully known (status `unknown`, reason "... not in the input").
 */
export function absenceIsFact(ctx: DiscoveryContext): boolean {
  return ctx.live;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Node addresses clients use: ExternalIPs when the node has any, else InternalIPs. */
export function nodeAddresses(node: Node): string[] {
  const addrs = node.status?.addresses ?? [];
  const ext = addrs.filter((a) => a.type === 'ExternalIP').map((a) => a.address);
  if (ext.length > 0) return ext;
  return addrs.filter((a) => a.type === 'InternalIP').map((a) => a.address);
}

/** The pod template spec of a workload. */
export function podSpecOf(w: Workload | KubeObject): Record<string, any> | undefined {
  return (w as KubeObject).spec?.template?.spec;
}
