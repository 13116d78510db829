// Exposures made by Gateway API objects: one `gateway` row per Gateway, and one per
// route (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute) attached to a Gateway. Pure.
//
// - Gateway: addresses from status.addresses (live), else spec.addresses (requested);
//   ports from its listeners (name = listener name; protocol UDP for UDP listeners,
//   TCP otherwise); hosts from listener hostnames; implementation from the
//   GatewayClass controllerName (io.cilium/gateway-controller -> cilium, ...; an
//   unknown controller is shown as its name; a class not in the input is guessed from
//   conventional class names such as `cilium`, `istio`, `eg`). service: the Gateway's
//   data-plane Service when the snapshot has it (label
//   gateway.networking.k8s.io/gateway-name, Envoy Gateway's owning-gateway labels, or
//   Cilium's cilium-gateway-<name>), else null; sourceIP from that Service's
//   externalTrafficPolicy (see source-ip.ts), else unknown.
// - Route: service = its first backendRef; addresses = those of the parent Gateway(s)
//   it attaches to; implementation = theirs (or, when it attaches to none, that of the
//   Gateway its parentRefs name); ports = the listeners it attaches to (targetPort = the
//   backend port). A route whose parentRefs name no Gateway (GAMMA mesh routes attached to a
//   Service or Mesh) is east-west traffic, not an exposure, and is not listed.
// - Attachment (Gateway exists, sectionName/port, allowedRoutes namespaces and kinds,
//   listener protocol, hostname intersection), redirect-only rules and ReferenceGrants
//   are the Gateway API facts of gateway-api.ts, which diagnose reads too.
import type { Exposure, ExposurePort, SourceIP } from '../model/exposure.js';
import type { Custom, Service } from '../model/snapshot.js';
import { appendAll } from '../util/arrays.js';
import {
  absenceIsFact,
  arr,
  type DiscoveryContext,
  findService,
  keyOf,
  labelsOf,
  nameOf,
  nsOf,
  rec,
  specOf,
  statusOf,
  str,
  uniq,
} from './context.js';
import { serviceEndpoints } from './endpoints.js';
import {
  attachmentsOf,
  backendRefsOf,
  type Condition,
  conditionsOf,
  type GatewayFact,
  gatewayApiFacts,
  grantsComplete,
  isServiceRef,
  type Listener,
  type RouteFact,
  routeServes,
  unpermittedBackendRefs,
} from './gateway-api.js';
import { combineSourceIP, serviceSourceIP } from './source-ip.js';
import { judgeEndpoints, StatusBuilder } from './status.js';

const GATEWAY_CONTROLLERS: Array<[RegExp, string]> = [
  [/^io\.cilium\//, 'cilium'],
  [/^gateway\.envoyproxy\.io\//, 'envoy-gateway'],
  [/^istio\.io\//, 'istio'],
  [/^gateway\.nginx\.org\//, 'nginx-gateway-fabric'],
  [/^projectcontour\.io\//, 'contour'],
  [/traefik/i, 'traefik'],
  [/konghq\.com/, 'kong'],
  [/haproxy/i, 'haproxy'],
  [/^networking\.gke\.io\//, 'gke'],
];

const GATEWAY_CLASS_NAMES: Record<string, string> = {
  cilium: 'cilium',
  istio: 'istio',
  eg: 'envoy-gateway',
  'envoy-gateway': 'envoy-gateway',
  nginx: 'nginx-gateway-fabric',
  traefik: 'traefik',
  kong: 'kong',
  contour: 'contour',
  haproxy: 'haproxy',
};

export function gatewayImplementation(controllerName: string): string {
  return GATEWAY_CONTROLLERS.find(([re]) => re.test(controllerName))?.[1] ?? controllerName;
}

/** Gateways by namespace/name; a name read twice (alternative manifests in files) keeps every version. */
type GatewayIndex = Map<string, GatewayInfo[]>;

interface GatewayInfo {
  fact: GatewayFact;
  gateway: Custom;
  implementation: string | null;
  addresses: string[];
  /** Observations about the Gateway itself, to carry over to its routes. */
  status: StatusBuilder;
  listeners: Listener[];
  /** Its data-plane Service, when the snapshot has it. */
  service: Service | undefined;
  /** Whether the Gateway's proxy sees the client address (its data-plane Service's policy). */
  sourceIP: SourceIP;
}

/** The port a listener opens; listeners without a valid port open none. */
function listenerPorts(l: Listener): ExposurePort[] {
  if (l.port === undefined) return [];
  return [{ port: l.port, protocol: l.protocol === 'UDP' ? 'UDP' : 'TCP', ...(l.name ? { name: l.name } : {}) }];
}

function conditionFalse(obj: { status?: unknown }, type: string): Condition | undefined {
  return conditionsOf(rec(obj.status).conditions).find((c) => c.type === type && c.status === 'False');
}

/** The data-plane Service an implementation created for the Gateway, if the snapshot has it. */
function gatewayService(ctx: DiscoveryContext, gw: Custom): Service | undefined {
  const ns = nsOf(gw);
  const name = nameOf(gw);
  return (
    ctx.snapshot.services.find((s) => {
      const l = labelsOf(s);
      if (nsOf(s) === ns && l['gateway.networking.k8s.io/gateway-name'] === name) return true;
      if (
        l['gateway.envoyproxy.io/owning-gateway-name'] === name &&
        l['gateway.envoyproxy.io/owning-gateway-namespace'] === ns
      )
        return true;
      return false;
    }) ?? findService(ctx, ns, `cilium-gateway-${name}`)
  );
}

function gatewayInfo(ctx: DiscoveryContext, fact: GatewayFact): GatewayInfo {
  const gw = fact.object;
  const b = new StatusBuilder();
  const className = fact.className;
  const classes = ctx.snapshot.gatewayClasses;
  const cls = className ? classes.find((c) => nameOf(c) === className) : undefined;
  let implementation: string | null = null;
  if (cls) {
    const controller = str(specOf(cls).controllerName);
    implementation = controller ? gatewayImplementation(controller) : null;
    const notAccepted = conditionFalse(cls, 'Accepted');
    if (notAccepted)
      b.broken.push(`GatewayClass ${className} not accepted${notAccepted.message ? `: ${notAccepted.message}` : ''}`);
  } else if (!className) {
    b.broken.push('no gatewayClassName');
  } else if (absenceIsFact(ctx, 'GatewayClass')) {
    b.broken.push(`GatewayClass ${className} ${ctx.live ? 'not found' : 'not in the input'}`);
    // From files the class name still tells which implementation the author meant.
    if (!ctx.live) implementation = GATEWAY_CLASS_NAMES[className] ?? null;
  } else {
    b.unknown.push(`GatewayClass ${className} not in the input`);
    implementation = GATEWAY_CLASS_NAMES[className] ?? null;
  }
  for (const type of ['Accepted', 'Programmed']) {
    const c = conditionFalse(gw, type);
    if (c)
      (c.reason === 'Pending' ? b.pending : b.broken).push(
        `Gateway not ${type.toLowerCase()}${c.message ? `: ${c.message}` : c.reason ? ` (${c.reason})` : ''}`,
      );
  }
  const values = (v: unknown) =>
    arr(v)
      .map((a) => str(rec(a).value))
      .filter((x): x is string => !!x);
  const statusAddrs = values(statusOf(gw).addresses);
  const specAddrs = values(specOf(gw).addresses);
  const liveStatus = ctx.live || Array.isArray(statusOf(gw).addresses);
  let addresses = statusAddrs;
  if (statusAddrs.length === 0) {
    if (liveStatus)
      b.pending.push(
        specAddrs.length > 0
          ? `address ${specAddrs.join(', ')} requested, not assigned yet`
          : 'no address assigned yet',
      );
    else if (specAddrs.length > 0) {
      addresses = specAddrs;
      b.unknown.push('requested addresses, not confirmed (no status in the input)');
    } else b.unknown.push('address assigned at creation (no status in the input)');
  }
  const service = gatewayService(ctx, gw);
  return {
    fact,
    gateway: gw,
    implementation,
    addresses: uniq(addresses),
    status: b,
    listeners: fact.listeners,
    service,
    sourceIP: service ? serviceSourceIP(service) : 'unknown',
  };
}

export function gatewayExposure(ctx: DiscoveryContext, info: GatewayInfo): Exposure {
  const gw = info.gateway;
  const b = new StatusBuilder();
  copyInto(info.status, b);
  const svc = info.service;
  let endpoints = null;
  if (svc) {
    const facts = serviceEndpoints(ctx, svc);
    endpoints = facts.endpoints;
    judgeEndpoints(b, facts, `data-plane Service ${nsOf(svc)}/${nameOf(svc)}`, ctx.live);
  }
  const hosts = uniq(info.listeners.map((l) => l.hostname).filter((h): h is string => !!h));
  return {
    namespace: nsOf(gw),
    name: nameOf(gw),
    kind: 'Gateway',
    service: svc ? { namespace: nsOf(svc), name: nameOf(svc) } : null,
    mode: 'gateway',
    implementation: info.implementation,
    addresses: info.addresses,
    ports: info.listeners.flatMap(listenerPorts),
    endpoints,
    sourceIP: info.sourceIP,
    ...b.result(),
    ...(hosts.length > 0 ? { hosts } : {}),
  };
}

function copyInto(from: StatusBuilder, to: StatusBuilder): void {
  appendAll(to.broken, from.broken);
  appendAll(to.pending, from.pending);
  appendAll(to.degraded, from.degraded);
  appendAll(to.unknown, from.unknown);
}

export function routeExposure(ctx: DiscoveryContext, route: RouteFact, gateways: GatewayIndex): Exposure | undefined {
  if (route.parentRefs.length === 0) return undefined;
  const ns = route.namespace;
  const b = new StatusBuilder();
  const parents: GatewayInfo[] = [];
  /** Gateways named by the parentRefs, attached or not: their implementation is still the one meant. */
  const named: GatewayInfo[] = [];
  const ports: ExposurePort[] = [];
  const backend = backendRefsOf(route)[0];
  for (const a of attachmentsOf(ctx, route)) {
    const versions = gateways.get(keyOf(a.ref.namespace, a.ref.name)) ?? [];
    named.push(...versions);
    if (a.state === 'missing') {
      if (absenceIsFact(ctx, 'gateway.networking.k8s.io/Gateway', a.ref.namespace))
        b.broken.push(`parent Gateway ${a.ref.namespace}/${a.ref.name} ${ctx.live ? 'not found' : 'not in the input'}`);
      else b.unknown.push(`parent Gateway ${a.ref.namespace}/${a.ref.name} not in the input`);
    } else if (a.state === 'refused') {
      b.broken.push(`not attached: ${a.why}`);
    } else {
      const info = versions.find((v) => v.fact === a.gateway);
      if (info) parents.push(info);
      for (const l of a.listeners) {
        for (const p of listenerPorts(l))
          ports.push({ ...p, ...(backend?.port !== undefined ? { targetPort: backend.port } : {}) });
      }
    }
  }
  // Live status: a parent that did not accept the route.
  for (const p of route.parentStatus) {
    const c = p.conditions.find((x) => x.type === 'Accepted' && x.status === 'False');
    if (c)
      b.broken.push(
        `not accepted by ${p.parentName ?? 'its parent'}${c.message ? `: ${c.message}` : c.reason ? ` (${c.reason})` : ''}`,
      );
    const r = p.conditions.find((x) => x.type === 'ResolvedRefs' && x.status === 'False');
    if (r) b.broken.push(`references not resolved${r.message ? `: ${r.message}` : r.reason ? ` (${r.reason})` : ''}`);
  }
  for (const p of parents) {
    const gw = `parent Gateway ${nsOf(p.gateway)}/${nameOf(p.gateway)}`;
    if (p.status.broken.length > 0) b.broken.push(`${gw}: ${p.status.broken.join(', ')}`);
    if (p.status.pending.length > 0) b.pending.push(`${gw}: ${p.status.pending.join(', ')}`);
    if (p.status.unknown.length > 0) b.unknown.push(`${gw}: ${p.status.unknown.join(', ')}`);
  }
  for (const ref of unpermittedBackendRefs(ctx, route)) {
    if (grantsComplete(ctx, ref.namespace))
      b.broken.push(
        `backendRef ${ref.namespace}/${ref.name} not permitted: no ReferenceGrant in ${ref.namespace} allows ${route.kind}s from ${ns}`,
      );
  }

  let service = null;
  let endpoints = null;
  if (backend && isServiceRef(backend)) {
    service = { namespace: backend.namespace, name: backend.name };
    const svc = findService(ctx, backend.namespace, backend.name);
    if (svc) {
      const facts = serviceEndpoints(ctx, svc);
      endpoints = facts.endpoints;
      judgeEndpoints(b, facts, `backend Service ${backend.namespace}/${backend.name}`, ctx.live);
    } else if (absenceIsFact(ctx, 'Service', backend.namespace)) {
      b.broken.push(
        `backend Service ${backend.namespace}/${backend.name} ${ctx.live ? 'not found' : 'not in the input'}`,
      );
    } else {
      b.unknown.push(`backend Service ${backend.namespace}/${backend.name} not in the input`);
    }
  } else if (backend) {
    b.notes.push(`backend is a ${backend.kind} ${backend.name ?? ''}`.trim());
  } else if (routeServes(route)) {
    b.notes.push('redirects (RequestRedirect), no backend');
  } else {
    b.broken.push('no backendRef');
  }

  const hosts = uniq(route.hostnames);
  return {
    namespace: ns,
    name: route.name,
    kind: route.kind,
    service,
    mode: 'gateway',
    implementation:
      uniq([...parents, ...named].map((p) => p.implementation).filter((i): i is string => !!i))[0] ?? null,
    addresses: uniq(parents.flatMap((p) => p.addresses)),
    ports: dedupePorts(ports),
    endpoints,
    sourceIP: routeSourceIP(route.kind, parents),
    ...b.result(),
    ...(hosts.length > 0 ? { hosts } : {}),
  };
}

/**
 * HTTP and gRPC routes: the client address survives in X-Forwarded-For when every
 * parent's proxy sees it. L4 routes carry no header: lost when the proxy lost it, else
 * unknown (PROXY protocol is not in the snapshot).
 */
function routeSourceIP(kind: string, parents: GatewayInfo[]): SourceIP {
  const atProxy = combineSourceIP(parents.map((p) => p.sourceIP));
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') return atProxy;
  return atProxy === 'lost' ? 'lost' : 'unknown';
}

function dedupePorts(ports: ExposurePort[]): ExposurePort[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const k = `${p.port}/${p.protocol}/${p.name ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function gatewayExposures(ctx: DiscoveryContext): Exposure[] {
  const facts = gatewayApiFacts(ctx);
  const infos: GatewayIndex = new Map();
  const out: Exposure[] = [];
  for (const [k, versions] of facts.gateways)
    infos.set(
      k,
      versions.map((v) => gatewayInfo(ctx, v)),
    );
  // Rows in input order: one per Gateway object, then one per route.
  const byObject = new Map([...infos.values()].flat().map((i) => [i.gateway, i]));
  for (const gw of ctx.snapshot.gateways) out.push(gatewayExposure(ctx, byObject.get(gw)!));
  for (const route of facts.routes) {
    const e = routeExposure(ctx, route, infos);
    if (e) out.push(e);
  }
  return out;
}
