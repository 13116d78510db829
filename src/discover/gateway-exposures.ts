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
// - A parentRef is attached when the Gateway exists, the sectionName/port names a
//   listener, and the listener allows the route's namespace (allowedRoutes: Same by
//   default; All; a Selector cannot be judged without Namespace labels and is assumed
//   to allow) and kind (allowedRoutes.kinds, else the listener protocol).
import type { Exposure, ExposurePort, SourceIP } from '../model/exposure.js';
import type { Custom, Service } from '../model/snapshot.js';
import {
  absenceIsFact, arr, type DiscoveryContext, findService, keyOf, labelsOf, nameOf, nsOf, portNumber, rec, specOf, statusOf, str, uniq,
} from './context.js';
import { serviceEndpoints } from './endpoints.js';
import { combineSourceIP, serviceSourceIP } from './source-ip.js';
import { judgeEndpoints, StatusBuilder } from './status.js';
import { appendAll } from '../util/arrays.js';

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

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
  cilium: 'cilium', istio: 'istio', eg: 'envoy-gateway', 'envoy-gateway': 'envoy-gateway', nginx: 'nginx-gateway-fabric',
  traefik: 'traefik', kong: 'kong', contour: 'contour', haproxy: 'haproxy',
};

export function gatewayImplementation(controllerName: string): string {
  return GATEWAY_CONTROLLERS.find(([re]) => re.test(controllerName))?.[1] ?? controllerName;
}

interface Listener {
  name?: string;
  port?: number;
  protocol?: string;
  hostname?: string;
  allowedRoutes?: { namespaces?: { from?: string }; kinds?: Array<{ kind?: string; group?: string }> };
}

/** A listener as written, with every field checked for its type. */
function listenerOf(v: unknown): Listener {
  const l = rec(v);
  const allowed = rec(l['allowedRoutes']);
  const kinds = Array.isArray(allowed['kinds'])
    ? arr(allowed['kinds']).map(rec).map((k) => ({ kind: str(k['kind']), group: str(k['group']) }))
    : undefined;
  const from = str(rec(allowed['namespaces'])['from']);
  return {
    name: str(l['name']), port: portNumber(l['port']), protocol: str(l['protocol']), hostname: str(l['hostname']),
    allowedRoutes: { ...(from ? { namespaces: { from } } : {}), ...(kinds ? { kinds } : {}) },
  };
}

/** Gateways by namespace/name; a name read twice (alternative manifests in files) keeps every version. */
type GatewayIndex = Map<string, GatewayInfo[]>;

interface GatewayInfo {
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

function listenersOf(gw: Custom): Listener[] {
  return arr(specOf(gw)['listeners']).map(listenerOf);
}

/** The port a listener opens; listeners without a valid port open none. */
function listenerPorts(l: Listener): ExposurePort[] {
  if (l.port === undefined) return [];
  return [{ port: l.port, protocol: l.protocol === 'UDP' ? 'UDP' : 'TCP', ...(l.name ? { name: l.name } : {}) }];
}

interface Condition { reason?: string; message?: string }

function conditionsOf(v: unknown): Array<Condition & { type?: string; status?: string }> {
  return arr(v).map(rec).map((c) => ({ type: str(c['type']), status: str(c['status']), reason: str(c['reason']), message: str(c['message']) }));
}

function conditionFalse(obj: { status?: unknown }, type: string): Condition | undefined {
  return conditionsOf(rec(obj.status)['conditions']).find((c) => c.type === type && c.status === 'False');
}

/** The data-plane Service an implementation created for the Gateway, if the snapshot has it. */
function gatewayService(ctx: DiscoveryContext, gw: Custom): Service | undefined {
  const ns = nsOf(gw);
  const name = nameOf(gw);
  return ctx.snapshot.services.find((s) => {
    const l = labelsOf(s);
    if (nsOf(s) === ns && l['gateway.networking.k8s.io/gateway-name'] === name) return true;
    if (l['gateway.envoyproxy.io/owning-gateway-name'] === name && l['gateway.envoyproxy.io/owning-gateway-namespace'] === ns) return true;
    return false;
  }) ?? findService(ctx, ns, `cilium-gateway-${name}`);
}

function gatewayInfo(ctx: DiscoveryContext, gw: Custom): GatewayInfo {
  const b = new StatusBuilder();
  const className = str(specOf(gw)['gatewayClassName']);
  const classes = ctx.snapshot.gatewayClasses;
  const cls = className ? classes.find((c) => nameOf(c) === className) : undefined;
  let implementation: string | null = null;
  if (cls) {
    const controller = str(specOf(cls)['controllerName']);
    implementation = controller ? gatewayImplementation(controller) : null;
    const notAccepted = conditionFalse(cls, 'Accepted');
    if (notAccepted) b.broken.push(`GatewayClass ${className} not accepted${notAccepted.message ? `: ${notAccepted.message}` : ''}`);
  } else if (!className) {
    b.broken.push('no gatewayClassName');
  } else if (absenceIsFact(ctx)) {
    b.broken.push(`GatewayClass ${className} not found`);
  } else {
    b.unknown.push(`GatewayClass ${className} not in the input`);
    implementation = GATEWAY_CLASS_NAMES[className] ?? null;
  }
  for (const type of ['Accepted', 'Programmed']) {
    const c = conditionFalse(gw, type);
    if (c) (c.reason === 'Pending' ? b.pending : b.broken).push(`Gateway not ${type.toLowerCase()}${c.message ? `: ${c.message}` : c.reason ? ` (${c.reason})` : ''}`);
  }
  const values = (v: unknown) => arr(v).map((a) => str(rec(a)['value'])).filter((x): x is string => !!x);
  const statusAddrs = values(statusOf(gw)['addresses']);
  const specAddrs = values(specOf(gw)['addresses']);
  const liveStatus = ctx.live || Array.isArray(statusOf(gw)['addresses']);
  let addresses = statusAddrs;
  if (statusAddrs.length === 0) {
    if (liveStatus) b.pending.push(specAddrs.length > 0 ? `address ${specAddrs.join(', ')} requested, not assigned yet` : 'no address assigned yet');
    else if (specAddrs.length > 0) {
      addresses = specAddrs;
      b.unknown.push('requested addresses, not confirmed (no status in the input)');
    } else b.unknown.push('address assigned at creation (no status in the input)');
  }
  const service = gatewayService(ctx, gw);
  return {
    gateway: gw, implementation, addresses: uniq(addresses), status: b, listeners: listenersOf(gw),
    service, sourceIP: service ? serviceSourceIP(service) : 'unknown',
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
    namespace: nsOf(gw), name: nameOf(gw), kind: 'Gateway',
    service: svc ? { namespace: nsOf(svc), name: nameOf(svc) } : null,
    mode: 'gateway', implementation: info.implementation, addresses: info.addresses,
    ports: info.listeners.flatMap(listenerPorts), endpoints, sourceIP: info.sourceIP, ...b.result(),
    ...(hosts.length > 0 ? { hosts } : {}),
  };
}

function copyInto(from: StatusBuilder, to: StatusBuilder): void {
  appendAll(to.broken, from.broken);
  appendAll(to.pending, from.pending);
  appendAll(to.degraded, from.degraded);
  appendAll(to.unknown, from.unknown);
}

interface ParentRef { group?: string; kind?: string; namespace?: string; name?: string; sectionName?: string; port?: number }
interface BackendRef { group?: string; kind?: string; namespace?: string; name?: string; port?: number }

const ROUTE_PROTOCOLS: Record<string, string[]> = {
  HTTPRoute: ['HTTP', 'HTTPS'],
  GRPCRoute: ['HTTP', 'HTTPS'],
  TLSRoute: ['TLS'],
  TCPRoute: ['TCP', 'TLS'],
  UDPRoute: ['UDP'],
};

function listenerAllows(l: Listener, routeKind: string, routeNs: string, gwNs: string): string | undefined {
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'Same' && routeNs !== gwNs) return `listener ${l.name ?? l.port} allows routes from its own namespace (${gwNs}) only`;
  if (from === 'None') return `listener ${l.name ?? l.port} allows no routes`;
  const kinds = l.allowedRoutes?.kinds;
  if (kinds && kinds.length > 0) {
    if (!kinds.some((k) => (k.kind ?? '') === routeKind && (k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP)) {
      return `listener ${l.name ?? l.port} does not allow ${routeKind}`;
    }
    return undefined;
  }
  const protocols = ROUTE_PROTOCOLS[routeKind];
  if (protocols && l.protocol && /^[A-Z]+$/.test(l.protocol) && !protocols.includes(l.protocol)) {
    return `listener ${l.name ?? l.port} speaks ${l.protocol}, not for ${routeKind}`;
  }
  return undefined;
}

export function routeExposure(ctx: DiscoveryContext, route: Custom, gateways: GatewayIndex): Exposure | undefined {
  const ns = nsOf(route);
  const refs: ParentRef[] = arr(specOf(route)['parentRefs']).map(rec)
    .map((r) => ({ group: str(r['group']), kind: str(r['kind']), namespace: str(r['namespace']), name: str(r['name']), sectionName: str(r['sectionName']), port: portNumber(r['port']) }))
    .filter((r) => (r.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && (r.kind ?? 'Gateway') === 'Gateway' && r.name);
  if (refs.length === 0) return undefined;
  const b = new StatusBuilder();
  const parents: GatewayInfo[] = [];
  /** Gateways named by the parentRefs, attached or not: their implementation is still the one meant. */
  const named: GatewayInfo[] = [];
  const ports: ExposurePort[] = [];
  const backend = firstBackendRef(route);
  for (const ref of refs) {
    const gwNs = ref.namespace ?? ns;
    const versions = gateways.get(keyOf(gwNs, ref.name!)) ?? [];
    named.push(...versions);
    if (versions.length === 0) {
      if (absenceIsFact(ctx)) b.broken.push(`parent Gateway ${gwNs}/${ref.name} not found`);
      else b.unknown.push(`parent Gateway ${gwNs}/${ref.name} not in the input`);
      continue;
    }
    // The first version of the Gateway that accepts the route (files may hold several).
    let refusal = '';
    let found = false;
    for (const info of versions) {
      let candidates = info.listeners;
      if (ref.sectionName) candidates = candidates.filter((l) => l.name === ref.sectionName);
      if (ref.port !== undefined) candidates = candidates.filter((l) => l.port === ref.port);
      if (candidates.length === 0) {
        refusal ||= `Gateway ${gwNs}/${ref.name} has no listener ${ref.sectionName ?? ''}${ref.port !== undefined ? `:${ref.port}` : ''}`.trim();
        continue;
      }
      const refusals = candidates.map((l) => listenerAllows(l, route.kind, ns, gwNs));
      const attached = candidates.filter((_, i) => refusals[i] === undefined);
      if (attached.length === 0) {
        refusal ||= `not attached to Gateway ${gwNs}/${ref.name}: ${refusals[0]}`;
        continue;
      }
      parents.push(info);
      for (const l of attached) {
        for (const p of listenerPorts(l)) ports.push({ ...p, ...(backend?.port !== undefined ? { targetPort: backend.port } : {}) });
      }
      found = true;
      break;
    }
    if (!found) b.broken.push(refusal);
  }
  // Live status: a parent that did not accept the route.
  for (const p of arr(statusOf(route)['parents']).map(rec)) {
    const conditions = conditionsOf(p['conditions']);
    const parentName = str(rec(p['parentRef'])['name']);
    const c = conditions.find((x) => x.type === 'Accepted' && x.status === 'False');
    if (c) b.broken.push(`not accepted by ${parentName ?? 'its parent'}${c.message ? `: ${c.message}` : c.reason ? ` (${c.reason})` : ''}`);
    const r = conditions.find((x) => x.type === 'ResolvedRefs' && x.status === 'False');
    if (r) b.broken.push(`references not resolved${r.message ? `: ${r.message}` : r.reason ? ` (${r.reason})` : ''}`);
  }
  for (const p of parents) {
    const gw = `parent Gateway ${nsOf(p.gateway)}/${nameOf(p.gateway)}`;
    if (p.status.broken.length > 0) b.broken.push(`${gw}: ${p.status.broken.join(', ')}`);
    if (p.status.pending.length > 0) b.pending.push(`${gw}: ${p.status.pending.join(', ')}`);
    if (p.status.unknown.length > 0) b.unknown.push(`${gw}: ${p.status.unknown.join(', ')}`);
  }

  let service = null;
  let endpoints = null;
  if (backend && (backend.group ?? '') === '' && (backend.kind ?? 'Service') === 'Service' && backend.name) {
    const bns = backend.namespace ?? ns;
    service = { namespace: bns, name: backend.name };
    const svc = findService(ctx, bns, backend.name);
    if (svc) {
      const facts = serviceEndpoints(ctx, svc);
      endpoints = facts.endpoints;
      judgeEndpoints(b, facts, `backend Service ${bns}/${backend.name}`, ctx.live);
    } else if (ctx.live) {
      b.broken.push(`backend Service ${bns}/${backend.name} not found`);
    } else {
      b.unknown.push(`backend Service ${bns}/${backend.name} not in the input`);
    }
  } else if (backend) {
    b.notes.push(`backend is a ${backend.kind ?? 'resource'} ${backend.name ?? ''}`.trim());
  } else {
    b.broken.push('no backendRef');
  }

  const hosts = uniq(arr(specOf(route)['hostnames']).filter((h): h is string => typeof h === 'string'));
  return {
    namespace: ns, name: nameOf(route), kind: route.kind, service, mode: 'gateway',
    implementation: uniq([...parents, ...named].map((p) => p.implementation).filter((i): i is string => !!i))[0] ?? null,
    addresses: uniq(parents.flatMap((p) => p.addresses)), ports: dedupePorts(ports),
    endpoints, sourceIP: routeSourceIP(route.kind, parents), ...b.result(), ...(hosts.length > 0 ? { hosts } : {}),
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

function firstBackendRef(route: Custom): BackendRef | undefined {
  for (const rule of arr(specOf(route)['rules']).map(rec)) {
    const ref = arr(rule['backendRefs']).map(rec)[0];
    if (ref) return { group: str(ref['group']), kind: str(ref['kind']), namespace: str(ref['namespace']), name: str(ref['name']), port: portNumber(ref['port']) };
  }
  return undefined;
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
  const infos: GatewayIndex = new Map();
  const out: Exposure[] = [];
  for (const gw of ctx.snapshot.gateways) {
    const info = gatewayInfo(ctx, gw);
    const k = keyOf(nsOf(gw), nameOf(gw));
    infos.set(k, [...(infos.get(k) ?? []), info]);
    out.push(gatewayExposure(ctx, info));
  }
  for (const route of ctx.snapshot.routes) {
    const e = routeExposure(ctx, route, infos);
    if (e) out.push(e);
  }
  return out;
}
