// Shared, precomputed lookups over a Snapshot for the discovery functions, and the
// rules for which facts a snapshot carries. Pure: built once per discoverExposures call.
import type { KubeObject } from '../model/kube-object.js';
import type { EndpointSlice, InputInventory, Node, Pod, Service, Snapshot, Workload } from '../model/snapshot.js';
import { inventoryOfObjects, type KindName, kindComplete } from './completeness.js';

// Manifests can hold anything where a field is expected: these accessors give the
// expected type or an empty value, so discovery never throws on malformed input.
export function arr<T = unknown>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]).filter((x) => x !== null && x !== undefined) : [];
}
export function rec(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}
/** A port number as the API accepts it, else undefined. */
export function portNumber(v: unknown): number | undefined {
  const n = int(v);
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

/** A targetPort: a port number or a port name. */
export function targetPortOf(v: unknown): number | string | undefined {
  return portNumber(v) ?? (typeof v === 'string' && v !== '' ? v : undefined);
}

/** A string-to-string map (labels, annotations, selectors); other values are dropped. */
export function strMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(rec(v)).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
}

/** The namespace of a namespaced object; manifests without one land in `default`, as kubectl does. */
export function nsOf(o: { metadata?: unknown }): string {
  return str(rec(o.metadata).namespace) || 'default';
}

export function nameOf(o: { metadata?: unknown }): string {
  return str(rec(o.metadata).name) ?? '';
}

export function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function labelsOf(o: { metadata?: unknown }): Record<string, string> {
  return strMap(rec(o.metadata).labels);
}

export function annotationsOf(o: { metadata?: unknown }): Record<string, string> {
  return strMap(rec(o.metadata).annotations);
}

/** Split a comma-separated annotation value into trimmed, non-empty parts. */
export function splitList(value: unknown): string[] {
  return (str(value) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
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
  /** Pods by namespace/name. */
  pods: Map<string, Pod>;
  nodes: Node[];
  /** nodeAddresses of every node, deduplicated: what a NodePort row lists (once, not per Service: services × nodes). */
  nodePortAddresses: string[];
  /** The typed facts built from this snapshot so far (see defineFacts). */
  facts: FactsContainer;
  /** Files: what the input held, for judging absences (src/discover/completeness.ts). */
  inventory: InputInventory;
}

/**
 * The per-snapshot facts container: each fact family (Services and ports, endpoints per
 * node, MetalLB pools, Ingress classes, Gateway listeners ...) is built from the raw
 * objects once, on first use, and kept with the context. Consumers (list, analyzers,
 * topology, probes' comparisons) read the typed facts, never the raw objects.
 *
 * To add a fact family, in its own file under src/discover/:
 *
 *   export interface IngressClassFacts { ... }
 *   export const ingressClassFacts = defineFacts('ingress-classes', (ctx): IngressClassFacts => ...);
 *   // consumers: ingressClassFacts(ctx).byName.get('nginx')
 *
 * Nothing else changes here: the family's name keys its entry in ctx.facts.
 */
export class FactsContainer {
  private readonly built = new Map<string, unknown>();

  get<T>(family: string, build: () => T): T {
    if (this.built.has(family)) return this.built.get(family) as T;
    const value = build();
    this.built.set(family, value);
    return value;
  }
}

/** A memoized fact family: built once per context (so once per snapshot read), on first use. */
export function defineFacts<T>(family: string, build: (ctx: DiscoveryContext) => T): (ctx: DiscoveryContext) => T {
  return (ctx) => ctx.facts.get(family, () => build(ctx));
}

export function buildContext(snapshot: Snapshot): DiscoveryContext {
  const live = snapshot.source.kind === 'cluster';
  const services = new Map<string, Service[]>();
  for (const s of snapshot.services) append(services, keyOf(nsOf(s), nameOf(s)), s);
  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const sl of snapshot.endpointSlices) {
    const svc = labelsOf(sl)['kubernetes.io/service-name'];
    if (svc) append(slicesByService, keyOf(nsOf(sl), svc), sl);
  }
  const podsByNamespace = new Map<string, Pod[]>();
  const pods = new Map<string, Pod>();
  for (const p of snapshot.pods) {
    const ns = nsOf(p);
    append(podsByNamespace, ns, p);
    pods.set(keyOf(ns, nameOf(p)), p);
  }
  const nodes = [...snapshot.nodes].sort((a, b) => cmp(nameOf(a), nameOf(b)));
  const nodePortAddresses = uniq(nodes.flatMap(nodeAddresses));
  return {
    snapshot,
    live,
    nodesKnown: live || nodes.length > 0,
    services,
    slicesByService,
    podsByNamespace,
    pods,
    nodes,
    nodePortAddresses,
    facts: new FactsContainer(),
    // A live cluster is complete: no inventory to build.
    inventory: snapshot.inventory ?? (live ? EMPTY_INVENTORY : inventoryOfObjects(snapshot)),
  };
}

const EMPTY_INVENTORY: InputInventory = { kinds: new Map(), export: false, completeness: 'auto' };

/** Appends in place: copying the list on every insertion made a namespace of n Pods cost n²/2 copies. */
function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The Service named, or undefined. With duplicates (files), the last one read, as `kubectl apply` would leave it. */
export function findService(ctx: DiscoveryContext, namespace: string, name: string): Service | undefined {
  return ctx.services.get(keyOf(namespace, name))?.at(-1);
}

/**
 * Whether a missing object of `kind` (in `namespace`) counts as missing, and so breaks
 * what refers to it: in a live cluster, and from files where the input is complete for
 * that kind (src/discover/completeness.ts). Elsewhere only what is present counts: a
 * Gateway in an app's repository whose GatewayClass lives in the platform repository is
 * not broken, just not fully known (status `unknown`, reason "... not in the input").
 */
export function absenceIsFact(ctx: DiscoveryContext, kind: KindName, namespace?: string): boolean {
  return kindComplete(ctx, kind, namespace);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Node addresses clients use: ExternalIPs when the node has any, else InternalIPs. */
export function nodeAddresses(node: Node): string[] {
  const addrs = arr<Record<string, unknown>>(rec(node.status).addresses).map(rec);
  const of = (type: string) =>
    addrs
      .filter((a) => a.type === type)
      .map((a) => str(a.address))
      .filter((a): a is string => !!a);
  const ext = of('ExternalIP');
  return ext.length > 0 ? ext : of('InternalIP');
}

/** The pod template spec of a workload (an empty object when there is none). */
export function podSpecOf(w: Workload | KubeObject): Record<string, unknown> {
  return rec(rec(rec((w as KubeObject).spec).template).spec);
}

/** The spec of any object, as a record. */
export function specOf(o: { spec?: unknown }): Record<string, unknown> {
  return rec(o.spec);
}

/** The status of any object, as a record. */
export function statusOf(o: { status?: unknown }): Record<string, unknown> {
  return rec(o.status);
}
