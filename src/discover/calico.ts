// Calico in BGP mode ("just expose"): which Service addresses Calico's BIRD advertises to
// its BGP peers, and the `bgp` rows (implementation `calico`) they make. Pure.
//
// What Calico does (its "Advertise Kubernetes service IP addresses" reference):
// - Only the BGPConfiguration named `default` carries the Service ranges:
//   `serviceClusterIPs`, `serviceExternalIPs`, `serviceLoadBalancerIPs` (lists of {cidr}).
//   An address outside them is not advertised at all.
// - externalTrafficPolicy Local: each node advertises the /32 (/128) of the address only
//   when it hosts a ready endpoint. Cluster: every node advertises (the whole range, or
//   the LoadBalancer /32s when serviceLoadBalancerAggregation is Disabled).
// - Routes leave the cluster only through BGPPeers with a peerIP (routers, ToR switches);
//   the node-to-node mesh (and peerSelector peerings) only reach other nodes.
// - Calico runs BGP unless calico-node's CALICO_NETWORKING_BACKEND is `vxlan` or `none`.
import type { Exposure } from '../model/exposure.js';
import type { Custom, Service, Workload } from '../model/snapshot.js';
import { arr, type DiscoveryContext, int, nameOf, nsOf, podSpecOf, rec, specOf, str } from './context.js';
import { serviceEndpoints } from './endpoints.js';
import { loadBalancerAddresses } from './implementation.js';
import { isIPAddress, parseRange, rangeContains } from './ip.js';
import { servicePorts } from './service-exposures.js';
import { serviceSourceIP } from './source-ip.js';
import { judgeEndpoints, StatusBuilder } from './status.js';

/** Calico's default AS number when neither the BGPConfiguration nor the node sets one. */
export const CALICO_DEFAULT_AS = 64512;
export const CALICO_API = 'crd.projectcalico.org/v1';
/** The one BGPConfiguration whose Service ranges Calico honours. */
export const CALICO_DEFAULT_CONFIG = 'default';

export type CalicoAddressKind = 'cluster' | 'external' | 'loadbalancer';
export const CALICO_RANGE_FIELD: Record<CalicoAddressKind, string> = {
  cluster: 'serviceClusterIPs',
  external: 'serviceExternalIPs',
  loadbalancer: 'serviceLoadBalancerIPs',
};

export interface CalicoBgp {
  /** What shows Calico's BGP runs: "BGPConfiguration default", "DaemonSet kube-system/calico-node", ... */
  evidence: string[];
  /** The BGPConfiguration `default`, when present. */
  config: Custom | undefined;
  /** CIDRs of each Service range of the default BGPConfiguration. */
  ranges: Record<CalicoAddressKind, string[]>;
  /** serviceLoadBalancerAggregation Enabled (Calico's default): the range is advertised, not each /32 (Cluster policy). */
  aggregation: boolean;
  /** BGPPeers towards routers (peerIP set): the only way routes leave the cluster. */
  routerPeers: Custom[];
  /** The BGPPeer kind is known (live, present in the input, or an input holding Nodes). */
  peersKnown: boolean;
  asNumber: number;
  nodeToNodeMesh: boolean;
  /** IPPools Calico's kube-controllers assign LoadBalancer addresses from (allowedUses LoadBalancer). */
  loadBalancerPools: Custom[];
}

/** Does a workload run calico-node, and with which networking backend (bird unless set otherwise)? */
export function calicoNodeBackend(w: Workload | Custom): string | undefined {
  for (const c of arr(podSpecOf(w).containers).map(rec)) {
    const image = str(c.image) ?? '';
    // docker.io/calico/node:v3.30.3, quay.io/calico/node, and mirrors named .../calico-node.
    if (!/(^|\/)calico[/-]node(:|@|$)/.test(image)) continue;
    const env = arr(c.env)
      .map(rec)
      .find((e) => e.name === 'CALICO_NETWORKING_BACKEND');
    return str(env?.value) ?? 'bird';
  }
  return undefined;
}

/** What the snapshot says about Calico's BGP, or undefined when nothing shows Calico runs BGP. */
export function calicoBgp(ctx: DiscoveryContext): CalicoBgp | undefined {
  const { bgpConfigurations, bgpPeers, ipPools } = ctx.snapshot.calico;
  const evidence: string[] = [];
  // The last one read wins (files holding alternatives), as `kubectl apply` would leave it.
  const config = bgpConfigurations.filter((c) => nameOf(c) === CALICO_DEFAULT_CONFIG).at(-1);
  if (config) evidence.push(`BGPConfiguration ${CALICO_DEFAULT_CONFIG}`);
  let nonBgpBackend = false;
  for (const w of ctx.snapshot.workloads) {
    const backend = calicoNodeBackend(w);
    if (backend === undefined) continue;
    if (backend === 'bird') evidence.push(`${w.kind} ${nsOf(w)}/${nameOf(w)}`);
    else nonBgpBackend = true;
  }
  if (bgpPeers.length > 0) evidence.push(`BGPPeer ${bgpPeers.map(nameOf).join(', ')}`);
  if (evidence.length === 0 || (nonBgpBackend && !config && bgpPeers.length === 0)) return undefined;
  const spec = specOf(config ?? {});
  const cidrs = (field: string) =>
    arr(spec[field])
      .map((r) => str(rec(r).cidr))
      .filter((c): c is string => !!c && !!parseRange(c));
  const nodeNames = new Set(ctx.nodes.map(nameOf));
  const routerPeers = bgpPeers.filter((p) => {
    const s = specOf(p);
    if (!str(s.peerIP)) return false;
    // A peer pinned to a node that does not exist peers from nowhere.
    const node = str(s.node);
    return !(node && ctx.nodesKnown && ctx.nodes.length > 0 && !nodeNames.has(node));
  });
  return {
    evidence,
    config,
    ranges: {
      cluster: cidrs('serviceClusterIPs'),
      external: cidrs('serviceExternalIPs'),
      loadbalancer: cidrs('serviceLoadBalancerIPs'),
    },
    aggregation: spec.serviceLoadBalancerAggregation !== 'Disabled',
    routerPeers,
    peersKnown: ctx.nodesKnown || bgpPeers.length > 0,
    asNumber: int(spec.asNumber) ?? CALICO_DEFAULT_AS,
    nodeToNodeMesh: spec.nodeToNodeMeshEnabled !== false,
    loadBalancerPools: ipPools.filter(
      (p) => specOf(p).disabled !== true && arr(specOf(p).allowedUses).includes('LoadBalancer'),
    ),
  };
}

/** The CIDR of a range list that holds the address, or undefined. */
export function coveringCidr(cidrs: readonly string[], address: string): string | undefined {
  return cidrs.find((c) => {
    const r = parseRange(c);
    return !!r && rangeContains(r, address);
  });
}

export interface CalicoAddress {
  address: string;
  kind: CalicoAddressKind;
  /** The range of the default BGPConfiguration that holds it; undefined: Calico does not advertise it. */
  cidr?: string;
}

/**
 * The addresses of a Service Calico could advertise, each with the range that covers it:
 * cluster IPs, external IPs, and the LoadBalancer addresses (assigned; from files without
 * status, the requested ones). Headless and ExternalName Services have none.
 */
export function calicoServiceAddresses(bgp: CalicoBgp, svc: Service): CalicoAddress[] {
  const spec = specOf(svc);
  const type = str(spec.type) ?? 'ClusterIP';
  if (type === 'ExternalName') return [];
  const out: CalicoAddress[] = [];
  const add = (kind: CalicoAddressKind, list: string[]) => {
    for (const address of new Set(list)) {
      if (!isIPAddress(address)) continue;
      const cidr = coveringCidr(bgp.ranges[kind], address);
      out.push({ address, kind, ...(cidr ? { cidr } : {}) });
    }
  };
  const clusterIPs = arr(spec.clusterIPs).filter((a): a is string => typeof a === 'string');
  add(
    'cluster',
    (clusterIPs.length > 0 ? clusterIPs : [str(spec.clusterIP) ?? '']).filter((a) => a !== 'None'),
  );
  add(
    'external',
    arr(spec.externalIPs).filter((a): a is string => typeof a === 'string'),
  );
  if (type === 'LoadBalancer') {
    const { assigned, requested } = loadBalancerAddresses(svc);
    add('loadbalancer', assigned.length > 0 ? assigned : requested);
  }
  return out;
}

/** The row of a Service whose addresses Calico advertises, or undefined when it advertises none. */
export function calicoExposure(ctx: DiscoveryContext, bgp: CalicoBgp, svc: Service): Exposure | undefined {
  const advertised = calicoServiceAddresses(bgp, svc).filter((a) => a.cidr);
  if (advertised.length === 0) return undefined;
  const b = new StatusBuilder();
  const facts = serviceEndpoints(ctx, svc);
  judgeEndpoints(b, facts, undefined, ctx.live);
  const where = [...new Set(advertised.map((a) => `${CALICO_RANGE_FIELD[a.kind]} ${a.cidr}`))].join(', ');
  if (bgp.peersKnown && bgp.routerPeers.length === 0) {
    b.broken.push(
      `Calico advertises it (${where}) but no BGPPeer with a peerIP takes the routes out of the cluster (the node-to-node mesh reaches only nodes)`,
    );
  } else if (!bgp.peersKnown) {
    b.unknown.push('BGPPeer not in the input');
  }
  b.notes.push(`advertised by Calico (BGPConfiguration ${CALICO_DEFAULT_CONFIG} ${where})`);
  const local = specOf(svc).externalTrafficPolicy === 'Local';
  // External traffic to a cluster IP is masqueraded by kube-proxy whatever the policy; for
  // external and LoadBalancer addresses the Service's policy decides.
  const onlyClusterIPs = advertised.every((a) => a.kind === 'cluster');
  const result = b.result();
  return {
    namespace: nsOf(svc),
    name: nameOf(svc),
    kind: 'Service',
    service: { namespace: nsOf(svc), name: nameOf(svc) },
    mode: 'bgp',
    implementation: 'calico',
    addresses: advertised.map((a) => a.address),
    ports: servicePorts(svc, false),
    endpoints: facts.endpoints,
    sourceIP: onlyClusterIPs ? 'unknown' : serviceSourceIP(svc),
    status: result.status,
    ...(result.reason
      ? {
          reason:
            result.status === 'ready' && local
              ? `${result.reason}; /32 only from nodes with a ready endpoint (externalTrafficPolicy Local)`
              : result.reason,
        }
      : {}),
  };
}

/** Every Calico BGP row of the snapshot (none when Calico's BGP is not in it). */
export function calicoExposures(ctx: DiscoveryContext): Exposure[] {
  const bgp = calicoBgp(ctx);
  if (!bgp) return [];
  return ctx.snapshot.services.map((s) => calicoExposure(ctx, bgp, s)).filter((e): e is Exposure => !!e);
}

/** Whether Calico advertises this address of the Service (for other judgements: it is announced). */
export function calicoAdvertises(ctx: DiscoveryContext, svc: Service, address: string): boolean {
  const bgp = calicoBgp(ctx);
  return !!bgp && calicoServiceAddresses(bgp, svc).some((a) => a.address === address && !!a.cidr);
}

/** Calico's router peers as "address (AS n)", for topology details. */
export function calicoPeerTexts(bgp: CalicoBgp): string[] {
  return bgp.routerPeers.map((p) => {
    const s = specOf(p);
    const asn = int(s.asNumber);
    return `${str(s.peerIP)}${asn !== undefined ? ` (AS ${asn})` : ''}${str(s.node) ? ` from ${str(s.node)}` : ''}`;
  });
}

/**
 * The rows with Calico's folded in: a LoadBalancer row whose implementation is unknown
 * (mode `loadbalancer`) and whose addresses Calico advertises is Calico's row (the address
 * came from Calico's IPAM or some other allocator; the path clients take is Calico's BGP).
 */
export function withCalicoRows(rows: Exposure[], calicoRows: Exposure[]): Exposure[] {
  if (calicoRows.length === 0) return rows;
  const byService = new Map(calicoRows.map((r) => [`${r.namespace}/${r.name}`, r]));
  const kept = rows.filter((r) => {
    if (r.kind !== 'Service' || r.mode !== 'loadbalancer' || r.implementation !== null) return true;
    const c = byService.get(`${r.namespace}/${r.name}`);
    return !(c && r.addresses.length > 0 && r.addresses.every((a) => c.addresses.includes(a)));
  });
  return [...kept, ...calicoRows];
}
