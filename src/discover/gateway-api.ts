// Gateway API facts, read once per snapshot: Gateways and their listeners, routes with
// their parentRefs, rules and backendRefs, which listeners each parentRef attaches to (and
// why not), and what ReferenceGrants permit. `list`, the analyzers, topology and the
// source-ip probe all read these; nothing else parses Gateway API objects. Pure.
//
// Attachment follows the Gateway API spec (Gateway and route types, and the
// "Hostnames" concept page): a parentRef names a Gateway (group gateway.networking.k8s.io,
// kind Gateway); sectionName and port narrow the relevant listeners; a listener admits a
// route when allowedRoutes.namespaces allows its namespace (Same by default; All; None;
// Selector cannot be judged without Namespace labels and admits), when allowedRoutes.kinds
// lists its kind (else the listener protocol carries it), and when their hostnames
// intersect (HTTPRoute, GRPCRoute, TLSRoute: a listener or route without hostnames matches
// every hostname; `*.example.com` is a suffix match: it matches a.example.com and
// b.a.example.com, not example.com).
import type { Custom } from '../model/snapshot.js';
import {
  absenceIsFact,
  arr,
  type DiscoveryContext,
  keyOf,
  nameOf,
  nsOf,
  portNumber,
  rec,
  specOf,
  statusOf,
  str,
} from './context.js';
import { perSnapshot } from './memo.js';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** The listener protocols each route kind attaches to when the listener does not list kinds. */
const ROUTE_PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  HTTPRoute: ['HTTP', 'HTTPS'],
  GRPCRoute: ['HTTP', 'HTTPS'],
  TLSRoute: ['TLS'],
  TCPRoute: ['TCP', 'TLS'],
  UDPRoute: ['UDP'],
};

/** Route kinds whose hostnames take part in attachment (TCPRoute and UDPRoute have none). */
const HOSTNAME_KINDS: ReadonlySet<string> = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);

/** A reference to another object as Gateway API writes it; group '' is the core group. */
export interface ObjectReference {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface Listener {
  name?: string;
  port?: number;
  protocol?: string;
  hostname?: string;
  /** allowedRoutes.namespaces.from (Same when unset). */
  from: string;
  /** allowedRoutes.kinds when the listener lists them. */
  kinds?: Array<{ kind?: string; group?: string }>;
  /** tls.certificateRefs, namespace defaulted to the Gateway's. */
  certificateRefs: ObjectReference[];
}

export interface GatewayFact {
  object: Custom;
  namespace: string;
  name: string;
  className?: string;
  listeners: Listener[];
}

export interface ParentRef {
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRef extends Partial<Pick<ObjectReference, 'name'>> {
  group: string;
  kind: string;
  namespace: string;
  port?: number;
  /** Where it is written: `spec.rules[0].backendRefs[1]`. */
  field: string;
  /** Which traffic it gets, for diagrams: the rule's first path, else `rule N`. */
  match: string;
}

export interface RouteRule {
  backendRefs: BackendRef[];
  /** The rule answers by itself (a RequestRedirect filter): valid without backendRefs. */
  redirects: boolean;
}

export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

export interface RouteFact {
  object: Custom;
  kind: string;
  namespace: string;
  name: string;
  hostnames: string[];
  /** parentRefs that name a Gateway; GAMMA parents (Service, Mesh) are east-west and left out. */
  parentRefs: ParentRef[];
  rules: RouteRule[];
  /** status.parents as the implementation reports them (live). */
  parentStatus: Array<{ parentName?: string; conditions: Condition[] }>;
}

export type Attachment =
  | { ref: ParentRef; state: 'missing' }
  | { ref: ParentRef; state: 'attached'; gateway: GatewayFact; listeners: Listener[] }
  | { ref: ParentRef; state: 'refused'; why: string };

export interface GatewayApiFacts {
  /** Gateways by namespace/name; a name read twice (alternative manifests in files) keeps every version. */
  gateways: Map<string, GatewayFact[]>;
  routes: RouteFact[];
  attachments: WeakMap<RouteFact, Attachment[]>;
}

export function conditionsOf(v: unknown): Condition[] {
  return arr(v)
    .map(rec)
    .map((c) => ({
      type: str(c.type),
      status: str(c.status),
      reason: str(c.reason),
      message: str(c.message),
    }));
}

function listenerOf(v: unknown, gatewayNs: string): Listener {
  const l = rec(v);
  const allowed = rec(l.allowedRoutes);
  const kinds = Array.isArray(allowed.kinds)
    ? arr(allowed.kinds)
        .map(rec)
        .map((k) => ({ kind: str(k.kind), group: str(k.group) }))
    : undefined;
  const certificateRefs = arr(rec(l.tls).certificateRefs)
    .map(rec)
    .flatMap((r) => {
      const name = str(r.name);
      return name
        ? [
            {
              group: str(r.group) ?? '',
              kind: str(r.kind) ?? 'Secret',
              namespace: str(r.namespace) ?? gatewayNs,
              name,
            },
          ]
        : [];
    });
  return {
    name: str(l.name),
    port: portNumber(l.port),
    protocol: str(l.protocol),
    hostname: str(l.hostname),
    from: str(rec(allowed.namespaces).from) ?? 'Same',
    ...(kinds ? { kinds } : {}),
    certificateRefs,
  };
}

function gatewayFact(gw: Custom): GatewayFact {
  const namespace = nsOf(gw);
  const className = str(specOf(gw).gatewayClassName);
  return {
    object: gw,
    namespace,
    name: nameOf(gw),
    ...(className ? { className } : {}),
    listeners: arr(specOf(gw).listeners).map((l) => listenerOf(l, namespace)),
  };
}

function routeFact(route: Custom): RouteFact {
  const namespace = nsOf(route);
  const spec = specOf(route);
  const parentRefs = arr(spec.parentRefs)
    .map(rec)
    .filter(
      (r) =>
        (str(r.group) ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP &&
        (str(r.kind) ?? 'Gateway') === 'Gateway' &&
        str(r.name),
    )
    .map((r) => {
      const sectionName = str(r.sectionName);
      const port = portNumber(r.port);
      return {
        namespace: str(r.namespace) ?? namespace,
        name: str(r.name)!,
        ...(sectionName ? { sectionName } : {}),
        ...(port !== undefined ? { port } : {}),
      };
    });
  const rules = arr(spec.rules)
    .map(rec)
    .map((rule, i): RouteRule => {
      const path = str(rec(arr(rule.matches).map(rec)[0]?.path).value);
      const backendRefs = arr(rule.backendRefs)
        .map(rec)
        .map((ref, j): BackendRef => {
          const name = str(ref.name);
          const port = portNumber(ref.port);
          return {
            group: str(ref.group) ?? '',
            kind: str(ref.kind) ?? 'Service',
            namespace: str(ref.namespace) ?? namespace,
            ...(name ? { name } : {}),
            ...(port !== undefined ? { port } : {}),
            field: `spec.rules[${i}].backendRefs[${j}]`,
            match: path ?? `rule ${i + 1}`,
          };
        });
      const redirects = arr(rule.filters)
        .map(rec)
        .some((f) => f.type === 'RequestRedirect');
      return { backendRefs, redirects };
    });
  return {
    object: route,
    kind: route.kind,
    namespace,
    name: nameOf(route),
    hostnames: arr(spec.hostnames).filter((h): h is string => typeof h === 'string'),
    parentRefs,
    rules,
    parentStatus: arr(statusOf(route).parents)
      .map(rec)
      .map((p) => ({ parentName: str(rec(p.parentRef).name), conditions: conditionsOf(p.conditions) })),
  };
}

/** Every Gateway and route of the snapshot, read once. */
export const gatewayApiFacts = perSnapshot((ctx: DiscoveryContext): GatewayApiFacts => {
  const gateways = new Map<string, GatewayFact[]>();
  for (const gw of ctx.snapshot.gateways) {
    const fact = gatewayFact(gw);
    const k = keyOf(fact.namespace, fact.name);
    gateways.set(k, [...(gateways.get(k) ?? []), fact]);
  }
  return { gateways, routes: ctx.snapshot.routes.map(routeFact), attachments: new WeakMap() };
});

/** The facts of one route object of the snapshot. */
export function routeFactOf(ctx: DiscoveryContext, route: Custom): RouteFact {
  return gatewayApiFacts(ctx).routes.find((r) => r.object === route) ?? routeFact(route);
}

/** A core Service backendRef (the only kind exposectl follows). */
export function isServiceRef(ref: BackendRef): ref is BackendRef & { name: string } {
  return ref.group === '' && ref.kind === 'Service' && !!ref.name;
}

/** Every backendRef of a route, rule by rule. */
export function backendRefsOf(route: RouteFact): BackendRef[] {
  return route.rules.flatMap((r) => r.backendRefs);
}

/**
 * Whether the route does anything with a request: some rule forwards (backendRefs) or
 * answers itself (RequestRedirect). A redirect-only HTTPRoute (HTTP to HTTPS) is valid.
 */
export function routeServes(route: RouteFact): boolean {
  return route.rules.some((r) => r.backendRefs.length > 0 || r.redirects);
}

/** Whether a route rule hostname and a listener hostname intersect (Gateway API's rules, wildcards as suffix matches). */
export function hostnamesIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  // `*.example.com` matches any name that ends in `.example.com` (one or more labels in
  // front, a wildcard of its own included), never `example.com` itself.
  const within = (wild: string, other: string) =>
    wild.startsWith('*.') && other.endsWith(wild.slice(1)) && other !== wild.slice(2);
  return within(x, y) || within(y, x);
}

function listenerId(l: Listener): string {
  return `listener ${l.name ?? l.port ?? '?'}`;
}

/** Why a listener does not admit a route, or undefined when it does. */
export function listenerRefusal(l: Listener, route: RouteFact, gatewayNs: string): string | undefined {
  const id = listenerId(l);
  if (l.from === 'Same' && route.namespace !== gatewayNs)
    return `${id} admits routes from namespace ${gatewayNs} only (allowedRoutes.namespaces.from: Same)`;
  if (l.from === 'None') return `${id} admits no routes (allowedRoutes.namespaces.from: None)`;
  if (l.kinds && l.kinds.length > 0) {
    if (!l.kinds.some((k) => k.kind === route.kind && (k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP)) {
      return `${id} admits only ${l.kinds.map((k) => k.kind).join(', ')}, not ${route.kind}`;
    }
  } else {
    const protocols = ROUTE_PROTOCOLS[route.kind];
    if (protocols && l.protocol && /^[A-Z]+$/.test(l.protocol) && !protocols.includes(l.protocol))
      return `${id} speaks ${l.protocol}, which does not carry ${route.kind}`;
  }
  if (
    HOSTNAME_KINDS.has(route.kind) &&
    l.hostname &&
    route.hostnames.length > 0 &&
    !route.hostnames.some((h) => hostnamesIntersect(h, l.hostname!))
  ) {
    return `${id} serves hostname ${l.hostname}, which none of the route's hostnames (${route.hostnames.join(', ')}) matches`;
  }
  return undefined;
}

function attach(facts: GatewayApiFacts, route: RouteFact, ref: ParentRef): Attachment {
  const versions = facts.gateways.get(keyOf(ref.namespace, ref.name)) ?? [];
  if (versions.length === 0) return { ref, state: 'missing' };
  // Files may hold several versions of one Gateway: the first that accepts the route wins.
  let why = '';
  for (const gw of versions) {
    let relevant = gw.listeners;
    if (ref.sectionName) relevant = relevant.filter((l) => l.name === ref.sectionName);
    if (ref.port !== undefined) relevant = relevant.filter((l) => l.port === ref.port);
    if (relevant.length === 0) {
      const wanted = [ref.sectionName, ref.port !== undefined ? `port ${ref.port}` : ''].filter(Boolean).join(' ');
      why ||= `Gateway ${gw.namespace}/${gw.name} has no listener ${wanted} (listeners: ${gw.listeners.map((l) => l.name ?? l.port).join(', ') || 'none'})`;
      continue;
    }
    const refusals = relevant.map((l) => listenerRefusal(l, route, gw.namespace));
    const listeners = relevant.filter((_, i) => refusals[i] === undefined);
    if (listeners.length > 0) return { ref, state: 'attached', gateway: gw, listeners };
    why ||= `Gateway ${gw.namespace}/${gw.name}: ${refusals.join('; ')}`;
  }
  return { ref, state: 'refused', why };
}

/** For each Gateway parentRef of the route: the listeners it attaches to, or why it does not. */
export function attachmentsOf(ctx: DiscoveryContext, route: RouteFact): Attachment[] {
  const facts = gatewayApiFacts(ctx);
  const cached = facts.attachments.get(route);
  if (cached) return cached;
  const out = route.parentRefs.map((ref) => attach(facts, route, ref));
  facts.attachments.set(route, out);
  return out;
}

// ---- ReferenceGrants ------------------------------------------------------------------

interface Grant {
  namespace: string;
  from: Array<{ group: string; kind: string; namespace: string }>;
  to: Array<{ group: string; kind: string; name?: string }>;
}

const grants = perSnapshot((ctx: DiscoveryContext): Grant[] =>
  ctx.snapshot.referenceGrants.map((g) => ({
    namespace: nsOf(g),
    from: arr(specOf(g).from)
      .map(rec)
      .map((f) => ({ group: str(f.group) ?? '', kind: str(f.kind) ?? '', namespace: str(f.namespace) ?? '' })),
    to: arr(specOf(g).to)
      .map(rec)
      .map((t) => {
        const name = str(t.name);
        return { group: str(t.group) ?? '', kind: str(t.kind) ?? '', ...(name ? { name } : {}) };
      }),
  })),
);

/**
 * Whether the grants the snapshot holds in `namespace` are all there are: always in a live
 * cluster (callers also check the kind was readable); from files, where the input is
 * complete for ReferenceGrants in that namespace (src/discover/completeness.ts).
 */
export function grantsComplete(ctx: DiscoveryContext, namespace: string): boolean {
  return absenceIsFact(ctx, 'ReferenceGrant', namespace);
}

/**
 * Whether a reference from an object of `fromKind` in `fromNamespace` to `to` is allowed:
 * same namespace, or a ReferenceGrant in the target's namespace lists the source (group,
 * kind, namespace) and the target (group, kind, and name when the grant names one).
 */
export function referencePermitted(
  ctx: DiscoveryContext,
  fromKind: string,
  fromNamespace: string,
  to: ObjectReference,
): boolean {
  if (fromNamespace === to.namespace) return true;
  return grants(ctx).some(
    (g) =>
      g.namespace === to.namespace &&
      g.from.some((f) => f.group === GATEWAY_API_GROUP && f.kind === fromKind && f.namespace === fromNamespace) &&
      g.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === to.name)),
  );
}

/** The cross-namespace references of a route (backendRefs) that no ReferenceGrant allows. */
export function unpermittedBackendRefs(ctx: DiscoveryContext, route: RouteFact): Array<BackendRef & { name: string }> {
  return backendRefsOf(route).filter(
    (b): b is BackendRef & { name: string } =>
      !!b.name &&
      !referencePermitted(ctx, route.kind, route.namespace, {
        group: b.group,
        kind: b.kind,
        namespace: b.namespace,
        name: b.name,
      }),
  );
}

/** The certificateRefs of a Gateway's listeners in another namespace that no ReferenceGrant allows. */
export function unpermittedCertificateRefs(
  ctx: DiscoveryContext,
  gw: GatewayFact,
): Array<{ listener: Listener; ref: ObjectReference }> {
  return gw.listeners.flatMap((listener) =>
    listener.certificateRefs
      .filter((ref) => !referencePermitted(ctx, 'Gateway', gw.namespace, ref))
      .map((ref) => ({ listener, ref })),
  );
}
