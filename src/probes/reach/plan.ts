// The ways into one Service, planned from discovery's facts (the same rows `list` shows):
// every node address for its nodePorts (NodePort; LoadBalancer with --node-ports), each
// LoadBalancer address and externalIP, the hostNetwork gateways that forward to it (every
// node address they run on), Ingress hosts and paths (http, and https with the Host as TLS
// server name for the hosts of a TLS section) and Gateway listeners of the routes that send
// to it. Pure: no object is read here that discovery has not turned into facts.
import { serviceAffinity } from '../../discover/affinity.js';
import { selectedPods } from '../../discover/backend-pods.js';
import { ingressBackends, routeBackends, sendsTo } from '../../discover/backends.js';
import { type DiscoveryContext, nameOf, nodeAddresses, nsOf } from '../../discover/context.js';
import { endpointsByNode } from '../../discover/endpoints-per-node.js';
import { attachmentsOf, gatewayApiFacts } from '../../discover/gateway-api.js';
import { discoverExposures } from '../../discover/index.js';
import { ingressFactOf } from '../../discover/ingress-facts.js';
import { proxyGateways, resolveTarget } from '../../discover/paths.js';
import { serviceFact } from '../../discover/services.js';
import type { Exposure } from '../../model/exposure.js';
import type { ReachTarget } from '../../model/reach.js';
import type { Service } from '../../model/snapshot.js';

export interface ReachPlan {
  targets: ReachTarget[];
  /** Ways in that exist but cannot be tried, in words. */
  skipped: string[];
  /** sessionAffinity ClientIP on the Service. */
  sticky: boolean;
  /** The Service's Pods the snapshot knows. */
  knownPods: string[];
  /** The Service's ready endpoints. */
  readyEndpoints: number;
}

export interface PlanOptions {
  /** Send an HTTP GET on ways in whose protocol is not known (plain TCP ports). */
  http?: boolean;
  /** The request path for http ways in that have none of their own. */
  path?: string;
  /** Also try a LoadBalancer Service's nodePorts on every node. */
  nodePorts?: boolean;
}

const hostPort = (address: string, port: number) => `${address.includes(':') ? `[${address}]` : address}:${port}`;

/** http/https by the port's name (Kubernetes and Istio convention: http, http-web, https, https-api), else tcp or --http. */
export function schemeOfPort(name: string | undefined, o: PlanOptions): ReachTarget['scheme'] {
  if (name && /^https($|-)/.test(name)) return 'https';
  if (name && /^(http|http2|h2c)($|-)/.test(name)) return 'http';
  return o.http ? 'http' : 'tcp';
}

function withScheme(
  t: Omit<ReachTarget, 'scheme' | 'label'>,
  scheme: ReachTarget['scheme'],
  o: PlanOptions,
  label: string,
) {
  return {
    ...t,
    label,
    scheme,
    ...(scheme !== 'tcp' ? { path: t.path ?? o.path ?? '/' } : {}),
  } as ReachTarget;
}

function rowsOf(ctx: DiscoveryContext): Exposure[] {
  return discoverExposures(ctx.snapshot);
}

export function planReach(ctx: DiscoveryContext, svc: Service, o: PlanOptions = {}): ReachPlan {
  const s = serviceFact(ctx, svc);
  const ref = { namespace: s.namespace, name: s.name };
  const object = { kind: 'Service', namespace: s.namespace, name: s.name };
  const targets: ReachTarget[] = [];
  const skipped: string[] = [];
  const tcp = s.ports.filter((p) => p.protocol === 'TCP');
  const local = s.externalTrafficPolicy === 'Local';
  const byNode = endpointsByNode(ctx, svc);
  const perNode = new Map(byNode.nodes.map((n) => [n.node, n.ready]));

  // Node ports: every node address, each node with its local endpoints when the policy is Local.
  const nodePortsToo = s.type === 'NodePort' || (s.type === 'LoadBalancer' && o.nodePorts);
  if (nodePortsToo) {
    if (ctx.nodes.length === 0) skipped.push(`the nodePorts of Service ${s.namespace}/${s.name}: no Node is known`);
    for (const node of ctx.nodes) {
      for (const address of nodeAddresses(node)) {
        for (const p of tcp.filter((x) => x.nodePort !== undefined)) {
          targets.push(
            withScheme(
              {
                address,
                port: p.nodePort!,
                via: 'nodeport',
                object,
                node: nameOf(node),
                ...(local ? { localEndpoints: perNode.get(nameOf(node)) ?? 0 } : {}),
              },
              schemeOfPort(p.name, o),
              o,
              `nodePort ${nameOf(node)} ${hostPort(address, p.nodePort!)}`,
            ),
          );
        }
      }
    }
  }
  const rows = rowsOf(ctx);
  const own = rows.filter((r) => r.kind === 'Service' && r.namespace === s.namespace && r.name === s.name);
  for (const row of own.filter((r) => r.mode !== 'nodeport')) {
    const via = row.mode === 'externalip' ? 'externalip' : 'loadbalancer';
    if (row.addresses.length === 0)
      skipped.push(
        `${via === 'loadbalancer' ? 'LoadBalancer' : 'externalIPs'} of Service ${s.namespace}/${s.name}: no address${row.reason ? ` (${row.reason})` : ''}`,
      );
    for (const address of row.addresses) {
      for (const p of tcp) {
        targets.push(
          withScheme(
            { address, port: p.port, via, object },
            schemeOfPort(p.name, o),
            o,
            `${via === 'loadbalancer' ? 'LoadBalancer' : 'externalIP'} ${hostPort(address, p.port)}`,
          ),
        );
      }
    }
  }

  // hostNetwork gateways (HAProxy, nginx) whose config forwards to the Service.
  for (const g of proxyGateways(ctx)) {
    const ports = g.config.forwards
      .filter((f) => resolveTarget(ctx, f.host, f.port, nsOf(g.workload))?.service === svc)
      .flatMap((f) => (f.fromPorts.length > 0 ? f.fromPorts : g.config.listens.map((l) => l.port)))
      .filter((p, i, all) => all.indexOf(p) === i);
    if (ports.length === 0) continue;
    const gw = { kind: g.workload.kind, namespace: nsOf(g.workload), name: nameOf(g.workload) };
    const row = rows.find((r) => r.kind === gw.kind && r.namespace === gw.namespace && r.name === gw.name);
    const addresses = row?.addresses ?? [];
    if (addresses.length === 0)
      skipped.push(`hostNetwork ${gw.kind} ${gw.namespace}/${gw.name}: no node address known`);
    const nodeOf = (a: string) => ctx.nodes.find((n) => nodeAddresses(n).includes(a));
    for (const address of addresses) {
      for (const port of ports) {
        const mode = g.config.listens.find((l) => l.port === port)?.mode;
        const node = nodeOf(address);
        targets.push(
          withScheme(
            { address, port, via: 'hostnetwork', object: gw, ...(node ? { node: nameOf(node) } : {}) },
            mode === 'http' ? 'http' : o.http ? 'http' : 'tcp',
            o,
            `${g.implementation} ${node ? `${nameOf(node)} ` : ''}${hostPort(address, port)}`,
          ),
        );
      }
    }
  }

  // Ingresses: each published address, each rule host and path that sends to the Service.
  for (const ing of ctx.snapshot.ingresses) {
    const backends = ingressBackends(ing).filter((b) => sendsTo(b, ref));
    if (backends.length === 0) continue;
    const fact = ingressFactOf(ctx, ing);
    const iref = { kind: 'Ingress', namespace: nsOf(ing), name: nameOf(ing) };
    if (fact.addresses.length === 0)
      skipped.push(`Ingress ${iref.namespace}/${iref.name}: its controller has published no address`);
    const tlsHosts = new Set(fact.tls.flatMap((t) => t.hosts));
    const ways = backends.map((b) => {
      const star = b.match.indexOf('/');
      const host = b.match === 'default' ? '*' : b.match.slice(0, star);
      return { host: host === '*' ? undefined : host, path: b.path ?? o.path ?? '/' };
    });
    for (const address of fact.addresses) {
      for (const w of ways.filter((x, i) => ways.findIndex((y) => y.host === x.host && y.path === x.path) === i)) {
        const host = w.host && !w.host.startsWith('*.') ? w.host : undefined;
        const base = { address, via: 'ingress' as const, object: iref, path: w.path, ...(host ? { host } : {}) };
        targets.push(withScheme({ ...base, port: 80 }, 'http', o, `Ingress http://${host ?? address}${w.path}`));
        if (host && tlsHosts.has(host))
          targets.push(withScheme({ ...base, port: 443 }, 'https', o, `Ingress https://${host}${w.path}`));
      }
    }
  }

  // Gateway API routes: each attached listener of each parent Gateway, at the Gateway's addresses.
  const gatewayRows = rows.filter((r) => r.kind === 'Gateway');
  for (const route of gatewayApiFacts(ctx).routes) {
    if (!routeBackends(route).some((b) => sendsTo(b, ref))) continue;
    for (const a of attachmentsOf(ctx, route)) {
      if (a.state !== 'attached') {
        skipped.push(
          `${route.kind} ${route.namespace}/${route.name} through Gateway ${a.ref.namespace}/${a.ref.name}: ${a.state === 'missing' ? `the Gateway was not read${a.ref.namespace !== s.namespace ? ' (another namespace: add -A)' : ''}` : `not attached (${a.why})`}`,
        );
        continue;
      }
      const gref = { kind: 'Gateway', namespace: a.gateway.namespace, name: a.gateway.name };
      const addresses =
        gatewayRows.find((r) => r.namespace === gref.namespace && r.name === gref.name)?.addresses ?? [];
      if (addresses.length === 0) skipped.push(`Gateway ${gref.namespace}/${gref.name}: no address in its status`);
      for (const l of a.listeners) {
        if (l.port === undefined || l.protocol === 'UDP') continue;
        const scheme =
          l.protocol === 'HTTPS' || l.protocol === 'TLS'
            ? 'https'
            : l.protocol === 'HTTP'
              ? 'http'
              : o.http
                ? 'http'
                : 'tcp';
        const names = route.hostnames.length > 0 ? route.hostnames : l.hostname ? [l.hostname] : [undefined];
        for (const address of addresses) {
          for (const name of names) {
            const host = name && !name.startsWith('*.') ? name : undefined;
            targets.push(
              withScheme(
                { address, port: l.port, via: 'gateway', object: gref, ...(host ? { host } : {}) },
                scheme,
                o,
                `Gateway ${gref.name}/${l.name ?? l.port} ${scheme === 'tcp' ? '' : `${scheme}://`}${host ?? address}${l.port === (scheme === 'https' ? 443 : 80) ? '' : `:${l.port}`}`,
              ),
            );
          }
        }
      }
    }
  }

  if (targets.length === 0 && skipped.length === 0)
    skipped.push(
      `Service ${s.namespace}/${s.name} (${s.type}) has no way in from outside the cluster: no nodePort, LoadBalancer address, externalIP, hostNetwork gateway, Ingress or Gateway route leads to it`,
    );
  return {
    targets,
    skipped,
    sticky: serviceAffinity(svc).clientIP,
    knownPods: selectedPods(ctx, svc).map(nameOf),
    readyEndpoints: byNode.ready,
  };
}
