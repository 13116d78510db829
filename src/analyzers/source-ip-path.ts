// The ways from a client to one Service, hop by hop, with what each hop does to the
// client's address: the human summary `diagnose source-ip SERVICE` prints under its
// findings (text output only; the JSON report keeps to its schema). Pure.

import { ingressBackends, routeBackends, sendsTo } from '../discover/backends.js';
import { nameOf, nsOf } from '../discover/context.js';
import { gatewayApiFacts } from '../discover/gateway-api.js';
import { classifyLoadBalancer, loadBalancerAddresses } from '../discover/implementation.js';
import { ingressExposure } from '../discover/ingress-exposures.js';
import { ingressNginxControllers, proxyGateways, proxyProtocolAcceptance, resolveTarget } from '../discover/paths.js';
import type { Service } from '../model/snapshot.js';
import { sentProxyAnnotation } from './source-ip.js';
import type { Facts } from './types.js';
import { externalIPsOf, isExternallyExposed, latest, portsOf, serviceType, trafficPolicy } from './util.js';

const ref = (s: { metadata?: unknown }) => `${nsOf(s)}/${nameOf(s)}`;

/** How a client reaches an exposed Service, and whether the Pods see the client's address. */
function entry(facts: Facts, svc: Service): string {
  const t = serviceType(svc);
  const ports = portsOf(svc);
  let front: string;
  if (t === 'LoadBalancer') {
    const { assigned, requested } = loadBalancerAddresses(svc);
    const lb = classifyLoadBalancer(facts.ctx, svc);
    const addrs = assigned.length > 0 ? assigned : requested;
    front = `${addrs.join(', ') || '<pending>'}:${ports.map((p) => p.port).join(',')} (${lb.implementation ? `${lb.implementation} ${lb.mode}` : 'LoadBalancer'}) -> a node`;
  } else if (t === 'NodePort') {
    front = `any node:${ports.map((p) => p.nodePort ?? '<auto>').join(',')} (NodePort)`;
  } else {
    front = `${externalIPsOf(svc).join(', ')} (externalIPs) -> a node`;
  }
  const ann = sentProxyAnnotation(facts.ctx, svc);
  const acc = proxyProtocolAcceptance(facts.ctx, svc, ports[0]);
  const verdict =
    trafficPolicy(svc) === 'Local'
      ? 'externalTrafficPolicy Local: client address kept'
      : ann && acc?.accepts
        ? `externalTrafficPolicy ${trafficPolicy(svc)}, but the load balancer's PROXY header carries the client address (${ann})`
        : `externalTrafficPolicy ${trafficPolicy(svc)}: REPLACED by a node address (SNAT)`;
  return `client -> ${front} -> Service ${ref(svc)} [${verdict}]`;
}

export function sourceIpPath(facts: Facts): string[] {
  const target = facts.service;
  if (!target) return [];
  const svc = latest(facts.snapshot.services).find((s) => nsOf(s) === target.namespace && nameOf(s) === target.name);
  if (!svc) return [];
  const lines: string[] = [];
  if (isExternallyExposed(svc)) lines.push(entry(facts, svc));
  for (const ing of facts.snapshot.ingresses) {
    if (!ingressBackends(ing).some((b) => sendsTo(b, target))) continue;
    const impl = ingressExposure(facts.ctx, ing).implementation;
    const fronts =
      impl === 'ingress-nginx'
        ? latest(ingressNginxControllers(facts.ctx).flatMap((c) => c.services))
            .filter(isExternallyExposed)
            .map((s) => entry(facts, s).replace(/^client -> /, ''))
        : [];
    const via =
      fronts.length > 0
        ? fronts.join(' | ')
        : `the ${impl ?? 'ingress'} controller (how it is exposed is not in the input)`;
    lines.push(
      `client -> ${via} -> Ingress ${ref(ing)} (${impl ?? 'unknown controller'}, HTTP: client address in X-Forwarded-For) -> Service ${ref(svc)}`,
    );
  }
  for (const r of gatewayApiFacts(facts.ctx).routes) {
    if (!routeBackends(r).some((b) => sendsTo(b, target))) continue;
    const l7 = r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute';
    lines.push(
      `client -> Gateway (${r.kind} ${r.namespace}/${r.name}: ${l7 ? 'client address in X-Forwarded-For' : 'REPLACED by the proxy address'}) -> Service ${ref(svc)}`,
    );
  }
  for (const g of proxyGateways(facts.ctx)) {
    for (const f of g.config.forwards) {
      const t = resolveTarget(facts.ctx, f.host, f.port, nsOf(g.workload));
      if (!t || t.service !== svc) continue;
      const what = f.sendProxy
        ? `PROXY protocol ${f.sendProxy}: client address kept in the header`
        : f.mode === 'http' && f.forwardedFor
          ? 'HTTP: client address in X-Forwarded-For'
          : 'no PROXY protocol: REPLACED by the gateway node address';
      lines.push(
        `client -> node:${f.fromPorts.join(',') || '?'} (${g.implementation} ${g.workload.kind} ${ref(g.workload)}, ${f.mode.toUpperCase()}, ${what}) -> Service ${ref(svc)}`,
      );
    }
  }
  if (lines.length === 0)
    return [
      `Service ${ref(svc)} is not reached from outside the cluster in the input (${serviceType(svc)}; no Ingress, route or gateway leads to it).`,
    ];
  return [`Ways from a client to Service ${ref(svc)}:`, ...lines.map((l) => `  ${l}`)];
}
