// The path traffic takes inside the snapshot: which Services are backends of Ingresses,
// routes and gateways; the hostNetwork/hostPort proxies and their configuration (from the
// ConfigMaps they mount); where a proxy's `host:port` leads; the ingress-nginx
// controllers and their settings. Pure; memoised per snapshot (memo.ts).

import type { Custom, Service, Workload } from '../model/snapshot.js';
import { ingressBackends, routeBackends } from './backends.js';
import {
  arr,
  type DiscoveryContext,
  findService,
  keyOf,
  nameOf,
  nodeAddresses,
  nsOf,
  rec,
  specOf,
  str,
  strMap,
} from './context.js';
import { gatewayApiFacts } from './gateway-api.js';
import { imageImplementation } from './host-exposures.js';
import { loadBalancerAddresses } from './implementation.js';
import { perSnapshot } from './memo.js';
import { type ProxyConfig, parseProxyConfig } from './proxy-config.js';
import { mapSelects } from './selectors.js';
import { externalIPsOf, type PortSpec, portsOf } from './service-ports.js';
import { allWorkloadFacts, flagValue, workloadFactOf } from './workload-facts.js';

// ---- backends ------------------------------------------------------------------------

/** `namespace/name` of every Service that an Ingress, a route or a proxy forwards to. */
export const backendServiceKeys = perSnapshot((ctx: DiscoveryContext): Set<string> => {
  const keys = new Set<string>();
  for (const ing of ctx.snapshot.ingresses)
    for (const b of ingressBackends(ing)) keys.add(keyOf(b.namespace, b.service));
  for (const r of gatewayApiFacts(ctx).routes)
    for (const b of routeBackends(r)) keys.add(keyOf(b.namespace, b.service));
  for (const g of proxyGateways(ctx)) {
    for (const f of g.config.forwards) {
      const t = resolveTarget(ctx, f.host, f.port, nsOf(g.workload));
      if (t) keys.add(keyOf(nsOf(t.service), nameOf(t.service)));
    }
  }
  return keys;
});

// ---- proxies on the node's network ----------------------------------------------------

export interface ProxyGateway {
  workload: Workload;
  implementation: string;
  hostNetwork: boolean;
  configMap: Custom;
  file: string;
  config: ProxyConfig;
}

export function findConfigMap(ctx: DiscoveryContext, namespace: string, name: string): Custom | undefined {
  return ctx.snapshot.configMaps.filter((c) => nsOf(c) === namespace && nameOf(c) === name).at(-1);
}

/** hostNetwork/hostPort workloads running HAProxy or nginx (not an ingress controller) with a config the snapshot holds. */
export const proxyGateways = perSnapshot((ctx: DiscoveryContext): ProxyGateway[] => {
  const out: ProxyGateway[] = [];
  for (const w of allWorkloadFacts(ctx)) {
    if (!w.hostNetwork && !w.usesHostPort) continue;
    const impl = imageImplementation(w.images);
    if (impl !== 'haproxy' && impl !== 'nginx') continue;
    for (const cmName of w.configMaps) {
      const cm = findConfigMap(ctx, nsOf(w.object), cmName);
      if (!cm) continue;
      for (const [file, text] of Object.entries(rec(cm.data))) {
        if (typeof text !== 'string') continue;
        const config = parseProxyConfig(file, text);
        if (config && (config.listens.length > 0 || config.forwards.length > 0)) {
          out.push({
            workload: w.object,
            implementation: impl,
            hostNetwork: w.hostNetwork,
            configMap: cm,
            file,
            config,
          });
        }
      }
    }
  }
  return out;
});

// ---- where host:port leads ------------------------------------------------------------

export interface Target {
  service: Service;
  port: PortSpec | undefined;
  /** How the address was recognised. */
  via: 'dns' | 'clusterIP' | 'nodePort' | 'loadBalancer' | 'externalIP';
}

/** The Service behind `host:port` as a proxy in `fromNamespace` would reach it. */
export function resolveTarget(
  ctx: DiscoveryContext,
  host: string,
  port: number | undefined,
  fromNamespace: string,
): Target | undefined {
  // An SRV name (`_http._tcp.web.shop.svc.cluster.local`) names the Service's port by its name.
  const srv = /^_([a-z0-9-]+)\._(?:tcp|udp|sctp)\.(.+)$/i.exec(host);
  const h = (srv ? srv[2]! : host).toLowerCase().replace(/\.$/, '');
  const byPort = (svc: Service) => portsOf(svc).find((p) => (srv ? p.name === srv[1] : p.port === port));
  const dns = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.[a-z0-9.-]+)?)?)?$/.exec(h);
  if (dns && !/^\d+$/.test(dns[1]!)) {
    const svc = findService(ctx, dns[2] ?? fromNamespace, dns[1]!);
    if (svc) return { service: svc, port: byPort(svc), via: 'dns' };
    return undefined;
  }
  for (const svc of ctx.snapshot.services) {
    const spec = specOf(svc);
    const clusterIPs = [str(spec.clusterIP), ...arr(spec.clusterIPs).map(str)].filter(
      (x): x is string => !!x && x !== 'None',
    );
    if (clusterIPs.includes(host)) return { service: svc, port: byPort(svc), via: 'clusterIP' };
    if (loadBalancerAddresses(svc).assigned.includes(host) || loadBalancerAddresses(svc).requested.includes(host))
      return { service: svc, port: byPort(svc), via: 'loadBalancer' };
    if (externalIPsOf(svc).includes(host)) return { service: svc, port: byPort(svc), via: 'externalIP' };
  }
  if (
    port !== undefined &&
    (ctx.nodes.some((n) => nodeAddresses(n).includes(host)) || host === '127.0.0.1' || host === 'localhost')
  ) {
    for (const svc of ctx.snapshot.services) {
      const p = portsOf(svc).find((x) => x.nodePort === port);
      if (p) return { service: svc, port: p, via: 'nodePort' };
    }
  }
  return undefined;
}

// ---- who backs a Service ---------------------------------------------------------------

/** Workloads whose Pods a Service selects (by their template labels). */
export function workloadsOf(ctx: DiscoveryContext, svc: Service): Workload[] {
  const selector = strMap(specOf(svc).selector);
  if (Object.keys(selector).length === 0) return [];
  return allWorkloadFacts(ctx)
    .filter(
      (w) =>
        nsOf(w.object) === nsOf(svc) &&
        Object.keys(w.templateLabels).length > 0 &&
        mapSelects(selector, w.templateLabels),
    )
    .map((w) => w.object);
}

/** Services that select a workload's Pods. */
export function servicesOf(ctx: DiscoveryContext, w: Workload): Service[] {
  const labels = workloadFactOf(ctx, w).templateLabels;
  return ctx.snapshot.services.filter((s) => {
    const sel = strMap(specOf(s).selector);
    return nsOf(s) === nsOf(w) && Object.keys(sel).length > 0 && mapSelects(sel, labels);
  });
}

// ---- ingress-nginx -------------------------------------------------------------------------

export interface IngressNginxController {
  workload: Workload;
  /** The controller's ConfigMap (--configmap=ns/name), when the snapshot holds it. */
  configMap: Custom | undefined;
  configMapRef: string | undefined;
  settings: Record<string, string>;
  services: Service[];
}

/** The ingress-nginx controllers (by image), their --configmap and its settings, and the Services in front of them. */
export const ingressNginxControllers = perSnapshot((ctx: DiscoveryContext): IngressNginxController[] => {
  const out: IngressNginxController[] = [];
  for (const w of allWorkloadFacts(ctx)) {
    if (imageImplementation(w.images) !== 'ingress-nginx') continue;
    const ns = nsOf(w.object);
    const ref = flagValue(w.args, '--configmap')?.replace(/^\$\(POD_NAMESPACE\)/, ns);
    let cm: Custom | undefined;
    if (ref) {
      const [cmNs, name] = ref.includes('/') ? (ref.split('/', 2) as [string, string]) : [ns, ref];
      cm = findConfigMap(ctx, cmNs, name);
    }
    out.push({
      workload: w.object,
      configMap: cm,
      configMapRef: ref,
      settings: strMap(cm?.data),
      services: servicesOf(ctx, w.object),
    });
  }
  return out;
});

/** The ingress-nginx controller whose Pods a Service selects. */
export function ingressNginxBehind(ctx: DiscoveryContext, svc: Service): IngressNginxController | undefined {
  return ingressNginxControllers(ctx).find((c) => c.services.includes(svc));
}

/** A proxy gateway whose Pods a Service selects. */
export function gatewayBehind(ctx: DiscoveryContext, svc: Service): ProxyGateway | undefined {
  const ws = workloadsOf(ctx, svc);
  return proxyGateways(ctx).find((g) => ws.includes(g.workload));
}

export type Acceptance = { accepts: boolean; why: string } | undefined;

/** Whether what listens behind a Service port expects PROXY protocol, when the snapshot tells. */
export function proxyProtocolAcceptance(ctx: DiscoveryContext, svc: Service, port: PortSpec | undefined): Acceptance {
  const ctrl = ingressNginxBehind(ctx, svc);
  if (ctrl) {
    if (!ctrl.configMap) return undefined;
    const on = ctrl.settings['use-proxy-protocol'] === 'true';
    return {
      accepts: on,
      why: `ingress-nginx ConfigMap ${nsOf(ctrl.configMap)}/${nameOf(ctrl.configMap)} has use-proxy-protocol: ${on ? '"true"' : ctrl.settings['use-proxy-protocol'] === undefined ? 'unset (false)' : `"${ctrl.settings['use-proxy-protocol']}"`}`,
    };
  }
  const gw = gatewayBehind(ctx, svc);
  if (gw) {
    const target = port && typeof port.targetPort === 'number' ? port.targetPort : port?.port;
    const listen = gw.config.listens.find((l) => l.port === target);
    if (!listen) return undefined;
    return {
      accepts: listen.acceptProxy,
      why: `${gw.implementation} ${gw.workload.kind} ${nsOf(gw.workload)}/${nameOf(gw.workload)} listens on ${listen.port} ${listen.acceptProxy ? 'with' : 'without'} ${gw.implementation === 'haproxy' ? 'accept-proxy' : 'proxy_protocol'} (ConfigMap ${nameOf(gw.configMap)}, ${gw.file} line ${listen.line})`,
    };
  }
  return undefined;
}
