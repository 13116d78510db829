// Istio's edge gateway: a VirtualService bound to no Gateway or matching no server of it
// (gateway/route-not-attached), and destinations that name no Service or port
// (ingress/backend-missing). Pure; files and live alike (absence counts only where it
// proves something). The ingress gateway Service's traffic policy is judged by the
// source-ip analyzers like every LoadBalancer Service's.
import { findService, nameOf, nsOf } from '../discover/context.js';
import {
  gatewayServers,
  virtualServiceBackends,
  virtualServiceBindings,
  virtualServiceGatewayRefs,
  virtualServiceHosts,
} from '../discover/istio.js';
import { serviceFact } from '../discover/services.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { absenceProves, absentText, isTarget, list, subjectOf } from './util.js';

const attachment: Analyzer = {
  name: 'istio-virtualservice-binding',
  check: 'gateway',
  codes: ['gateway/route-not-attached'],
  inputs: ['snapshot'],
  description:
    'Each Istio VirtualService bound to gateways names existing Gateways, and one of their servers accepts its hosts.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const vs of facts.snapshot.istio.virtualServices) {
      if (virtualServiceGatewayRefs(vs).length === 0) continue;
      const backends = virtualServiceBackends(vs);
      if (facts.service && !backends.some((b) => isTarget(facts, b.namespace, b.service))) continue;
      const ref = `VirtualService ${nsOf(vs)}/${nameOf(vs)}`;
      const hosts = virtualServiceHosts(vs);
      const { missing, unmatched } = virtualServiceBindings(facts.ctx, vs);
      for (const m of missing) {
        if (!absenceProves(facts, 'networking.istio.io/Gateway', m.namespace)) continue;
        out.push(
          finding(
            'gateway/route-not-attached',
            subjectOf(vs),
            `${ref} is bound to Gateway ${m.namespace}/${m.name} (spec.gateways "${m.text}"), which ${absentText(facts).doesNotExist}: Istio's ingress gateway never serves hosts ${list(hosts)}, and clients get 404s.`,
            `Create Gateway ${m.namespace}/${m.name} (networking.istio.io) or fix spec.gateways of ${ref}: a name alone means the VirtualService's own namespace, another namespace is written namespace/name.`,
          ),
        );
      }
      for (const gw of unmatched) {
        const serverHosts = gatewayServers(gw).flatMap((s) => s.hosts);
        out.push(
          finding(
            'gateway/route-not-attached',
            subjectOf(vs),
            `${ref} is bound to Gateway ${nsOf(gw)}/${nameOf(gw)}, but none of its hosts (${list(hosts)}) matches a server host of the Gateway (${list(serverHosts) || 'none'}): Istio ignores the binding and clients get 404s.`,
            `Add one of ${list(hosts)} to a server's hosts of Gateway ${nsOf(gw)}/${nameOf(gw)} (a namespace/ prefix there must name ${nsOf(vs)} or *), or make spec.hosts of ${ref} match the Gateway.`,
          ),
        );
      }
    }
    return out;
  },
};

const destinations: Analyzer = {
  name: 'istio-virtualservice-destinations',
  check: 'ingress',
  codes: ['ingress/backend-missing'],
  inputs: ['snapshot'],
  description: 'The destinations of Istio VirtualServices bound to gateways are existing Services and ports.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const vs of facts.snapshot.istio.virtualServices) {
      if (virtualServiceGatewayRefs(vs).length === 0) continue;
      const ref = `VirtualService ${nsOf(vs)}/${nameOf(vs)}`;
      for (const b of virtualServiceBackends(vs)) {
        if (!isTarget(facts, b.namespace, b.service)) continue;
        const svc = findService(facts.ctx, b.namespace, b.service);
        if (!svc) {
          if (!absenceProves(facts, 'Service', b.namespace)) continue;
          out.push(
            finding(
              'ingress/backend-missing',
              subjectOf(vs),
              `${ref} ${b.field} sends ${b.match} to Service ${b.namespace}/${b.service}, which ${absentText(facts).doesNotExist}: the gateway answers 503 (no healthy upstream).`,
              `Create Service ${b.namespace}/${b.service} or fix the destination host of ${ref} ${b.field} (a short name means namespace ${nsOf(vs)}; elsewhere write NAME.NAMESPACE.svc.cluster.local).`,
            ),
          );
          continue;
        }
        const ports = serviceFact(facts.ctx, svc).ports.map((p) => p.port);
        if (b.port.number !== undefined && !ports.includes(b.port.number)) {
          out.push(
            finding(
              'ingress/backend-missing',
              subjectOf(vs),
              `${ref} ${b.field} sends ${b.match} to port ${b.port.number} of Service ${b.namespace}/${b.service}, which has no such port (ports: ${ports.join(', ') || 'none'}): the gateway answers 503.`,
              `Set destination.port.number in ${ref} ${b.field} to one of ${ports.join(', ')} (the Service port, not the container port).`,
            ),
          );
        }
      }
    }
    return out;
  },
};

export const istioAnalyzers: Analyzer[] = [attachment, destinations];
