// source-ip/*: every hop between the client and the backend that replaces the client's
// address, or breaks connections by disagreeing on PROXY protocol. Pure.
//
// Hops, as the snapshot shows them:
// - a NodePort/LoadBalancer/externalIPs Service with externalTrafficPolicy Cluster: the
//   receiving node SNATs what it forwards (unless the load balancer in front sends PROXY
//   protocol that the Pods read: then the address travels in the header);
// - a hostNetwork/hostPort HAProxy or nginx gateway (its config from the ConfigMap it
//   mounts): TCP forwarding without send-proxy, HTTP forwarding without X-Forwarded-For,
//   PROXY protocol sent to a backend that does not expect it (or expected and not sent);
// - ingress-nginx: use-proxy-protocol against what is in front of it (a cloud load
//   balancer's PROXY annotation, or MetalLB/kube-vip/Cilium/NodePort, which never send
//   it); X-Forwarded-For from a proxy in front that it does not trust; TCP services
//   (tcp-services ConfigMap) forwarded without PROXY;
// - TCPRoute/TLSRoute/UDPRoute through a Gateway: the proxy opens its own connection and
//   Gateway API has no portable PROXY protocol setting.

import { routeBackends } from '../discover/backends.js';
import { annotationsOf, type DiscoveryContext, nameOf, nsOf, strMap } from '../discover/context.js';
import { gatewayApiFacts } from '../discover/gateway-api.js';
import { classifyLoadBalancer } from '../discover/implementation.js';
import {
  type IngressNginxController,
  ingressNginxControllers,
  proxyGateways,
  proxyProtocolAcceptance,
  resolveTarget,
  type Target,
} from '../discover/paths.js';
import type { ProxyForward } from '../discover/proxy-config.js';
import { serviceFact } from '../discover/services.js';
import { flagValue, workloadFactOf } from '../discover/workload-facts.js';
import type { Finding } from '../model/finding.js';
import type { Custom, Service } from '../model/snapshot.js';
import { shellCommand } from '../util/shell-quote.js';
import { finding } from './codes.js';
import { chartTrafficPolicyValue, ownedFix } from './owned-fix.js';
import type { Analyzer } from './types.js';
import {
  externalIPsOf,
  isExternallyExposed,
  latest,
  list,
  portsOf,
  portsText,
  serviceType,
  subjectOf,
  trafficPolicy,
} from './util.js';

/** Load-balancer annotations that make the (cloud) load balancer send PROXY protocol. */
const LB_PROXY_ANNOTATIONS: Array<[string, (v: string) => boolean]> = [
  ['service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol', (v) => v === 'true'],
  ['service.beta.kubernetes.io/aws-load-balancer-proxy-protocol', (v) => v !== ''],
  ['load-balancer.hetzner.cloud/uses-proxyprotocol', (v) => v === 'true'],
  ['loadbalancer.openstack.org/proxy-protocol', (v) => v !== '' && v !== 'false'],
  ['service.beta.kubernetes.io/linode-loadbalancer-proxy-protocol', (v) => v === 'v1' || v === 'v2'],
  ['service.beta.kubernetes.io/scw-loadbalancer-proxy-protocol-v2', (v) => v === 'true' || v === '*'],
  ['service.beta.kubernetes.io/ovh-loadbalancer-proxy-protocol', (v) => v === 'v1' || v === 'v2'],
];

/** The annotation with which a Service asks its load balancer to send PROXY protocol, if any. */
export function lbProxyAnnotation(svc: Service): string | undefined {
  const ann = annotationsOf(svc);
  return LB_PROXY_ANNOTATIONS.find(([k, ok]) => ann[k] !== undefined && ok(ann[k]!))?.[0];
}

/**
 * Whether a cloud PROXY-protocol annotation is read at all: not when MetalLB, Cilium or
 * kube-vip serves the Service (they route packets; no cloud load balancer is in front).
 */
function cloudLbServes(ctx: DiscoveryContext, svc: Service): boolean {
  return serviceType(svc) !== 'LoadBalancer' || classifyLoadBalancer(ctx, svc).implementation === null;
}

/** The PROXY-protocol annotation of a Service whose (cloud) load balancer reads it, if any. */
export function sentProxyAnnotation(ctx: DiscoveryContext, svc: Service): string | undefined {
  const ann = lbProxyAnnotation(svc);
  return ann && cloudLbServes(ctx, svc) ? ann : undefined;
}

function svcText(svc: Service): string {
  return `Service ${nsOf(svc)}/${nameOf(svc)}`;
}

function entry(svc: Service): string {
  const t = serviceType(svc);
  const ports = portsOf(svc);
  if (t === 'NodePort') return `NodePort ${ports.map((p) => `${p.nodePort ?? '<auto>'}/${p.protocol}`).join(', ')}`;
  if (t === 'LoadBalancer') return `LoadBalancer ${portsText(ports)}`;
  return `externalIPs ${externalIPsOf(svc).join(', ')}`;
}

const etpCluster: Analyzer = {
  name: 'source-ip-traffic-policy',
  check: 'source-ip',
  codes: ['source-ip/etp-cluster'],
  inputs: ['snapshot'],
  description:
    'Exposed Services keep the client address: externalTrafficPolicy Local, or PROXY protocol from the load balancer.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const svc of latest(facts.snapshot.services)) {
      if (!isExternallyExposed(svc) || trafficPolicy(svc) === 'Local') continue;
      // PROXY protocol from the load balancer to Pods that read it carries the address through the SNAT.
      const ann = lbProxyAnnotation(svc);
      const acc = proxyProtocolAcceptance(facts.ctx, svc, portsOf(svc)[0]);
      if (ann && acc?.accepts && cloudLbServes(facts.ctx, svc)) continue;
      out.push(
        finding(
          'source-ip/etp-cluster',
          subjectOf(svc),
          `${svcText(svc)} (${entry(svc)}) has externalTrafficPolicy ${trafficPolicy(svc)}: the node that receives a client's connection may forward it to a Pod on another node and SNATs it to the node's own address, so the Pods see a node IP instead of the client's.`,
          ownedFix(
            svc,
            `Set spec.externalTrafficPolicy: Local (${shellCommand(['kubectl', 'patch', 'svc', nameOf(svc), '-n', nsOf(svc), '-p', '{"spec":{"externalTrafficPolicy":"Local"}}'])})`,
            'spec.externalTrafficPolicy: Local',
            {
              helmValue: chartTrafficPolicyValue(svc),
              tail: 'trade-off: only nodes with a ready Pod take traffic (MetalLB, Cilium and kube-vip announce from those nodes; NodePort clients must avoid the others), so load follows Pod placement and can be uneven.',
            },
          ),
        ),
      );
    }
    return out;
  },
};

function targetText(t: Target | undefined, f: ProxyForward): string {
  const hp = `${f.host}${f.port !== undefined ? `:${f.port}` : ''}`;
  return t ? `${hp} (${svcText(t.service)})` : hp;
}

function lineRef(configMap: Custom, file: string, line: number): string {
  return `ConfigMap ${nsOf(configMap)}/${nameOf(configMap)} ${file} line ${line}`;
}

const gateways: Analyzer = {
  name: 'source-ip-gateway-proxy',
  check: 'source-ip',
  codes: ['source-ip/proxy-protocol-missing', 'source-ip/proxy-protocol-mismatch'],
  inputs: ['snapshot'],
  description:
    'hostNetwork/hostPort HAProxy and nginx gateways pass the client address on (PROXY protocol, X-Forwarded-For) in a way their backend expects.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const g of proxyGateways(facts.ctx)) {
      const subject = subjectOf(g.workload);
      const who = `${g.implementation} ${g.workload.kind} ${nsOf(g.workload)}/${nameOf(g.workload)}`;
      const seen = new Set<string>();
      for (const f of g.config.forwards) {
        const t = resolveTarget(facts.ctx, f.host, f.port, nsOf(g.workload));
        const acc = t ? proxyProtocolAcceptance(facts.ctx, t.service, t.port) : undefined;
        const from = f.fromPorts.length > 0 ? `port ${f.fromPorts.join(', ')}` : 'a backend';
        const where = lineRef(g.configMap, g.file, f.line);
        const key = `${f.mode}|${f.host}|${f.port}|${f.sendProxy}|${f.forwardedFor}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const sendFix =
          g.implementation === 'haproxy'
            ? `add send-proxy-v2 to the server line (${where})`
            : `add "proxy_protocol on;" to the server block (${where})`;
        if (f.sendProxy && acc && !acc.accepts) {
          out.push(
            finding(
              'source-ip/proxy-protocol-mismatch',
              subject,
              `${who} sends PROXY protocol ${f.sendProxy} on ${from} to ${targetText(t, f)} (${where}), but the receiver does not expect it (${acc.why}): it reads the PROXY header as the start of the request and every connection fails.`,
              `Make both ends agree: enable PROXY protocol on the receiver (${acc.why.startsWith('ingress-nginx') ? 'use-proxy-protocol: "true" in its ConfigMap' : 'accept-proxy on its bind line'}) or remove ${g.implementation === 'haproxy' ? 'send-proxy/send-proxy-v2' : 'proxy_protocol on'} at ${where}; keep the PROXY header if the client address must reach the backend.`,
            ),
          );
          continue;
        }
        if (!f.sendProxy && acc?.accepts) {
          out.push(
            finding(
              'source-ip/proxy-protocol-mismatch',
              subject,
              `${who} forwards ${from} to ${targetText(t, f)} without PROXY protocol (${where}), but the receiver expects a PROXY header (${acc.why}): it rejects every connection.`,
              `Make both ends agree: ${sendFix} (this also keeps the client address), or turn PROXY protocol off on the receiver.`,
            ),
          );
          continue;
        }
        if (f.mode === 'tcp' && !f.sendProxy) {
          out.push(
            finding(
              'source-ip/proxy-protocol-missing',
              subject,
              `${who} forwards ${from} in TCP mode to ${targetText(t, f)} without PROXY protocol (${where}): it opens its own connection, so the backend sees the gateway node's address instead of the client's.`,
              `${sendFix[0]!.toUpperCase()}${sendFix.slice(1)} and make the backend expect it (HAProxy accept-proxy, nginx listen ... proxy_protocol, ingress-nginx use-proxy-protocol: "true"); trade-off: both ends must agree, a backend that does not read PROXY protocol breaks.`,
            ),
          );
          continue;
        }
        if (f.mode === 'http' && !f.sendProxy && !f.forwardedFor) {
          out.push(
            finding(
              'source-ip/proxy-protocol-missing',
              subject,
              `${who} forwards ${from} as HTTP to ${targetText(t, f)} without X-Forwarded-For (${where}): the backend sees only the gateway's address.`,
              g.implementation === 'haproxy'
                ? `Add "option forwardfor" to the frontend or backend of ${where}, and make the backend trust X-Forwarded-For from the gateway nodes; or switch to mode tcp with send-proxy-v2 (trade-off: both ends must agree).`
                : `Add "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" to the location of ${where}, and make the backend trust it from the gateway nodes.`,
            ),
          );
          continue;
        }
        // HTTP with X-Forwarded-For into ingress-nginx that does not trust forwarded headers.
        if (f.mode === 'http' && f.forwardedFor && !f.sendProxy && t) {
          const ctrl = ingressNginxControllers(facts.ctx).find((c) => c.services.includes(t.service));
          if (
            ctrl?.configMap &&
            ctrl.settings['use-forwarded-headers'] !== 'true' &&
            ctrl.settings['compute-full-forwarded-for'] !== 'true'
          ) {
            out.push(untrustedForwarded(ctrl, who, where));
          }
        }
      }
    }
    return out;
  },
};

function untrustedForwarded(ctrl: IngressNginxController, who: string, where: string): Finding {
  const cm = ctrl.configMap!;
  return finding(
    'source-ip/proxy-protocol-missing',
    subjectOf(cm),
    `ingress-nginx (ConfigMap ${nsOf(cm)}/${nameOf(cm)}) receives HTTP from ${who} (${where}) with the client in X-Forwarded-For, but does not trust forwarded headers (use-forwarded-headers unset): it replaces X-Forwarded-For with the gateway's address, so the backends never see the client's.`,
    `Set use-forwarded-headers: "true" and proxy-real-ip-cidr: <the gateway nodes' addresses> in ConfigMap ${nsOf(cm)}/${nameOf(cm)} (only trust the gateway, or clients can forge the header); or forward in TCP mode with send-proxy-v2 and set use-proxy-protocol: "true" (trade-off: both ends must agree).`,
  );
}

/** What is in front of an ingress-nginx controller Service, as far as PROXY protocol goes. */
function frontOf(ctx: DiscoveryContext, svc: Service): { sends: boolean; what: string } | undefined {
  const ann = lbProxyAnnotation(svc);
  if (ann && cloudLbServes(ctx, svc))
    return { sends: true, what: `its load balancer sends PROXY protocol (annotation ${ann})` };
  const t = serviceType(svc);
  if (t === 'NodePort')
    return {
      sends: false,
      what: `clients reach it through NodePort ${portsOf(svc)
        .map((p) => p.nodePort ?? '<auto>')
        .join(', ')}, which passes connections through without a PROXY header`,
    };
  if (t === 'LoadBalancer') {
    const lb = classifyLoadBalancer(ctx, svc);
    if (lb.implementation)
      return {
        sends: false,
        what: `its LoadBalancer address is announced by ${lb.implementation} (${lb.mode}), which routes packets and never adds a PROXY header${ann ? ` (the cloud annotation ${ann} is read by nothing here: lb/annotation-ignored)` : ''}`,
      };
  }
  return undefined;
}

const ingressNginx: Analyzer = {
  name: 'source-ip-ingress-nginx',
  check: 'source-ip',
  codes: ['source-ip/proxy-protocol-mismatch', 'source-ip/proxy-protocol-missing'],
  inputs: ['snapshot'],
  description:
    "ingress-nginx's use-proxy-protocol agrees with what is in front of it; its TCP services pass the client on.",
  analyze(facts) {
    const out: Finding[] = [];
    const senders = new Set(
      proxyGateways(facts.ctx).flatMap((g) =>
        g.config.forwards
          .filter((f) => f.sendProxy)
          .map((f) => resolveTarget(facts.ctx, f.host, f.port, nsOf(g.workload))?.service)
          .filter((s): s is Service => !!s),
      ),
    );
    for (const ctrl of ingressNginxControllers(facts.ctx)) {
      if (!ctrl.configMap) continue;
      const cm = ctrl.configMap;
      const expects = ctrl.settings['use-proxy-protocol'] === 'true';
      for (const svc of latest(ctrl.services)) {
        if (!isExternallyExposed(svc) || senders.has(svc)) continue;
        const front = frontOf(facts.ctx, svc);
        if (front?.sends && expects) {
          const hairpin = hairpinFinding(facts.ctx, svc, cm);
          if (hairpin) out.push(hairpin);
          continue;
        }
        if (!front || front.sends === expects) continue;
        if (expects) {
          out.push(
            finding(
              'source-ip/proxy-protocol-mismatch',
              subjectOf(cm),
              `ingress-nginx expects a PROXY header on every connection (use-proxy-protocol: "true" in ConfigMap ${nsOf(cm)}/${nameOf(cm)}), but ${svcText(svc)}: ${front.what}; nginx rejects clients' requests as broken headers.`,
              ownedFix(
                cm,
                `Set use-proxy-protocol: "false" (or remove it) in ConfigMap ${nsOf(cm)}/${nameOf(cm)}`,
                'use-proxy-protocol: "false"',
                {
                  helmValue: 'controller.config.use-proxy-protocol: "false"',
                  tail: `keep the client address with externalTrafficPolicy: Local on ${svcText(svc)} (trade-off: uneven load); or put a proxy that sends PROXY protocol in front (both ends must agree).`,
                },
              ),
            ),
          );
        } else {
          out.push(
            finding(
              'source-ip/proxy-protocol-mismatch',
              subjectOf(svc),
              `${svcText(svc)}: ${front.what}, but ingress-nginx does not expect it (use-proxy-protocol unset in ConfigMap ${nsOf(cm)}/${nameOf(cm)}): nginx reads the PROXY header as the request and every connection fails.`,
              ownedFix(
                cm,
                `Set use-proxy-protocol: "true" in ConfigMap ${nsOf(cm)}/${nameOf(cm)} (it then also keeps the client address)`,
                'use-proxy-protocol: "true"',
                {
                  helmValue: 'controller.config.use-proxy-protocol: "true"',
                  tail: `or remove the annotation from ${svcText(svc)}; both ends must agree.`,
                },
              ),
            ),
          );
        }
      }
      // TCP services: "PORT": "ns/svc:port[:PROXY][:PROXY]" (decode, encode).
      const tcpRef = tcpServicesRef(facts.ctx, ctrl);
      const tcp = tcpRef ? facts.snapshot.configMaps.find((c) => `${nsOf(c)}/${nameOf(c)}` === tcpRef) : undefined;
      for (const [port, value] of Object.entries(strMap(tcp?.data))) {
        const parts = value.split(':');
        if (parts[3] === 'PROXY') continue;
        out.push(
          finding(
            'source-ip/proxy-protocol-missing',
            subjectOf(tcp!),
            `ingress-nginx forwards TCP port ${port} to ${parts[0]}:${parts[1] ?? '?'} without PROXY protocol (ConfigMap ${tcpRef} "${port}": "${value}"): it opens its own connection, so the backend sees the controller Pod's address instead of the client's.`,
            `Set the fourth field to PROXY (it sends PROXY protocol to the backend): "${port}": "${parts[0]}:${parts[1] ?? ''}:${parts[2] ?? ''}:PROXY" in ConfigMap ${tcpRef}, and make the backend expect it; trade-off: both ends must agree, a backend that does not read PROXY protocol breaks.`,
          ),
        );
      }
    }
    return out;
  },
};

/**
 * Both ends agree on PROXY protocol, but kube-proxy short-circuits connections from inside the
 * cluster to a load-balancer IP whose ipMode is VIP (the default, and the only behaviour before
 * Kubernetes 1.29): they reach the controller without passing the load balancer, so without
 * the PROXY header it expects. ipMode Proxy (set by the cloud controller, Kubernetes 1.30+) or a
 * hostname instead of an IP in the status keeps them on the load balancer.
 */
function hairpinFinding(ctx: DiscoveryContext, svc: Service, cm: Custom): Finding | undefined {
  const vips = serviceFact(ctx, svc).published.filter((i) => i.ip && (i.ipMode === undefined || i.ipMode === 'VIP'));
  if (vips.length === 0) return undefined;
  const ips = vips.map((i) => `${i.ip} (ipMode ${i.ipMode ?? 'unset: VIP'})`);
  return finding(
    'source-ip/proxy-protocol-mismatch',
    subjectOf(svc),
    `${svcText(svc)}: its load balancer sends PROXY protocol and ingress-nginx expects it (use-proxy-protocol: "true" in ConfigMap ${nsOf(cm)}/${nameOf(cm)}), but the status publishes ${ips.join(', ')}: kube-proxy sends connections from inside the cluster to that address straight to the controller, bypassing the load balancer, so they arrive without the PROXY header and fail ("broken header"); clients outside the cluster work.`,
    `Keep in-cluster clients on the load balancer: have the cloud controller publish ipMode: Proxy (Kubernetes 1.30 or later with a cloud controller that sets it, e.g. hcloud-cloud-controller-manager after hcloud-cloud-controller-manager#783) or a hostname instead of the IP (e.g. load-balancer.hetzner.cloud/hostname, service.beta.kubernetes.io/do-loadbalancer-hostname); or call the Service's cluster DNS name from inside the cluster.`,
  );
}

function tcpServicesRef(ctx: DiscoveryContext, ctrl: IngressNginxController): string | undefined {
  const ns = nsOf(ctrl.workload);
  const ref = flagValue(workloadFactOf(ctx, ctrl.workload).args, '--tcp-services-configmap')?.replace(
    /^\$\(POD_NAMESPACE\)/,
    ns,
  );
  return ref && !ref.includes('/') ? `${ns}/${ref}` : ref;
}

const gatewayRoutes: Analyzer = {
  name: 'source-ip-gateway-routes',
  check: 'source-ip',
  codes: ['source-ip/proxy-protocol-missing'],
  inputs: ['snapshot'],
  description: 'TCPRoute/TLSRoute/UDPRoute backends behind a Gateway see the proxy, not the client.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const r of gatewayApiFacts(facts.ctx).routes) {
      if (!['TCPRoute', 'TLSRoute', 'UDPRoute'].includes(r.kind)) continue;
      const parents = r.parentRefs;
      if (parents.length === 0) continue;
      const backends = routeBackends(r).map(
        (b) => `${b.namespace}/${b.service}${b.port.number ? `:${b.port.number}` : ''}`,
      );
      if (backends.length === 0) continue;
      const udp = r.kind === 'UDPRoute';
      out.push(
        finding(
          'source-ip/proxy-protocol-missing',
          subjectOf(r.object),
          `${r.kind} ${r.namespace}/${r.name} sends ${udp ? 'UDP' : 'TCP'} through Gateway ${list(parents.map((p) => `${p.namespace}/${p.name}`))}, whose proxy opens its own connection to ${list(backends)}: the backend sees the proxy's address${udp ? '' : ', and nothing in the input makes it send PROXY protocol'}.`,
          udp
            ? 'UDP has no PROXY protocol: if the backend needs the client address, expose it with a LoadBalancer Service with externalTrafficPolicy: Local instead (exposectl expose SERVICE --mode l2 --preserve-source-ip); trade-off: uneven load.'
            : "Gateway API has no portable setting: enable PROXY protocol towards the backend in the implementation's policy (Envoy Gateway: BackendTrafficPolicy spec.proxyProtocol.version: V2) and make the backend expect it (both ends must agree), or expose the backend with a LoadBalancer Service with externalTrafficPolicy: Local.",
        ),
      );
    }
    return out;
  },
};

export const sourceIpAnalyzers: Analyzer[] = [etpCluster, gateways, ingressNginx, gatewayRoutes];
