// Helpers shared by the mode generators: names, labels, port selection, the generated
// (or in-place patched) Service, traffic policy fields. Pure functions.
import type { KubeObject } from '../model/kube-object.js';
import type { Service } from '../model/snapshot.js';
import {
  IN_PLACE_ANNOTATION,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  MODE_LABEL,
  SERVICE_LABEL,
  SERVICE_NAMESPACE_LABEL,
} from './ownership.js';
import {
  DEFAULT_STICKY_TIMEOUT,
  type ExposeFacts,
  type ExposeMode,
  type ExposeOptions,
  type ExposeSpec,
  flagOf,
  MAX_STICKY_TIMEOUT,
  type Problem,
} from './spec.js';

// ---------------------------------------------------------------------------------------
// Names

/** 32-bit FNV-1a of a string, as 8 hex digits: a stable, dependency-free short hash. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * A DNS-1035 label of at most `max` characters (63: Service names are the strictest).
 * Too long a name is cut and suffixed with a hash of the whole, so it stays unique and
 * deterministic.
 */
export function fitName(name: string, max = 63): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (clean.length <= max) return clean;
  const hash = fnv1a(clean);
  return `${clean.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/**
 * The naming scheme (documented in src/modes/README.md):
 *  - in the Service's namespace, `<svc>-<suffix>`: `-nodeport`, `-lb`, `-ingress`,
 *    `-hostnet` (ConfigMap and DaemonSet), `-gateway`, routes `<svc>-<kind>-<port>`;
 *  - in metallb-system, `exposectl-<ns>-<svc>` (pool and advertisements; MetalLB objects
 *    of Services of every namespace live there, so the namespace is part of the name);
 *  - BGP peers, shared by every Service announced to the same router: `exposectl-peer-<address>`.
 */
export const names = {
  nodePortService: (svc: string) => fitName(`${svc}-nodeport`),
  lbService: (svc: string) => fitName(`${svc}-lb`),
  ingress: (svc: string) => fitName(`${svc}-ingress`),
  hostnet: (svc: string) => fitName(`${svc}-hostnet`),
  gateway: (svc: string) => fitName(`${svc}-gateway`),
  route: (svc: string, kind: string, port: number) => fitName(`${svc}-${kind}-${port}`),
  listener: (kind: string, port: number) => `${kind}-${port}`,
  metallb: (ns: string, svc: string) => fitName(`exposectl-${ns}-${svc}`),
  bgpPeer: (address: string) => fitName(`exposectl-peer-${address.replace(/[.:]/g, '-')}`),
};

// ---------------------------------------------------------------------------------------
// Labels

export function svcName(spec: ExposeSpec): string {
  return spec.service.metadata.name ?? '';
}

export function svcNamespace(spec: ExposeSpec): string {
  return spec.service.metadata.namespace ?? 'default';
}

/** The labels every generated object carries. */
export function ownedLabels(spec: ExposeSpec): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [SERVICE_LABEL]: svcName(spec),
    [SERVICE_NAMESPACE_LABEL]: svcNamespace(spec),
    [MODE_LABEL]: spec.mode,
  };
}

/** Metadata of a generated object (namespace defaults to the Service's). */
export function meta(
  spec: ExposeSpec,
  name: string,
  namespace = svcNamespace(spec),
  annotations?: Record<string, string>,
): KubeObject['metadata'] {
  const m: KubeObject['metadata'] = { name, namespace, labels: ownedLabels(spec) };
  if (annotations && Object.keys(annotations).length > 0) m.annotations = annotations;
  return m;
}

// ---------------------------------------------------------------------------------------
// Ports

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export function servicePorts(service: Service): ServicePort[] {
  return ((service.spec?.ports ?? []) as ServicePort[]).filter((p) => typeof p.port === 'number');
}

export function protocolOf(p: { protocol?: string }): string {
  return p.protocol ?? 'TCP';
}

/**
 * The one Service port the option `port` names (number or name), or the only port.
 * Returns a Problem when it cannot decide.
 */
export function pickPort(spec: ExposeSpec, why: string): ServicePort | Problem {
  const ports = servicePorts(spec.service);
  if (spec.port !== undefined) {
    const wanted = spec.port;
    const found = ports.find((p) =>
      typeof wanted === 'number' ? p.port === wanted : p.name === wanted || String(p.port) === wanted,
    );
    if (!found) {
      return {
        field: 'port',
        message: `Service ${svcName(spec)} has no port ${String(wanted)} (ports: ${describePorts(ports)})`,
        code: 'ingress/backend-missing',
      };
    }
    return found;
  }
  if (ports.length === 1) return ports[0]!;
  return {
    field: 'port',
    message: `Service ${svcName(spec)} has ${ports.length} ports (${describePorts(ports)}): choose the one ${why} with --port`,
  };
}

export function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && 'field' in x && 'message' in x;
}

export function describePorts(ports: ServicePort[]): string {
  return ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port}/${protocolOf(p)}`).join(', ') || 'none';
}

/** A Service port as the generated Service copies it (no nodePort: the API server allocates). */
export function copyPort(p: ServicePort): ServicePort {
  const out = {} as ServicePort;
  if (p.name !== undefined) out.name = p.name;
  out.protocol = protocolOf(p);
  out.port = p.port;
  out.targetPort = p.targetPort ?? p.port;
  if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
  return out;
}

/** True when the Service mixes TCP and UDP (MetalLB and kube-proxy support it since Kubernetes 1.26). */
export function hasMixedProtocols(service: Service): boolean {
  return new Set(servicePorts(service).map(protocolOf)).size > 1;
}

// ---------------------------------------------------------------------------------------
// Common pre-flight checks

export function stickyTimeoutOf(spec: ExposeSpec): number {
  return spec.stickyTimeout ?? DEFAULT_STICKY_TIMEOUT;
}

/** Checks every mode shares: a usable Service, sticky options, option/mode fit. */
/** A DNS-1123 label, which Kubernetes requires of namespaces and Service names. */
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function commonProblems(spec: ExposeSpec): Problem[] {
  const problems: Problem[] = [];
  const svc = spec.service;
  if (svc?.kind !== 'Service') {
    problems.push({ field: 'service', message: `expected a Service, got ${svc?.kind ?? 'nothing'}` });
    return problems;
  }
  if (!svc.metadata.name) problems.push({ field: 'service', message: 'the Service has no metadata.name' });
  // Names end up in generated names, labels and proxy configuration files: a file may hold anything.
  for (const [what, value] of [
    ['name', svc.metadata.name],
    ['namespace', svc.metadata.namespace],
  ] as const) {
    if (value && !DNS_LABEL.test(value)) {
      problems.push({
        field: 'service',
        message: `the Service's ${what} ${JSON.stringify(value)} is not a DNS label (at most 63 lower-case letters, digits and "-")`,
      });
    }
  }
  if (svc.spec?.type === 'ExternalName') {
    problems.push({
      field: 'service',
      message: `Service ${svcName(spec)} is of type ExternalName: it has no endpoints to publish`,
    });
  }
  if (servicePorts(svc).length === 0)
    problems.push({ field: 'service', message: `Service ${svcName(spec)} has no ports` });
  problems.push(...optionFitProblems(spec));
  return problems;
}

/** Options that do not fit the mode or each other (no Service needed). */
export function optionFitProblems(spec: ExposeOptions): Problem[] {
  const problems: Problem[] = [];
  if (spec.stickyTimeout !== undefined) {
    if (!spec.sticky) problems.push({ field: 'stickyTimeout', message: '--sticky-timeout needs --sticky' });
    if (!Number.isInteger(spec.stickyTimeout) || spec.stickyTimeout < 1 || spec.stickyTimeout > MAX_STICKY_TIMEOUT) {
      problems.push({
        field: 'stickyTimeout',
        message: `sticky timeout must be an integer of seconds in 1..${MAX_STICKY_TIMEOUT}, got ${spec.stickyTimeout}`,
      });
    }
  }
  for (const [field, modes] of Object.entries(OPTION_MODES) as Array<[keyof ExposeOptions, readonly ExposeMode[]]>) {
    const value = spec[field];
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
    if (given && !modes.includes(spec.mode)) {
      problems.push({
        field,
        message: `${flagOf(field)} does not apply to mode ${spec.mode} (only ${modes.join(', ')})`,
      });
    }
  }
  return problems;
}

/** The modes each mode-specific option applies to (options of every mode are absent). */
export const OPTION_MODES: Partial<Record<keyof ExposeOptions, readonly ExposeMode[]>> = {
  port: ['nodeport', 'ingress', 'gateway'],
  nodePort: ['nodeport'],
  host: ['ingress', 'gateway'],
  path: ['ingress'],
  ingressClass: ['ingress'],
  tlsSecret: ['ingress', 'gateway'],
  pool: ['l2', 'bgp'],
  addresses: ['l2', 'bgp'],
  ip: ['l2', 'bgp'],
  interfaces: ['l2'],
  nodeSelectors: ['l2', 'bgp'],
  peer: ['bgp'],
  peerASN: ['bgp'],
  myASN: ['bgp'],
  communities: ['bgp'],
  localPref: ['bgp'],
  aggregationLength: ['bgp'],
  shareIP: ['l2', 'bgp'],
  nodeSelector: ['hostnetwork'],
  gatewayImpl: ['hostnetwork'],
  gatewayImage: ['hostnetwork'],
  hostnames: ['hostnetwork'],
  gateway: ['gateway'],
  gatewayClass: ['gateway'],
  httpPorts: ['gateway'],
};

/** A new Service copies the user's selector: without one it would have no endpoints. */
export function selectorProblems(spec: ExposeSpec): Problem[] {
  if (spec.inPlace) return [];
  const selector = spec.service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    return [
      {
        field: 'inPlace',
        message: `Service ${svcName(spec)} has no selector, so a new Service with the same selector would have no endpoints: use --in-place`,
      },
    ];
  }
  return [];
}

/** Other Services of the cluster, without the one exposectl generates (or patches) for this spec. */
export function otherServices(facts: ExposeFacts, selfNamespace: string, selfName: string): Service[] {
  return (facts.services ?? []).filter(
    (s) => !((s.metadata.namespace ?? 'default') === selfNamespace && s.metadata.name === selfName),
  );
}

// ---------------------------------------------------------------------------------------
// The published Service: a new one (default) or an apply patch of the user's (inPlace)

export interface PublishedServiceOptions {
  type: 'NodePort' | 'LoadBalancer';
  /** Annotations exposectl sets (MetalLB's). */
  annotations?: Record<string, string>;
  /** nodePort for one port (port number + protocol). */
  nodePort?: { port: number; protocol: string; nodePort: number };
}

/** The name of the Service that carries the exposure: the generated one, or the user's with inPlace. */
export function publishedServiceName(spec: ExposeSpec): string {
  if (spec.inPlace) return svcName(spec);
  return spec.mode === 'nodeport' ? names.nodePortService(svcName(spec)) : names.lbService(svcName(spec));
}

export function trafficFields(spec: ExposeSpec, explicitDefaults: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (spec.preserveSourceIP) out.externalTrafficPolicy = 'Local';
  else if (explicitDefaults) out.externalTrafficPolicy = 'Cluster';
  if (spec.sticky) {
    out.sessionAffinity = 'ClientIP';
    out.sessionAffinityConfig = { clientIP: { timeoutSeconds: stickyTimeoutOf(spec) } };
  } else if (explicitDefaults) {
    out.sessionAffinity = 'None';
  }
  return out;
}

/**
 * The Service that publishes: by default a NEW Service with the user's selector and
 * ports; with inPlace an apply patch (server-side apply, field manager exposectl) of the
 * user's Service holding only what exposectl owns: type, externalTrafficPolicy,
 * sessionAffinity(+Config), annotations, and the one port's nodePort when fixed. The
 * patch carries no exposectl labels, so `unexpose` never deletes the user's Service; it
 * is marked by an annotation instead, and unexpose reverts it by applying an empty patch.
 */
export function publishedService(spec: ExposeSpec, opts: PublishedServiceOptions): KubeObject {
  const annotations = { ...(opts.annotations ?? {}) };
  if (spec.inPlace) {
    annotations[IN_PLACE_ANNOTATION] = spec.mode;
    const specPart: Record<string, unknown> = { type: opts.type, ...trafficFields(spec, false) };
    if (opts.nodePort)
      specPart.ports = [
        { port: opts.nodePort.port, protocol: opts.nodePort.protocol, nodePort: opts.nodePort.nodePort },
      ];
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: svcName(spec), namespace: svcNamespace(spec), annotations },
      spec: specPart,
    };
  }
  const user = spec.service.spec ?? {};
  const ports = servicePorts(spec.service).map((p) => {
    const c = copyPort(p);
    if (opts.nodePort && p.port === opts.nodePort.port && protocolOf(p) === opts.nodePort.protocol)
      c.nodePort = opts.nodePort.nodePort;
    return c;
  });
  const specPart: Record<string, unknown> = { type: opts.type, selector: { ...(user.selector ?? {}) }, ports };
  if (user.ipFamilyPolicy) specPart.ipFamilyPolicy = user.ipFamilyPolicy;
  if (user.ipFamilies) specPart.ipFamilies = [...user.ipFamilies];
  Object.assign(specPart, trafficFields(spec, true));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(spec, publishedServiceName(spec), svcNamespace(spec), annotations),
    spec: specPart,
  };
}

/** DNS-1123 subdomain, optionally with a leading `*.` wildcard (Ingress and Gateway hostnames). */
export function isValidHostname(host: string, allowWildcard = true): boolean {
  const h = allowWildcard && host.startsWith('*.') ? host.slice(2) : host;
  if (h.length === 0 || h.length > 253) return false;
  return h.split('.').every((l) => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(l));
}

export function isPortNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Do equality labels satisfy a selector (all of selector's pairs present)? An empty selector matches everything. */
export function matchesLabels(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Stable key for a selector, independent of key order. */
export function selectorKey(selector: Record<string, string> | undefined): string {
  return Object.entries(selector ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
