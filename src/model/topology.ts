// The Topology: the path traffic takes from a client outside the cluster to the Pods,
// as a graph (the document of `topology -o json`, schema: schemas/topology.schema.json).
//
//   client -> [DNS name ->] address -> announcer node (L2) / BGP next hops -> gateway (Ingress,
//   Gateway [-> route], hostNetwork workload) -> Service -> EndpointSlice -> Pod
//
// Pods carry the name of the Node they run on (`node`), so that renderers group them
// per Node. Edges carry `sourceIpLost` on the hops where the client's source address is
// replaced: a node that SNATs (externalTrafficPolicy Cluster), a TCP proxy that does not
// send PROXY protocol.
import type { ExposureStatus, Mode } from './exposure.js';

export const TOPOLOGY_API_VERSION = 'exposectl.dev/v1alpha1';

export const TOPOLOGY_NODE_KINDS = [
  'client',
  'name',
  'address',
  'announcer',
  'nexthop',
  'gateway',
  'route',
  'service',
  'endpointslice',
  'pod',
] as const;
export type TopologyNodeKind = (typeof TOPOLOGY_NODE_KINDS)[number];

export interface TopologyNode {
  /** Unique and stable: `<kind>:<key>` (e.g. `service:shop/web`, `pod:shop/web-1`, `announcer:node-1`). */
  id: string;
  kind: TopologyNodeKind;
  /** Short human label (the object's name, an address list, a node name). */
  label: string;
  /** Namespace of the Kubernetes object; null for cluster-scoped things (client, addresses, nodes). */
  namespace: string | null;
  /** The Kubernetes kind behind the node when there is one (Service, Ingress, Gateway, HTTPRoute, DaemonSet, Pod, Node...). */
  objectKind?: string;
  /** Object name (without namespace). */
  name?: string;
  /** Pods, announcers and next hops: the Node they are on. */
  node?: string;
  /** Pods (endpoints): ready or not; absent when the input does not say. */
  ready?: boolean;
  /** Services, gateways, routes and addresses: the status of the exposure (worst one when several meet). */
  status?: ExposureStatus;
  /** Addresses: the exposure modes that lead to it. */
  modes?: Mode[];
  /** The implementation (metallb, cilium, kube-vip, ingress-nginx, haproxy, ...) when known. */
  implementation?: string | null;
  /** Addresses: the IPs/hostnames; DNS names: their targets. Announcers and next hops: the node's addresses. */
  addresses?: string[];
  /** Announcers: the MAC address and interface that answer ARP/NDP, when known. */
  mac?: string;
  interface?: string;
  /** True for placeholders: the hop exists but the input does not say which node it is. */
  unknown?: boolean;
  /** Further facts, one per line ("type LoadBalancer", "externalTrafficPolicy Local"). */
  details?: string[];
}

export interface TopologyEdge {
  /** `<from>-><to>`; unique. */
  id: string;
  from: string;
  to: string;
  /** Ports, hosts/paths, "not ready": what travels on this hop. */
  label?: string;
  /** The client's source IP is replaced on this hop. */
  sourceIpLost: boolean;
  /** Why the source IP is lost or kept here (or why it cannot be told). */
  note?: string;
  /** Endpoint edges to a Pod that is not ready: traffic does not flow. */
  notReady?: boolean;
}

export interface Topology {
  apiVersion: typeof TOPOLOGY_API_VERSION;
  kind: 'Topology';
  /** The Service the topology was asked for, or null for every exposure. */
  service: { namespace: string; name: string } | null;
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

/** A short reason for a lost source IP, from the edge's note. */
export function lostReason(e: TopologyEdge): string {
  const note = e.note ?? '';
  if (note.startsWith('externalTrafficPolicy Cluster')) return 'SNAT on the node (externalTrafficPolicy Cluster)';
  if (note.startsWith('TCP proxy')) return 'TCP proxy, no PROXY protocol seen';
  return note || 'source IP replaced';
}
