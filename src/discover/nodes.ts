// What the snapshot says about each Node: readiness and the addresses the probes use. Pure.
import type { Node } from '../model/snapshot.js';
import { arr, type DiscoveryContext, defineFacts, nameOf, nodeAddresses, rec, statusOf, str } from './context.js';

/** Whether a node is Ready (condition Ready True); undefined when the node carries no conditions (manifests). */
export function nodeReady(node: Node): boolean | undefined {
  const c = arr(statusOf(node).conditions)
    .map(rec)
    .find((x) => x.type === 'Ready');
  return c ? c.status === 'True' : undefined;
}

/** The node's InternalIP (IPv4 first), the address kube-proxy's health check answers on; else its first address. */
export function nodeInternalIP(node: Node): string | undefined {
  const addrs = arr(statusOf(node).addresses).map(rec);
  const internal = addrs
    .filter((a) => a.type === 'InternalIP')
    .map((a) => str(a.address))
    .filter((a): a is string => !!a);
  return (
    internal.find((a) => !a.includes(':')) ??
    internal[0] ??
    addrs.map((a) => str(a.address)).find((a) => !!a && /^[0-9a-f.:]+$/i.test(a))
  );
}

export interface NodeAddress {
  node: string;
  address: string;
}

/** Every IPv4 address of every node (InternalIP first, then ExternalIP), the addresses the ARP probe resolves to MACs. */
export function nodeIPv4Addresses(nodes: readonly Node[]): NodeAddress[] {
  const out: NodeAddress[] = [];
  for (const n of nodes) {
    const addrs = arr(statusOf(n).addresses).map(rec);
    for (const type of ['InternalIP', 'ExternalIP']) {
      for (const a of addrs.filter((x) => x.type === type)) {
        const ip = str(a.address);
        if (ip && /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) && !out.some((o) => o.node === nameOf(n) && o.address === ip))
          out.push({ node: nameOf(n), address: ip });
      }
    }
  }
  return out;
}

export interface NodeAddressFacts {
  /** Every address the node reports, of any type, in order. */
  all: string[];
  /** The addresses clients use: ExternalIPs when it has any, else InternalIPs. */
  client: string[];
}

/** Every address the node reports, of any type (a Node read fresh, outside a snapshot, too). */
export function nodeAllAddresses(node: Node): string[] {
  return arr(statusOf(node).addresses)
    .map((a) => str(rec(a).address))
    .filter((a): a is string => !!a);
}

/** The addresses of each node of the snapshot, by node name. */
export const nodeAddressFacts = defineFacts(
  'node-addresses',
  (ctx: DiscoveryContext): Map<string, NodeAddressFacts> =>
    new Map(ctx.nodes.map((n) => [nameOf(n), { all: nodeAllAddresses(n), client: nodeAddresses(n) }])),
);
