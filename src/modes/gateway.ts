// Mode gateway (Gateway API): a Gateway `<svc>-gateway` with one listener per published
// port (or an existing Gateway, --gateway), and one route per port: HTTPRoute for HTTP
// ports, TLSRoute (passthrough, needs --host: a TLSRoute routes by SNI) for ports that
// speak TLS themselves (name or appProtocol https), TCPRoute / UDPRoute for the others.
// --tls-secret adds an HTTPS listener on 443 terminating TLS in front of the one HTTP port.
// Routes use gateway.networking.k8s.io/v1 (TCPRoute, TLSRoute and UDPRoute are standard in
// the Gateway API the project targets) unless the facts say the cluster serves only older.
import { sessionPersistenceIgnoredBy } from '../discover/session-persistence.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Custom } from '../model/snapshot.js';
import {
  commonProblems,
  isProblem,
  isValidHostname,
  meta,
  names,
  pickPort,
  protocolOf,
  type ServicePort,
  servicePorts,
  svcName,
  svcNamespace,
} from './common.js';
import type { ExposeFacts, ExposeSpec, Problem } from './spec.js';
import { sessionPersistence, userAffinityNote } from './sticky.js';

export const GATEWAY_API = 'gateway.networking.k8s.io/v1';
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** Preferred versions of each route kind, newest first. */
const ROUTE_VERSIONS: Record<RouteKind, string[]> = {
  HTTPRoute: ['v1', 'v1beta1'],
  TLSRoute: ['v1', 'v1alpha3', 'v1alpha2'],
  TCPRoute: ['v1', 'v1alpha2'],
  UDPRoute: ['v1', 'v1alpha2'],
};

/** The apiVersion of a route kind: the newest the cluster serves (v1 when unknown). */
export function routeApiVersion(kind: RouteKind, facts: ExposeFacts): string {
  const served = facts.servedVersions?.[kind];
  const version = served ? ROUTE_VERSIONS[kind].find((v) => served.includes(v)) : ROUTE_VERSIONS[kind][0];
  return `${GATEWAY_GROUP}/${version ?? ROUTE_VERSIONS[kind][0]}`;
}

export type RouteKind = 'HTTPRoute' | 'TLSRoute' | 'TCPRoute' | 'UDPRoute';
type ListenerProtocol = 'HTTP' | 'TLS' | 'TCP' | 'UDP';

/** The port of the HTTPS listener --tls-secret adds to a new Gateway. */
export const HTTPS_LISTENER_PORT = 443;
export const HTTPS_LISTENER = names.listener('https', HTTPS_LISTENER_PORT);

export interface PortPlan {
  port: ServicePort;
  /** Listener protocol of a new Gateway. */
  protocol: ListenerProtocol;
  route: RouteKind;
  listenerName: string;
}

function isHTTPName(name: string | undefined, scheme: 'http' | 'https'): boolean {
  return name === scheme || (name?.startsWith(`${scheme}-`) ?? false);
}

/** How a port is routed: from --http-ports, appProtocol, or the port name. */
export function classifyPort(spec: ExposeSpec, p: ServicePort): PortPlan {
  const proto = protocolOf(p);
  const app = p.appProtocol?.toLowerCase();
  const forcedHTTP = (spec.httpPorts ?? []).some((h) => h === p.port || h === p.name || h === String(p.port));
  let protocol: ListenerProtocol;
  if (proto === 'UDP') protocol = 'UDP';
  else if (forcedHTTP || app === 'http' || app === 'kubernetes.io/h2c' || isHTTPName(p.name, 'http')) protocol = 'HTTP';
  // TLS passthrough routes by SNI: without a host name the port is plain TCP to the Gateway.
  else if ((app === 'https' || isHTTPName(p.name, 'https')) && spec.host !== undefined) protocol = 'TLS';
  else protocol = 'TCP';
  const route: RouteKind =
    protocol === 'HTTP' ? 'HTTPRoute' : protocol === 'TLS' ? 'TLSRoute' : protocol === 'UDP' ? 'UDPRoute' : 'TCPRoute';
  return { port: p, protocol, route, listenerName: names.listener(protocol.toLowerCase(), p.port) };
}

/** The published ports: --port, or all of them. */
export function publishedPorts(spec: ExposeSpec): ServicePort[] | Problem {
  if (spec.port === undefined) return servicePorts(spec.service);
  const p = pickPort(spec, 'to route');
  return isProblem(p) ? p : [p];
}

/** `name` or `namespace/name` of --gateway. */
export function gatewayRef(spec: ExposeSpec): { namespace: string; name: string } {
  const g = spec.gateway ?? names.gateway(svcName(spec));
  const slash = g.indexOf('/');
  return slash < 0
    ? { namespace: svcNamespace(spec), name: g }
    : { namespace: g.slice(0, slash), name: g.slice(slash + 1) };
}

function findGateway(spec: ExposeSpec, facts: ExposeFacts): Custom | undefined {
  const ref = gatewayRef(spec);
  return (facts.gateways ?? []).find(
    (g) => g.metadata.name === ref.name && (g.metadata.namespace ?? 'default') === ref.namespace,
  );
}

interface Listener {
  name: string;
  protocol: string;
  port: number;
  hostname?: string;
  allowedRoutes?: { namespaces?: { from?: string }; kinds?: Array<{ kind: string }> };
}

/** Protocols of an existing listener a route kind can attach to. */
const ATTACHABLE: Record<RouteKind, string[]> = {
  HTTPRoute: ['HTTP', 'HTTPS'],
  TLSRoute: ['TLS'],
  TCPRoute: ['TCP'],
  UDPRoute: ['UDP'],
};

/**
 * The listeners of an existing Gateway a port's route attaches to (an HTTPRoute to every
 * HTTP/HTTPS listener that admits it; other routes to one, the same port preferred), or
 * why none fits.
 */
export function pickListeners(spec: ExposeSpec, gw: Custom, plan: PortPlan): Listener[] | string {
  const listeners = ((gw.spec?.listeners ?? []) as Listener[]).filter((l) =>
    ATTACHABLE[plan.route].includes(l.protocol),
  );
  const gwNs = gw.metadata.namespace ?? 'default';
  const usable = listeners.filter((l) => {
    const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
    const nsOK = from === 'All' || from === 'Selector' || gwNs === svcNamespace(spec);
    const kinds = l.allowedRoutes?.kinds;
    const kindOK = !kinds || kinds.length === 0 || kinds.some((k) => k.kind === plan.route);
    return nsOK && kindOK;
  });
  if (usable.length === 0) {
    return listeners.length === 0
      ? `Gateway ${gwNs}/${gw.metadata.name} has no ${ATTACHABLE[plan.route].join('/')} listener for port ${plan.port.port} (${plan.route})`
      : `no listener of Gateway ${gwNs}/${gw.metadata.name} admits a ${plan.route} from namespace ${svcNamespace(spec)} (allowedRoutes)`;
  }
  if (plan.route === 'HTTPRoute') return usable;
  return [usable.find((l) => l.port === plan.port.port) ?? usable[0]!];
}

/**
 * Gateway API keeps a client on one Pod only for HTTP (HTTPRoute sessionPersistence, a
 * cookie): TCP, TLS and UDP routes have no such field, and Service sessionAffinity is
 * bypassed because implementations send to the endpoints directly.
 */
function stickyProblems(spec: ExposeSpec, plans: PortPlan[]): Problem[] {
  const problems: Problem[] = [];
  if (spec.inPlace)
    problems.push({
      field: 'inPlace',
      message:
        '--sticky in mode gateway is session persistence on the HTTPRoute; the Service is not touched: drop --in-place',
    });
  const other = plans.filter((p) => p.route !== 'HTTPRoute');
  if (other.length > 0) {
    problems.push({
      field: 'sticky',
      message: `Gateway API has session persistence only for HTTP routes, and port ${other.map((p) => `${p.port.port} (${p.route})`).join(', ')} is not HTTP: publish the HTTP port alone with --port, or use --mode hostnetwork (client-address hashing) or l2 (Service affinity)`,
    });
  }
  return problems;
}

/** The controllerName of the GatewayClass the route's Gateway will have, when the facts tell. */
function gatewayControllerOf(spec: ExposeSpec, facts: ExposeFacts): string | undefined {
  const className =
    spec.gateway !== undefined
      ? (findGateway(spec, facts)?.spec?.gatewayClassName as string | undefined)
      : (spec.gatewayClass ??
        (facts.gatewayClasses?.length === 1 ? facts.gatewayClasses[0]!.metadata.name : undefined));
  if (className === undefined) return undefined;
  const cls = (facts.gatewayClasses ?? []).find((c) => c.metadata.name === className);
  return cls?.spec?.controllerName as string | undefined;
}

/**
 * --sticky on a Gateway whose implementation accepts sessionPersistence without applying
 * it (affinity/session-persistence-ignored): the route would be Accepted and clients would
 * still move between Pods. Refuse, and name the implementation's own stickiness.
 */
function ignoredPersistenceProblems(spec: ExposeSpec, facts: ExposeFacts): Problem[] {
  const controllerName = gatewayControllerOf(spec, facts);
  const ignored = sessionPersistenceIgnoredBy(controllerName);
  if (!ignored) return [];
  return [
    {
      field: 'sticky',
      code: 'affinity/session-persistence-ignored',
      message: `--sticky in mode gateway: the Gateway's class is served by ${ignored.implementation} (controllerName ${controllerName}), which accepts HTTPRoute sessionPersistence without applying it (${ignored.thread}), so clients would still move between Pods (affinity/session-persistence-ignored). Use ${ignored.remedy}`,
    },
  ];
}

export function validateGateway(spec: ExposeSpec, facts: ExposeFacts): Problem[] {
  const problems = commonProblems(spec);
  if (problems.some((p) => p.field === 'service')) return problems;
  if (spec.host !== undefined && !isValidHostname(spec.host)) {
    problems.push({
      field: 'host',
      message: `"${spec.host}" is not a valid host name (lowercase DNS name, optionally starting with *.)`,
    });
  }
  for (const h of spec.httpPorts ?? []) {
    if (!servicePorts(spec.service).some((p) => p.port === h || p.name === h || String(p.port) === h)) {
      problems.push({ field: 'httpPorts', message: `Service ${svcName(spec)} has no port ${String(h)}` });
    }
  }
  const ports = publishedPorts(spec);
  if (isProblem(ports)) {
    problems.push(ports);
    return problems;
  }
  const plans = ports.map((p) => classifyPort(spec, p));
  const ns = svcNamespace(spec);
  if (spec.sticky) problems.push(...stickyProblems(spec, plans), ...ignoredPersistenceProblems(spec, facts));

  if (spec.gateway !== undefined) {
    if (spec.gatewayClass !== undefined)
      problems.push({
        field: 'gatewayClass',
        message: '--gateway-class is for a new Gateway; --gateway reuses an existing one',
      });
    if (spec.tlsSecret !== undefined)
      problems.push({
        field: 'tlsSecret',
        message:
          "--tls-secret configures a new Gateway's HTTPS listener; the existing Gateway keeps its own certificates",
      });
    if (facts.gateways !== undefined) {
      const gw = findGateway(spec, facts);
      const ref = gatewayRef(spec);
      if (!gw) {
        problems.push({
          field: 'gateway',
          message: `Gateway ${ref.namespace}/${ref.name} does not exist`,
          code: 'gateway/route-not-attached',
        });
      } else {
        for (const plan of plans) {
          const l = pickListeners(spec, gw, plan);
          if (typeof l === 'string')
            problems.push({ field: 'gateway', message: l, code: 'gateway/route-not-attached' });
        }
      }
    }
    return problems;
  }

  // A new Gateway.
  const classes = facts.gatewayClasses;
  if (spec.gatewayClass !== undefined) {
    if (classes !== undefined && !classes.some((c) => c.metadata.name === spec.gatewayClass)) {
      problems.push({
        field: 'gatewayClass',
        message: `GatewayClass ${spec.gatewayClass} does not exist (classes: ${classes.map((c) => c.metadata.name).join(', ') || 'none'})`,
        code: 'gateway/route-not-attached',
      });
    }
  } else if (classes === undefined) {
    problems.push({
      field: 'gatewayClass',
      message: "a new Gateway needs --gateway-class (the cluster's classes are not known)",
    });
  } else if (classes.length !== 1) {
    problems.push({
      field: 'gatewayClass',
      message:
        classes.length === 0
          ? 'no GatewayClass exists: install a Gateway API implementation'
          : `several GatewayClasses exist (${classes.map((c) => c.metadata.name).join(', ')}): choose one with --gateway-class`,
      code: 'gateway/route-not-attached',
    });
  }
  if (spec.tlsSecret !== undefined) {
    const http = plans.filter((p) => p.protocol === 'HTTP');
    if (http.length === 0) {
      problems.push({
        field: 'tlsSecret',
        message:
          'no published port is HTTP (port name http, appProtocol http, or --http-ports): there is nothing to terminate TLS for',
      });
    } else if (http.length > 1) {
      problems.push({
        field: 'tlsSecret',
        message: `the HTTPS listener can front one HTTP port, and ${http.length} are published (${http.map((p) => p.port.port).join(', ')}): choose one with --port`,
      });
    }
    const clash = plans.find((p) => p.port.port === HTTPS_LISTENER_PORT && p.protocol !== 'HTTP');
    if (clash) {
      problems.push({
        field: 'tlsSecret',
        message: `port ${HTTPS_LISTENER_PORT} is needed for the HTTPS listener but the Service's own port ${clash.port.port} (${clash.protocol}) would listen there: publish the HTTP port alone with --port`,
      });
    }
    if (
      facts.secrets !== undefined &&
      !facts.secrets.some((s) => s.metadata.name === spec.tlsSecret && (s.metadata.namespace ?? 'default') === ns)
    ) {
      problems.push({
        field: 'tlsSecret',
        message: `Secret ${ns}/${spec.tlsSecret} does not exist`,
        code: 'ingress/tls-secret-missing',
      });
    }
  }
  return problems;
}

function gatewayClassOf(spec: ExposeSpec, facts: ExposeFacts): string {
  return spec.gatewayClass ?? facts.gatewayClasses?.[0]?.metadata.name ?? '';
}

export function manifestsGateway(spec: ExposeSpec, facts: ExposeFacts): KubeObject[] {
  const ports = publishedPorts(spec);
  if (isProblem(ports)) throw new Error(`invalid spec: ${ports.message}`);
  const plans = ports.map((p) => classifyPort(spec, p));
  const ns = svcNamespace(spec);
  const ref = gatewayRef(spec);
  const out: KubeObject[] = [];
  const existing = spec.gateway !== undefined ? findGateway(spec, facts) : undefined;

  if (spec.gateway === undefined) {
    const listeners = plans.map((p) => {
      const l: Record<string, unknown> = { name: p.listenerName, protocol: p.protocol, port: p.port.port };
      if (spec.host !== undefined && (p.protocol === 'HTTP' || p.protocol === 'TLS')) l.hostname = spec.host;
      if (p.protocol === 'TLS') l.tls = { mode: 'Passthrough' };
      l.allowedRoutes = { namespaces: { from: 'Same' } };
      return l;
    });
    const httpIndex = plans.findIndex((p) => p.protocol === 'HTTP');
    if (spec.tlsSecret !== undefined && plans[httpIndex]?.port.port !== HTTPS_LISTENER_PORT) {
      listeners.push({
        name: HTTPS_LISTENER,
        protocol: 'HTTPS',
        port: HTTPS_LISTENER_PORT,
        ...(spec.host !== undefined ? { hostname: spec.host } : {}),
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: spec.tlsSecret }] },
        allowedRoutes: { namespaces: { from: 'Same' } },
      });
    } else if (spec.tlsSecret !== undefined) {
      // The one HTTP port is 443 itself: that listener terminates TLS.
      Object.assign(listeners[httpIndex]!, {
        name: HTTPS_LISTENER,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: spec.tlsSecret }] },
      });
    }
    out.push({
      apiVersion: GATEWAY_API,
      kind: 'Gateway',
      metadata: meta(spec, ref.name),
      spec: { gatewayClassName: gatewayClassOf(spec, facts), listeners },
    });
  }

  const gwListeners =
    spec.gateway === undefined ? (out[0]!.spec?.listeners as Array<{ name: string; protocol: string }>) : [];
  for (const p of plans) {
    const base: Record<string, unknown> = { name: ref.name };
    if (ref.namespace !== ns) base.namespace = ref.namespace;
    let sections: Array<string | undefined>;
    if (spec.gateway === undefined) {
      // Its own listener, and for the HTTP port also the HTTPS listener of --tls-secret.
      sections = gwListeners
        .filter((l) => l.name === p.listenerName || (p.protocol === 'HTTP' && l.protocol === 'HTTPS'))
        .map((l) => l.name);
    } else if (existing) {
      const ls = pickListeners(spec, existing, p);
      sections = typeof ls === 'string' ? [undefined] : ls.map((l) => l.name);
    } else {
      sections = [undefined];
    }
    const parentRefs = sections.map((section) =>
      section === undefined ? { ...base } : { ...base, sectionName: section },
    );
    const backendRefs = [{ name: svcName(spec), port: p.port.port }];
    const routeSpec: Record<string, unknown> = { parentRefs };
    if (spec.host !== undefined && (p.route === 'HTTPRoute' || p.route === 'TLSRoute'))
      routeSpec.hostnames = [spec.host];
    routeSpec.rules =
      p.route === 'HTTPRoute'
        ? [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/' } }],
              backendRefs,
              ...(spec.sticky ? { sessionPersistence: sessionPersistence(spec) } : {}),
            },
          ]
        : [{ backendRefs }];
    out.push({
      apiVersion: routeApiVersion(p.route, facts),
      kind: p.route,
      metadata: meta(spec, names.route(svcName(spec), p.route.replace(/Route$/, '').toLowerCase(), p.port.port)),
      spec: routeSpec,
    });
  }
  return out;
}

export function notesGateway(spec: ExposeSpec, facts: ExposeFacts): string[] {
  const notes: string[] = [];
  const ports = publishedPorts(spec);
  if (!isProblem(ports)) {
    const plans = ports.map((p) => classifyPort(spec, p));
    const kinds = [...new Set(plans.map((p) => p.route).filter((r) => r !== 'HTTPRoute'))];
    for (const kind of kinds) {
      const served = facts.servedVersions?.[kind];
      if (served === undefined)
        notes.push(
          `${kind} as ${routeApiVersion(kind, facts)}: the served versions are not known; older Gateway API releases serve it only from the experimental channel`,
        );
      else if (!ROUTE_VERSIONS[kind].some((v) => served.includes(v)))
        notes.push(`the cluster serves no known version of ${kind}: install the Gateway API CRDs that include it`);
    }
    const tlsAsTCP = plans.filter(
      (p) =>
        p.protocol === 'TCP' && (p.port.appProtocol?.toLowerCase() === 'https' || isHTTPName(p.port.name, 'https')),
    );
    if (tlsAsTCP.length > 0)
      notes.push(
        `port ${tlsAsTCP.map((p) => p.port.port).join(', ')} speaks TLS: without --host it passes through as TCP (a TLSRoute routes by SNI host name)`,
      );
  }
  if (spec.gateway !== undefined && facts.gateways === undefined)
    notes.push(`Gateway ${spec.gateway} and its listeners not checked (no cluster facts)`);
  if (spec.gateway !== undefined && facts.gateways !== undefined) {
    const gw = findGateway(spec, facts);
    const selectorListeners = ((gw?.spec?.listeners ?? []) as Listener[]).filter(
      (l) => l.allowedRoutes?.namespaces?.from === 'Selector',
    );
    if (selectorListeners.length > 0)
      notes.push(
        `listeners ${selectorListeners.map((l) => l.name).join(', ')} admit routes by namespace selector: not checked`,
      );
  }
  const affinity = userAffinityNote(spec);
  if (affinity) notes.push(affinity);
  if (spec.sticky) {
    notes.push(
      'sticky: HTTPRoute sessionPersistence is in the Gateway API experimental channel (install its CRDs; the standard ones drop the field), and support varies by implementation: some report the route not Accepted, some accept the field without applying it (Traefik; refused when the facts show its GatewayClass): check that a client keeps its Pod',
    );
  }
  if (spec.preserveSourceIP) {
    notes.push(
      "preserve source IP: Gateway API has no portable setting; HTTP routes carry X-Forwarded-For, and the implementation's own Service needs externalTrafficPolicy Local or PROXY protocol (for example Envoy Gateway's ClientTrafficPolicy) for TCP",
    );
  }
  return notes;
}
