// Snapshot -> Topology: the path from a client outside the cluster to the Pods, for one
// Service (and every exposure that leads to it) or for every exposure. Pure.
//
// The exposures come from discovery (discoverExposures: the same rows as `list`); this
// file follows each one through the snapshot:
//   Service (nodeport/l2/bgp/loadbalancer/externalip):
//     client -> address -> [announcer (l2) | next hops (bgp)] -> Service
//   Ingress:   client -> address -> gateway (the Ingress, its controller) -> Services
//   Route:     client -> address -> gateway (the parent Gateway) -> route -> Services
//   Gateway:   client -> address -> gateway
//   Pod on the LAN (Multus macvlan/ipvlan): client -> address (its LAN address) -> Pod
//   hostNetwork/hostPort workload: client -> address (its nodes) -> gateway (the workload)
//     -> the Service it forwards to (exposectl's own gateways) or its own Pods
//   Service -> EndpointSlice -> Pod (ready or not, on its Node), or Service -> Pod from
//   the selector when the input has no EndpointSlice.
// The client's source IP is lost on the node hop of externalTrafficPolicy Cluster
// (SNAT) and on a TCP/UDP/TLS proxy hop (hostNetwork gateway, TCPRoute/TLSRoute/
// UDPRoute), which exposectl cannot see sending PROXY protocol.

import { ingressBackends, routeBackends, type ServiceBackend } from '../discover/backends.js';
import { type CalicoBgp, calicoBgp, calicoPeerTexts } from '../discover/calico.js';
import {
  absenceIsFact,
  buildContext,
  type DiscoveryContext,
  findService,
  keyOf,
  labelsOf,
  nameOf,
  nodeAddresses,
  nsOf,
} from '../discover/context.js';
import { type EndpointFacts, serviceEndpoints, workloadPods } from '../discover/endpoints.js';
import { gatewayApiFacts, type RouteFact } from '../discover/gateway-api.js';
import { discoverExposures } from '../discover/index.js';
import { virtualServiceBackends } from '../discover/istio.js';
import { proxyGateways, resolveTarget } from '../discover/paths.js';
import { podFact } from '../discover/pod-facts.js';
import { mapSelects } from '../discover/selectors.js';
import { serviceFact } from '../discover/services.js';
import { readSlice } from '../discover/slice-facts.js';
import type { Exposure, ExposurePort } from '../model/exposure.js';
import type { Ingress, Pod, Service, Snapshot, Workload } from '../model/snapshot.js';
import type { Topology, TopologyNode } from '../model/topology.js';
import { backendLabel, isStreamRoute, workloadTarget } from './backends.js';
import { calicoHops } from './calico-hops.js';
import { drawDnsNames } from './dns.js';
import type { Drawing } from './drawing.js';
import { drawEmissaryHost, drawMapping } from './emissary.js';
import { GraphBuilder } from './graph.js';
import { bgpHops, bgpPeers, type Hop, l2Hops } from './hops.js';
import { drawIstioGateway, drawVirtualService } from './istio.js';
import { drawLanPod } from './lan.js';

export interface ServiceRef {
  namespace: string;
  name: string;
}

export const CLIENT_ID = 'client';

const SNAT_NOTE = 'externalTrafficPolicy Cluster: the node may forward to another node and SNATs the client address';
const LOCAL_NOTE = 'externalTrafficPolicy Local: the node delivers to its own Pods and keeps the client address';
const HTTP_NOTE = 'HTTP proxy: the client address travels in X-Forwarded-For when the proxy saw it';
const TCP_PROXY_NOTE =
  'TCP proxy: the backend sees the proxy address unless it sends PROXY protocol (not visible in the input)';

/** Pre-computed lookups for one build. */
class Builder {
  readonly g = new GraphBuilder();
  readonly ctx: DiscoveryContext;
  private readonly facts = new Map<string, EndpointFacts>();
  private readonly done = new Set<string>();
  private readonly podsByKey = new Map<string, Pod>();
  private readonly nodeAddrs = new Map<string, string[]>();
  private readonly exposureByObject = new Map<string, Exposure>();
  private readonly ingresses = new Map<string, Ingress>();
  private readonly routes = new Map<string, RouteFact>();
  private readonly workloads = new Map<string, Workload>();
  private peers: string[] | undefined;
  private calico: CalicoBgp | null | undefined;

  constructor(
    readonly snapshot: Snapshot,
    readonly exposures: Exposure[],
  ) {
    this.ctx = buildContext(snapshot);
    for (const p of snapshot.pods) this.podsByKey.set(keyOf(nsOf(p), nameOf(p)), p);
    for (const n of this.ctx.nodes) this.nodeAddrs.set(nameOf(n), nodeAddresses(n));
    for (const e of exposures) this.exposureByObject.set(objKey(e.kind, e.namespace ?? '', e.name), e);
    for (const i of snapshot.ingresses) this.ingresses.set(keyOf(nsOf(i), nameOf(i)), i);
    for (const r of gatewayApiFacts(this.ctx).routes) this.routes.set(objKey(r.kind, r.namespace, r.name), r);
    for (const w of snapshot.workloads) this.workloads.set(objKey(w.kind, nsOf(w), nameOf(w)), w);
  }

  endpointFacts(svc: Service): EndpointFacts {
    const k = keyOf(nsOf(svc), nameOf(svc));
    let f = this.facts.get(k);
    if (!f) this.facts.set(k, (f = serviceEndpoints(this.ctx, svc)));
    return f;
  }

  client(): string {
    this.g.node({ id: CLIENT_ID, kind: 'client', label: 'client', namespace: null });
    return CLIENT_ID;
  }

  /** The address node of an exposure; exposures with the same addresses meet on one node. */
  address(e: Exposure): string {
    const nodeBased = e.mode === 'nodeport' || e.mode === 'hostnetwork' || e.mode === 'hostport';
    const addrs = [...e.addresses].sort();
    let id: string;
    let label: string;
    if (addrs.length > 0) {
      id = `address:${nodeBased ? 'nodes:' : ''}${addrs.join(',')}`;
      label = addrs.length <= 3 ? addrs.join(', ') : `${addrs.slice(0, 2).join(', ')} +${addrs.length - 2}`;
    } else {
      id = `address:${e.kind}/${e.namespace ?? ''}/${e.name}`;
      label = e.status === 'pending' ? '<pending>' : nodeBased ? '<every node>' : '<not in the input>';
    }
    const details = nodeBased
      ? [`node addresses: ${addrs.join(', ') || 'not in the input'}`]
      : addrs.length > 3
        ? [addrs.join(', ')]
        : [];
    if (e.mode === 'bgp' && e.implementation === 'calico') {
      const calico = (this.calico ??= calicoBgp(this.ctx) ?? null);
      const peers = calico ? calicoPeerTexts(calico) : [];
      details.push(
        peers.length > 0 ? `BGP peers (Calico): ${peers.join(', ')}` : 'BGP peers (Calico): none with a peerIP',
      );
    } else if (e.mode === 'bgp') {
      this.peers ??= bgpPeers(this.ctx);
      if (this.peers.length > 0) details.push(`BGP peers: ${this.peers.join(', ')}`);
    }
    this.g.node({
      id,
      kind: 'address',
      label,
      namespace: null,
      addresses: addrs,
      modes: [e.mode],
      status: e.status,
      ...(details.length > 0 ? { details } : {}),
    });
    return id;
  }

  service(ref: ServiceRef, status?: Exposure['status']): string {
    const id = `service:${ref.namespace}/${ref.name}`;
    const node = {
      id,
      kind: 'service',
      label: `${ref.namespace}/${ref.name}`,
      namespace: ref.namespace,
      name: ref.name,
      objectKind: 'Service',
    } as const;
    const svc = findService(this.ctx, ref.namespace, ref.name);
    if (!svc) {
      this.g.node({
        ...node,
        status: absenceIsFact(this.ctx, 'Service', ref.namespace) ? 'broken' : 'unknown',
        details: [this.ctx.live ? 'not found' : 'not in the input'],
      });
      return id;
    }
    const sf = serviceFact(this.ctx, svc);
    const type = sf.type;
    const details = [`type ${type}`];
    if (sf.clusterIP) details.push(`clusterIP ${sf.clusterIP}`);
    const ports = sf.ports.map((p) => {
      const t = p.targetPort;
      return `${p.port}${p.nodePort !== undefined ? `:${p.nodePort}` : ''}/${p.protocol}${t !== undefined && t !== p.port ? ` -> ${t}` : ''}`;
    });
    if (ports.length > 0) details.push(`ports ${ports.join(', ')}`);
    if (type === 'LoadBalancer' || type === 'NodePort' || sf.externalIPs.length > 0) {
      details.push(`externalTrafficPolicy ${sf.externalTrafficPolicy}`);
    }
    const affinity = sf.traffic.sessionAffinity;
    if (affinity && affinity !== 'None') details.push(`sessionAffinity ${affinity}`);
    const facts = this.endpointFacts(svc);
    if (facts.endpoints) details.push(`endpoints ${facts.endpoints.ready}/${facts.endpoints.total} ready`);
    this.g.node({
      ...node,
      ...(status ? { status } : {}),
      details,
    });
    if (!this.done.has(id)) {
      this.done.add(id);
      this.endpoints(id, svc);
    }
    return id;
  }

  /** Service -> EndpointSlice -> Pod, or Service -> Pod from the selector. */
  private endpoints(serviceId: string, svc: Service): void {
    const ns = nsOf(svc);
    const slices = this.ctx.slicesByService.get(keyOf(ns, nameOf(svc))) ?? [];
    if (slices.length > 0) {
      for (const sl of slices.map(readSlice)) {
        const sliceId = `endpointslice:${ns}/${sl.name}`;
        const ports = sl.ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`);
        this.g.node({
          id: sliceId,
          kind: 'endpointslice',
          label: sl.name,
          namespace: ns,
          name: sl.name,
          objectKind: 'EndpointSlice',
          details: [`addressType ${sl.addressType}`, ...(ports.length > 0 ? [`ports ${ports.join(', ')}`] : [])],
        });
        this.g.edge(serviceId, sliceId);
        for (const ep of sl.endpoints) {
          const { addresses, ready } = ep;
          const podName = ep.pod?.name;
          const name = podName ?? addresses[0] ?? 'endpoint';
          const pod = podName ? this.podsByKey.get(keyOf(ep.pod?.namespace ?? ns, podName)) : undefined;
          const node = ep.nodeName ?? (pod ? podFact(this.ctx, pod).nodeName : undefined);
          const details: string[] = [];
          if (ep.terminating) details.push('terminating');
          const podId = `pod:${ns}/${name}`;
          this.g.node({
            id: podId,
            kind: 'pod',
            label: name,
            namespace: ns,
            name,
            objectKind: podName ? 'Pod' : 'Endpoint',
            ready,
            addresses,
            ...(node ? { node } : {}),
            ...(details.length > 0 ? { details } : {}),
          });
          this.g.edge(sliceId, podId, ready ? {} : { notReady: true, label: 'not ready' });
        }
      }
      return;
    }
    const selector = serviceFact(this.ctx, svc).selector;
    if (Object.keys(selector).length === 0) return;
    for (const p of (this.ctx.podsByNamespace.get(ns) ?? []).filter((x) => mapSelects(selector, labelsOf(x))))
      this.pod(serviceId, p);
  }

  /** A Pod known from its object (selector or workload), ready from its conditions when it has a status. */
  pod(fromId: string, p: Pod): void {
    const { ready, nodeName: node, podIP: ip } = podFact(this.ctx, p);
    const id = `pod:${nsOf(p)}/${nameOf(p)}`;
    this.g.node({
      id,
      kind: 'pod',
      label: nameOf(p),
      namespace: nsOf(p),
      name: nameOf(p),
      objectKind: 'Pod',
      ...(ready !== undefined ? { ready } : {}),
      ...(node ? { node } : {}),
      ...(ip ? { addresses: [ip] } : {}),
    });
    this.g.edge(fromId, id, ready === false ? { notReady: true, label: 'not ready' } : {});
  }

  hop(kind: 'announcer' | 'nexthop', addressId: string, h: Hop): string {
    // Hops are per address: the same node announcing two addresses is drawn twice, so
    // that a path never picks up another address's Services.
    const key = h.node ?? (h.count ? `${h.count} nodes` : '?');
    const id = `${kind}:${addressId.slice('address:'.length)}/${key}`;
    const details = [...(h.detail ? [h.detail] : []), ...(h.peers ? [`peers: ${h.peers.join(', ')}`] : [])];
    const addrs = h.node ? (this.nodeAddrs.get(h.node) ?? []) : [];
    this.g.node({
      id,
      kind,
      namespace: null,
      label: h.node ?? (h.count ? `${h.count} nodes` : kind === 'announcer' ? 'elected node' : 'speaker nodes'),
      ...(h.node ? { node: h.node, objectKind: 'Node' } : { unknown: true }),
      ...(addrs.length > 0 ? { addresses: addrs } : {}),
      ...(h.interface ? { interface: h.interface } : {}),
      ...(h.mac ? { mac: h.mac } : {}),
      ...(details.length > 0 ? { details } : {}),
    });
    return id;
  }

  serviceExposure(e: Exposure): void {
    const ref = e.service ?? { namespace: e.namespace ?? 'default', name: e.name };
    const svc = findService(this.ctx, ref.namespace, ref.name);
    const addr = this.address(e);
    this.g.edge(this.client(), addr, { label: clientPorts(e) });
    const serviceId = this.service(ref, e.status);
    const local = svc ? serviceFact(this.ctx, svc).externalTrafficPolicy === 'Local' : false;
    const toService = { label: servicePorts(e), sourceIpLost: !local, note: local ? LOCAL_NOTE : SNAT_NOTE };
    const facts = svc ? this.endpointFacts(svc) : undefined;
    let hops: Array<{ id: string; label: string }> = [];
    if (svc && facts && e.mode === 'l2') {
      const proto = e.addresses.some((a) => a.includes(':')) ? 'NDP' : 'ARP';
      hops = l2Hops(this.ctx, svc, facts).map((h) => ({
        id: this.hop('announcer', addr, h),
        label: `${proto}${h.interface ? ` on ${h.interface}` : ''}`,
      }));
    } else if (
      svc &&
      facts &&
      e.mode === 'bgp' &&
      e.implementation === 'calico' &&
      (this.calico ??= calicoBgp(this.ctx) ?? null)
    ) {
      hops = calicoHops(this.ctx, this.calico, svc, facts).map((h) => ({
        id: this.hop('nexthop', addr, h),
        label: 'BGP route (Calico)',
      }));
    } else if (svc && facts && e.mode === 'bgp') {
      hops = bgpHops(this.ctx, svc, facts).map((h) => ({ id: this.hop('nexthop', addr, h), label: 'BGP route' }));
    }
    if (hops.length === 0) {
      this.g.edge(addr, serviceId, toService);
      return;
    }
    for (const h of hops) {
      this.g.edge(addr, h.id, { label: h.label });
      this.g.edge(h.id, serviceId, toService);
    }
  }

  gatewayNode(kind: string, namespace: string, name: string, e: Exposure | undefined, details: string[] = []): string {
    const id = `gateway:${kind}/${namespace}/${name}`;
    // A live read of one namespace does not see a Gateway in another (routes may attach
    // across namespaces): missing is only a fact where the snapshot holds that namespace.
    const group = details.includes('networking.istio.io') ? 'networking.istio.io' : 'gateway.networking.k8s.io';
    const missing =
      !e && (this.ctx.live ? this.namespaceRead(namespace) : absenceIsFact(this.ctx, `${group}/${kind}`, namespace));
    this.g.node({
      id,
      kind: 'gateway',
      label: `${namespace}/${name}`,
      namespace,
      name,
      objectKind: kind,
      implementation: e?.implementation ?? null,
      ...(e
        ? { status: e.status }
        : {
            status: missing ? 'broken' : 'unknown',
            details: [
              !this.ctx.live ? 'not in the input' : missing ? 'not found' : `namespace ${namespace} not read (use -A)`,
            ],
          }),
      ...(details.length > 0 ? { details } : {}),
    });
    return id;
  }

  private namespaces: Set<string> | undefined;
  /** Whether the snapshot holds objects of the namespace (a live read of -n X holds only X). */
  namespaceRead(namespace: string): boolean {
    if (!this.namespaces) {
      const s = this.snapshot;
      this.namespaces = new Set(
        [...s.services, ...s.pods, ...s.gateways, ...s.routes, ...s.ingresses, ...s.endpointSlices].map((o) => nsOf(o)),
      );
    }
    return this.namespaces.has(namespace);
  }

  /** client -> address -> gateway for an exposure that is itself a gateway (Ingress, Gateway, workload). */
  gatewayEntry(e: Exposure, details: string[] = []): string {
    const gw = this.gatewayNode(e.kind, e.namespace ?? 'default', e.name, e, details);
    const addr = this.address(e);
    this.g.edge(this.client(), addr, { label: clientPorts(e) });
    const hostLike = e.mode === 'hostnetwork' || e.mode === 'hostport';
    this.g.edge(addr, gw, {
      label: clientPorts(e),
      ...(hostLike ? { note: 'the gateway Pod receives the client packets on the node itself' } : {}),
    });
    return gw;
  }

  ingressExposure(e: Exposure, only?: ServiceRef): void {
    const ing = this.ingresses.get(keyOf(e.namespace ?? 'default', e.name));
    const hosts = e.hosts ?? [];
    const gw = this.gatewayEntry(e, [...(hosts.length > 0 ? [`hosts ${hosts.join(', ')}`] : [])]);
    for (const b of ing ? ingressBackends(ing) : []) this.backend(gw, b, only, false);
  }

  istioVirtualService(e: Exposure, only?: ServiceRef): void {
    const vs = this.snapshot.istio.virtualServices
      .filter((v) => nsOf(v) === e.namespace && nameOf(v) === e.name)
      .at(-1);
    if (vs) drawVirtualService(this.drawing(), e, vs, only);
  }

  istioGateway(e: Exposure): void {
    const gw = this.snapshot.istio.gateways.filter((g) => nsOf(g) === e.namespace && nameOf(g) === e.name).at(-1);
    if (gw) drawIstioGateway(this.drawing(), e, gw);
  }

  emissaryExposure(e: Exposure, only?: ServiceRef): void {
    const d = this.drawing();
    if (e.kind === 'Host') return drawEmissaryHost(d, e);
    const m = this.snapshot.emissary.mappings.filter((x) => nsOf(x) === e.namespace && nameOf(x) === e.name).at(-1);
    if (m) drawMapping(d, e, m, only);
  }

  lanExposure(e: Exposure): void {
    const p = this.podsByKey.get(keyOf(e.namespace ?? 'default', e.name));
    if (!p) return;
    drawLanPod(this.drawing(), e, p);
  }

  /** The builder's pieces for the files that draw one implementation's path. */
  drawing(): Drawing {
    return {
      ctx: this.ctx,
      client: () => this.client(),
      address: (x) => this.address(x),
      service: (r, st) => this.service(r, st),
      gatewayNode: (...a) => this.gatewayNode(...a),
      backend: (...a) => this.backend(...a),
      pod: (from, x) => this.pod(from, x),
      node: (n) => this.g.node(n as never),
      edge: (f, t, x) => this.g.edge(f, t, x as never),
      exposureOf: (k, impl, ns, n) =>
        this.exposures.find((x) => x.kind === k && x.implementation === impl && x.namespace === ns && x.name === n),
    };
  }

  backend(fromId: string, b: ServiceBackend, only: ServiceRef | undefined, stream: boolean): void {
    if (only && (b.namespace !== only.namespace || b.service !== only.name)) return;
    const id = this.service({ namespace: b.namespace, name: b.service });
    this.g.edge(fromId, id, {
      label: backendLabel(b),
      sourceIpLost: stream,
      note: stream ? TCP_PROXY_NOTE : HTTP_NOTE,
    });
  }

  gatewayExposure(e: Exposure): string {
    const ports = e.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol}`);
    return this.gatewayEntry(e, [...(ports.length > 0 ? [`listeners ${ports.join(', ')}`] : [])]);
  }

  routeExposure(e: Exposure, only?: ServiceRef): void {
    const route = this.routes.get(objKey(e.kind, e.namespace ?? 'default', e.name));
    if (!route) return;
    const routeId = `route:${e.kind}/${e.namespace}/${e.name}`;
    const hosts = e.hosts ?? [];
    this.g.node({
      id: routeId,
      kind: 'route',
      label: `${e.namespace}/${e.name}`,
      namespace: e.namespace,
      name: e.name,
      objectKind: e.kind,
      implementation: e.implementation,
      status: e.status,
      ...(hosts.length > 0 ? { details: [`hostnames ${hosts.join(', ')}`] } : {}),
    });
    const parents = route.parentRefs;
    for (const p of parents) {
      const gwExposure = this.exposureByObject.get(objKey('Gateway', p.namespace, p.name));
      const gw = gwExposure
        ? this.gatewayExposure(gwExposure)
        : this.gatewayNode('Gateway', p.namespace, p.name, undefined);
      this.g.edge(gw, routeId, { label: p.sectionName ?? routeListenerPorts(e.ports) });
    }
    if (parents.length === 0) this.g.edge(this.client(), routeId);
    const stream = isStreamRoute(e.kind);
    for (const b of routeBackends(route)) this.backend(routeId, b, only, stream);
  }

  private links: Map<string, ProxyLink[]> | undefined;

  workloadExposure(e: Exposure, only?: ServiceRef): void {
    const key = objKey(e.kind, e.namespace ?? 'default', e.name);
    const w = this.workloads.get(key);
    const gw = this.gatewayEntry(e, [e.mode === 'hostnetwork' ? 'hostNetwork' : 'hostPort']);
    if (!w) return;
    this.links ??= proxyLinks(this.ctx);
    const links = (this.links.get(key) ?? []).filter(
      (l) => !only || (l.service.namespace === only.namespace && l.service.name === only.name),
    );
    for (const l of links)
      this.g.edge(gw, this.service(l.service), { label: l.label, sourceIpLost: l.sourceIpLost, note: l.note });
    // exposectl's own gateways name their Service in labels; the configuration, when the
    // snapshot has it, says more (ports, PROXY protocol) and wins.
    const target = workloadTarget(w);
    const sameRef = (a: ServiceRef, b: ServiceRef) => a.namespace === b.namespace && a.name === b.name;
    if (target && (!only || sameRef(target, only)) && !links.some((l) => sameRef(l.service, target))) {
      this.g.edge(gw, this.service(target), { label: servicePorts(e), sourceIpLost: true, note: TCP_PROXY_NOTE });
    }
    if (target || links.length > 0) return;
    for (const p of workloadPods(this.ctx, w)) this.pod(gw, p);
  }
}

export interface ProxyLink {
  service: ServiceRef;
  label: string;
  sourceIpLost: boolean;
  note: string;
}

/**
 * Where hostNetwork/hostPort HAProxy and nginx gateways forward, read from the
 * configuration they mount (the analyzers' parser): the Service behind each forward
 * (by DNS name, ClusterIP, LoadBalancer or external IP, or a nodePort), and whether the
 * client address survives (TCP: PROXY protocol sent; HTTP: X-Forwarded-For added).
 * Keyed by workload (kind/namespace/name).
 */
export function proxyLinks(ctx: DiscoveryContext): Map<string, ProxyLink[]> {
  const out = new Map<string, ProxyLink[]>();
  for (const pg of proxyGateways(ctx)) {
    const w = pg.workload;
    const key = objKey(w.kind, nsOf(w), nameOf(w));
    for (const f of pg.config.forwards) {
      const target = resolveTarget(ctx, f.host, f.port, nsOf(w));
      if (!target) continue;
      const kept = f.mode === 'tcp' ? f.sendProxy !== false : f.forwardedFor;
      const note =
        f.mode === 'tcp'
          ? kept
            ? `TCP proxy sends PROXY protocol ${f.sendProxy} (${pg.configMap.metadata.name}/${pg.file}:${f.line}): the backend must expect it`
            : `TCP proxy without PROXY protocol (${pg.configMap.metadata.name}/${pg.file}:${f.line}): the backend sees the proxy address`
          : kept
            ? `HTTP proxy adds X-Forwarded-For (${pg.configMap.metadata.name}/${pg.file}:${f.line})`
            : `HTTP proxy without X-Forwarded-For (${pg.configMap.metadata.name}/${pg.file}:${f.line}): the backend sees the proxy address`;
      const from = f.fromPorts.length > 0 ? `:${f.fromPorts.join(',')} ` : '';
      let list = out.get(key);
      if (!list) out.set(key, (list = []));
      list.push({
        service: { namespace: nsOf(target.service), name: nameOf(target.service) },
        label: `${from}-> ${f.host}${f.port !== undefined ? `:${f.port}` : ''}`,
        sourceIpLost: !kept,
        note,
      });
    }
  }
  return out;
}

function objKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function portText(p: ExposurePort, nodePort: boolean): string {
  return `${nodePort && p.nodePort ? p.nodePort : p.port}/${p.protocol}`;
}

/** What the client connects to: nodePorts for NodePort, else the ports. */
function clientPorts(e: Exposure): string {
  return [...new Set(e.ports.map((p) => portText(p, e.mode === 'nodeport')))].join(', ');
}

function servicePorts(e: Exposure): string {
  return [...new Set(e.ports.map((p) => portText(p, e.mode === 'nodeport')))].join(', ');
}

function routeListenerPorts(ports: ExposurePort[]): string {
  return [...new Set(ports.map((p) => `${p.name ?? ''}${p.name ? ' ' : ''}${p.port}/${p.protocol}`))].join(', ');
}

const SERVICE_MODES = new Set(['nodeport', 'l2', 'bgp', 'loadbalancer', 'externalip']);

/** The exposures that lead to the Service: its own, Ingresses and routes with it as a backend, gateways forwarding to it. */
export function exposuresOf(snapshot: Snapshot, exposures: Exposure[], ref: ServiceRef): Exposure[] {
  const same = (b: { namespace: string; service?: string; name?: string }) =>
    b.namespace === ref.namespace && (b.service ?? b.name) === ref.name;
  const ingresses = new Map(snapshot.ingresses.map((i) => [keyOf(nsOf(i), nameOf(i)), i]));
  const ctx = buildContext(snapshot);
  const routes = new Map(gatewayApiFacts(ctx).routes.map((r) => [objKey(r.kind, r.namespace, r.name), r]));
  const workloads = new Map(snapshot.workloads.map((w) => [objKey(w.kind, nsOf(w), nameOf(w)), w]));
  let links: Map<string, ProxyLink[]> | undefined;
  return exposures.filter((e) => {
    if (e.kind === 'Service' && SERVICE_MODES.has(e.mode)) return e.namespace === ref.namespace && e.name === ref.name;
    if (e.kind === 'Ingress') {
      const ing = ingresses.get(keyOf(e.namespace ?? 'default', e.name));
      return ing ? ingressBackends(ing).some(same) : false;
    }
    if (e.mode === 'gateway' && e.kind !== 'Gateway') {
      const r = routes.get(objKey(e.kind, e.namespace ?? 'default', e.name));
      return r ? routeBackends(r).some(same) : false;
    }
    if (e.kind === 'VirtualService' && e.implementation === 'istio') {
      const vs = snapshot.istio.virtualServices.find((v) => nsOf(v) === e.namespace && nameOf(v) === e.name);
      return vs ? virtualServiceBackends(vs).some(same) : false;
    }
    if (e.kind === 'Mapping' && e.implementation === 'emissary') return e.service ? same(e.service) : false;
    if (e.kind === 'Gateway') return e.service ? same(e.service) : false;
    if (e.mode === 'hostnetwork' || e.mode === 'hostport') {
      const key = objKey(e.kind, e.namespace ?? 'default', e.name);
      const w = workloads.get(key);
      const t = w ? workloadTarget(w) : undefined;
      if (t && same(t)) return true;
      links ??= proxyLinks(ctx);
      return (links.get(key) ?? []).some((l) => same(l.service));
    }
    return false;
  });
}

export interface BuildOptions {
  /** Only this Service and the exposures that lead to it. */
  service?: ServiceRef;
  /** Exposures already discovered for this snapshot (saves a discovery pass). */
  exposures?: Exposure[];
  /** Only the exposures of this namespace (files hold every namespace; a live read is already scoped). */
  namespace?: string;
}

/** Whether the snapshot has the Service (the last one read, as kubectl apply would leave it). */
export function hasService(snapshot: Snapshot, ref: ServiceRef): boolean {
  return snapshot.services.some((s) => nsOf(s) === ref.namespace && nameOf(s) === ref.name);
}

export function buildTopology(snapshot: Snapshot, options: BuildOptions = {}): Topology {
  const all = options.exposures ?? discoverExposures(snapshot);
  const only = options.service;
  const scoped =
    options.namespace === undefined
      ? all
      : all.filter((e) => e.namespace === options.namespace || e.namespace === null);
  const exposures = only ? exposuresOf(snapshot, all, only) : scoped;
  const b = new Builder(snapshot, all);
  for (const e of exposures) {
    if (e.kind === 'Service' && SERVICE_MODES.has(e.mode)) b.serviceExposure(e);
    else if (e.kind === 'Ingress') b.ingressExposure(e, only);
    else if (e.kind === 'VirtualService' && e.implementation === 'istio') b.istioVirtualService(e, only);
    else if (e.kind === 'Gateway' && e.implementation === 'istio') b.istioGateway(e);
    else if (e.kind === 'Gateway') {
      const gw = b.gatewayExposure(e);
      // A Gateway's own data-plane Service, when the topology is about that Service.
      if (only && e.service) b.g.edge(gw, b.service(e.service), { label: 'data plane' });
    } else if (e.mode === 'gateway') b.routeExposure(e, only);
    else if (e.mode === 'hostnetwork' || e.mode === 'hostport') b.workloadExposure(e, only);
    else if (e.mode === 'lan') b.lanExposure(e);
    else if (e.implementation === 'emissary') b.emissaryExposure(e, only);
  }
  if (only) b.service(only);
  drawDnsNames(b.g, b.ctx, CLIENT_ID);
  return b.g.build(only ?? null);
}

/** The topology nodes of one kind, in order (for renderers and tests). */
export function nodesOfKind(t: Topology, kind: TopologyNode['kind']): TopologyNode[] {
  return t.nodes.filter((n) => n.kind === kind);
}
