// Istio's edge gateway (networking.istio.io Gateway and VirtualService): which ingress
// gateway Service fronts a Gateway, which VirtualServices bind to it, where they send
// traffic, and the `ingress` rows (implementation `istio`) they make. Pure.
//
// Istio's rules (its networking API reference):
// - Gateway.spec.selector selects the gateway Pods by label (in any namespace unless
//   PILOT_SCOPE_GATEWAY_TO_NAMESPACE); the Service in front of those Pods
//   (istio-ingressgateway) holds the addresses clients use.
// - VirtualService.spec.gateways names Gateways as `name` (its own namespace) or
//   `namespace/name`; the reserved `mesh` (and no gateways at all) means the sidecars:
//   east-west traffic, no row.
// - A VirtualService takes effect on a Gateway only for hosts both list; server hosts
//   may be `ns/host` (only VirtualServices of ns), `*/host`, `./host`, and `*.` wildcards.
// - http[].route[].destination.host is a Service: `name` (the VirtualService's namespace),
//   `name.ns.svc.<cluster domain>`; other hosts (ServiceEntries, `name.ns`) are not checked.
import type { Exposure, ExposurePort } from '../model/exposure.js';
import type { Custom, Service } from '../model/snapshot.js';
import { type ServiceBackend, withBackendPort } from './backends.js';
import {
  absenceIsFact,
  arr,
  type DiscoveryContext,
  findService,
  labelsOf,
  nameOf,
  nsOf,
  portNumber,
  rec,
  specOf,
  str,
  strMap,
  uniq,
} from './context.js';
import { serviceEndpoints } from './endpoints.js';
import { loadBalancerAddresses } from './implementation.js';
import { mapSelects } from './selectors.js';
import { serviceSourceIP } from './source-ip.js';
import { judgeEndpoints, StatusBuilder } from './status.js';

export const ISTIO_GROUP = 'networking.istio.io';

export interface IstioServer {
  port: number;
  protocol: string;
  name?: string;
  hosts: string[];
}

export function gatewayServers(gw: Custom): IstioServer[] {
  return arr(specOf(gw).servers)
    .map(rec)
    .flatMap((s) => {
      const port = rec(s.port);
      const number = portNumber(port.number);
      if (number === undefined) return [];
      return [
        {
          port: number,
          protocol: (str(port.protocol) ?? 'HTTP').toUpperCase(),
          ...(str(port.name) ? { name: str(port.name)! } : {}),
          hosts: arr(s.hosts).filter((h): h is string => typeof h === 'string'),
        },
      ];
    });
}

/** The Services in front of the Gateway's Pods: their selector is part of spec.selector (istio: ingressgateway). */
export function ingressGatewayServices(ctx: DiscoveryContext, gw: Custom): Service[] {
  const selector = strMap(specOf(gw).selector);
  if (Object.keys(selector).length === 0) return [];
  const pods = ctx.snapshot.pods.filter((p) => mapSelects(selector, labelsOf(p)));
  return ctx.snapshot.services.filter((s) => {
    const sel = strMap(specOf(s).selector);
    if (Object.keys(sel).length === 0) return false;
    // The gateway Pods when known; else the two selectors agree (one holds the other).
    return pods.length > 0
      ? pods.some((p) => mapSelects(sel, labelsOf(p)))
      : mapSelects(sel, selector) || mapSelects(selector, sel);
  });
}

export function gatewayAddresses(ctx: DiscoveryContext, gw: Custom): string[] {
  return uniq(
    ingressGatewayServices(ctx, gw).flatMap((s) => {
      const { assigned, requested } = loadBalancerAddresses(s);
      const external = arr(specOf(s).externalIPs).filter((a): a is string => typeof a === 'string');
      return [...(assigned.length > 0 ? assigned : requested), ...external];
    }),
  );
}

export interface GatewayRef {
  namespace: string;
  name: string;
  text: string;
}

/** The Gateways a VirtualService names (not `mesh`). */
export function virtualServiceGatewayRefs(vs: Custom): GatewayRef[] {
  return arr(specOf(vs).gateways)
    .filter((g): g is string => typeof g === 'string' && g !== 'mesh')
    .map((text) => {
      const slash = text.indexOf('/');
      return slash < 0
        ? { namespace: nsOf(vs), name: text, text }
        : { namespace: text.slice(0, slash), name: text.slice(slash + 1), text };
    });
}

export function findIstioGateway(ctx: DiscoveryContext, ref: { namespace: string; name: string }): Custom | undefined {
  return ctx.snapshot.istio.gateways.filter((g) => nsOf(g) === ref.namespace && nameOf(g) === ref.name).at(-1);
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || host === '*') return true;
  if (pattern.startsWith('*.'))
    return host.endsWith(pattern.slice(1)) || (host.startsWith('*.') && host.endsWith(pattern.slice(1)));
  if (host.startsWith('*.')) return pattern.endsWith(host.slice(1));
  return pattern.toLowerCase() === host.toLowerCase();
}

/** A VirtualService's spec.hosts. */
export function virtualServiceHosts(vs: Custom): string[] {
  return arr(specOf(vs).hosts).filter((h): h is string => typeof h === 'string');
}

/** The servers of a Gateway that accept one of the VirtualService's hosts (with `ns/host` scoping). */
export function serversFor(gw: Custom, vs: Custom): IstioServer[] {
  const hosts = virtualServiceHosts(vs);
  return gatewayServers(gw).filter((s) =>
    s.hosts.some((raw) => {
      const slash = raw.indexOf('/');
      const scope = slash < 0 ? '*' : raw.slice(0, slash);
      const pattern = slash < 0 ? raw : raw.slice(slash + 1);
      if (scope !== '*' && (scope === '.' ? nsOf(gw) : scope) !== nsOf(vs)) return false;
      return hosts.some((h) => hostMatches(pattern, h));
    }),
  );
}

/** A destination host as a Service of the cluster, or undefined when it is not one (ServiceEntry, external name). */
export function destinationService(host: string, vsNamespace: string): { namespace: string; name: string } | undefined {
  // Istio expands only names without a dot; any other host is taken literally (so
  // `web.shop` is not the Service: only `web.shop.svc.<cluster domain>` is).
  const parts = host.split('.');
  if (parts.length === 1) return { namespace: vsNamespace, name: parts[0]! };
  if (parts.length >= 4 && parts[2] === 'svc') return { namespace: parts[1]!, name: parts[0]! };
  return undefined;
}

/** Every destination of a VirtualService (http, tcp and tls routes) that is a Service. */
export function virtualServiceBackends(vs: Custom): ServiceBackend[] {
  const out: ServiceBackend[] = [];
  for (const kind of ['http', 'tcp', 'tls'] as const) {
    arr(specOf(vs)[kind])
      .map(rec)
      .forEach((rule, i) => {
        const uri = rec(rec(arr(rule.match).map(rec)[0]).uri);
        const match = str(uri.prefix) ?? str(uri.exact) ?? str(uri.regex) ?? `${kind} ${i + 1}`;
        arr(rule.route)
          .map(rec)
          .forEach((r, j) => {
            const dest = rec(r.destination);
            const host = str(dest.host);
            const svc = host ? destinationService(host, nsOf(vs)) : undefined;
            if (!svc) return;
            const number = portNumber(rec(dest.port).number);
            out.push({
              namespace: svc.namespace,
              service: svc.name,
              port: number !== undefined ? { number } : {},
              field: `spec.${kind}[${i}].route[${j}].destination`,
              match,
            });
          });
      });
  }
  return out;
}

function serverPorts(servers: IstioServer[]): ExposurePort[] {
  const seen = new Set<string>();
  return servers.flatMap((s) => {
    const key = `${s.port}/${s.protocol}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ port: s.port, protocol: 'TCP', ...(s.name ? { name: s.name } : {}) }];
  });
}

function gatewaySourceIP(ctx: DiscoveryContext, gw: Custom | undefined): Exposure['sourceIP'] {
  const fronts = gw ? ingressGatewayServices(ctx, gw) : [];
  const verdicts = uniq(fronts.map(serviceSourceIP));
  return verdicts.length === 1 ? verdicts[0]! : 'unknown';
}

export function istioGatewayExposure(ctx: DiscoveryContext, gw: Custom): Exposure {
  const b = new StatusBuilder();
  const fronts = ingressGatewayServices(ctx, gw);
  if (fronts.length === 0) {
    (ctx.live ? b.broken : b.unknown).push(
      ctx.live
        ? `no Service selects the gateway Pods (spec.selector ${JSON.stringify(strMap(specOf(gw).selector))})`
        : 'ingress gateway Service not in the input',
    );
  } else {
    judgeEndpoints(
      b,
      serviceEndpoints(ctx, fronts[0]!),
      `ingress gateway Service ${nsOf(fronts[0]!)}/${nameOf(fronts[0]!)}`,
      ctx.live,
    );
  }
  const hosts = uniq(gatewayServers(gw).flatMap((s) => s.hosts));
  const result = b.result();
  return {
    namespace: nsOf(gw),
    name: nameOf(gw),
    kind: 'Gateway',
    service: fronts[0] ? { namespace: nsOf(fronts[0]), name: nameOf(fronts[0]) } : null,
    mode: 'ingress',
    implementation: 'istio',
    addresses: gatewayAddresses(ctx, gw),
    ports: serverPorts(gatewayServers(gw)),
    endpoints: fronts[0] ? serviceEndpoints(ctx, fronts[0]).endpoints : null,
    sourceIP: gatewaySourceIP(ctx, gw),
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(hosts.length > 0 ? { hosts } : {}),
  };
}

/** Problems of a VirtualService at its Gateways: named Gateways missing, hosts matching no server. */
export function virtualServiceBindings(
  ctx: DiscoveryContext,
  vs: Custom,
): { bound: Array<{ gw: Custom; servers: IstioServer[] }>; missing: GatewayRef[]; unmatched: Custom[] } {
  const bound: Array<{ gw: Custom; servers: IstioServer[] }> = [];
  const missing: GatewayRef[] = [];
  const unmatched: Custom[] = [];
  for (const ref of virtualServiceGatewayRefs(vs)) {
    const gw = findIstioGateway(ctx, ref);
    if (!gw) {
      missing.push(ref);
      continue;
    }
    const servers = serversFor(gw, vs);
    if (servers.length === 0) unmatched.push(gw);
    else bound.push({ gw, servers });
  }
  return { bound, missing, unmatched };
}

export function virtualServiceExposure(ctx: DiscoveryContext, vs: Custom): Exposure | undefined {
  const refs = virtualServiceGatewayRefs(vs);
  if (refs.length === 0) return undefined; // mesh only: east-west
  const b = new StatusBuilder();
  const { bound, missing, unmatched } = virtualServiceBindings(ctx, vs);
  for (const m of missing)
    (absenceIsFact(ctx, 'networking.istio.io/Gateway', m.namespace) ? b.broken : b.unknown).push(
      `Gateway ${m.namespace}/${m.name} ${ctx.live ? 'not found' : 'not in the input'}`,
    );
  for (const gw of unmatched) b.broken.push(`no server of Gateway ${nsOf(gw)}/${nameOf(gw)} accepts its hosts`);
  const backends = virtualServiceBackends(vs);
  const first = backends[0];
  const target = first ? findService(ctx, first.namespace, first.service) : undefined;
  for (const be of backends) {
    const svc = findService(ctx, be.namespace, be.service);
    if (!svc) {
      (absenceIsFact(ctx, 'Service', be.namespace) ? b.broken : b.unknown).push(
        `destination Service ${be.namespace}/${be.service} ${ctx.live ? 'not found' : 'not in the input'}`,
      );
    } else if (
      be.port.number !== undefined &&
      !arr(specOf(svc).ports)
        .map(rec)
        .some((p) => p.port === be.port.number)
    ) {
      b.broken.push(`destination Service ${be.namespace}/${be.service} has no port ${be.port.number}`);
    }
  }
  if (target)
    judgeEndpoints(b, serviceEndpoints(ctx, target), `destination Service ${nsOf(target)}/${nameOf(target)}`, ctx.live);
  const result = b.result();
  const hosts = uniq(virtualServiceHosts(vs));
  const ports = withBackendPort(serverPorts(bound.flatMap((x) => x.servers)), first);
  return {
    namespace: nsOf(vs),
    name: nameOf(vs),
    kind: 'VirtualService',
    service: first ? { namespace: first.namespace, name: first.service } : null,
    mode: 'ingress',
    implementation: 'istio',
    addresses: uniq(bound.flatMap((x) => gatewayAddresses(ctx, x.gw))),
    ports,
    endpoints: target ? serviceEndpoints(ctx, target).endpoints : null,
    // HTTP: the proxy passes the client address on in X-Forwarded-For when it saw it.
    sourceIP: bound.length > 0 ? gatewaySourceIP(ctx, bound[0]!.gw) : 'unknown',
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(hosts.length > 0 ? { hosts } : {}),
  };
}

export function istioExposures(ctx: DiscoveryContext): Exposure[] {
  const out: Exposure[] = ctx.snapshot.istio.gateways.map((g) => istioGatewayExposure(ctx, g));
  for (const vs of ctx.snapshot.istio.virtualServices) {
    const e = virtualServiceExposure(ctx, vs);
    if (e) out.push(e);
  }
  return out;
}
