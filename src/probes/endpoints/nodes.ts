// Endpoints per node for one Service, from its EndpointSlices (else its Pods), and which
// nodes receive its external traffic. Pure: reuses discover's lookups and rules.
import { arr, type DiscoveryContext, keyOf, labelsOf, nameOf, nsOf, rec, specOf, statusOf, str, strMap } from '../../discover/context.js';
import { serviceEndpoints } from '../../discover/endpoints.js';
import { mapSelects } from '../../discover/selectors.js';
import type { Node, Service } from '../../model/snapshot.js';

export interface NodeEndpoints {
  node: string;
  /** Ready endpoints on this node (EndpointSlice conditions.ready not false). */
  ready: number;
  /** Endpoints on this node that are not ready (starting, failing their readiness probe, terminating). */
  notReady: number;
}

export interface ServiceEndpointsByNode {
  /** Where the facts come from: 'endpointslices', 'pods', or 'none' (nothing known). */
  from: 'endpointslices' | 'pods' | 'none';
  ready: number;
  total: number;
  /** One entry per node that hosts at least one endpoint, sorted by node name. */
  nodes: NodeEndpoints[];
  /** Endpoints whose node is not known (no nodeName: external addresses, manual slices). */
  unassigned: { ready: number; notReady: number };
}

function add(map: Map<string, NodeEndpoints>, node: string, ready: boolean): void {
  const e = map.get(node) ?? { node, ready: 0, notReady: 0 };
  if (ready) e.ready += 1; else e.notReady += 1;
  map.set(node, e);
}

/**
 * Per-node endpoints. EndpointSlices as discover counts them (each endpoint once, the
 * address family with the most endpoints for dual-stack); without slices, the Pods the
 * selector matches (ready when their Ready condition is True).
 */
export function endpointsByNode(ctx: DiscoveryContext, svc: Service): ServiceEndpointsByNode {
  const facts = serviceEndpoints(ctx, svc);
  const byNode = new Map<string, NodeEndpoints>();
  const unassigned = { ready: 0, notReady: 0 };
  if (facts.from === 'endpointslices') {
    const slices = ctx.slicesByService.get(keyOf(nsOf(svc), nameOf(svc))) ?? [];
    const families = new Map<string, typeof slices>();
    for (const sl of slices) {
      const fam = str(sl.addressType) ?? 'IPv4';
      families.set(fam, [...(families.get(fam) ?? []), sl]);
    }
    const count = (ss: typeof slices) => ss.reduce((n, sl) => n + arr(sl.endpoints).length, 0);
    const readyOf = (ss: typeof slices) => ss.reduce((n, sl) => n + arr(sl.endpoints).map(rec).filter((e) => rec(e['conditions'])['ready'] !== false).length, 0);
    // The same choice as serviceEndpoints: most endpoints, then most ready, then family name.
    const best = [...families.entries()].sort(([fa, a], [fb, b]) => count(b) - count(a) || readyOf(b) - readyOf(a) || (fa < fb ? -1 : 1))[0]?.[1] ?? [];
    for (const sl of best) {
      for (const ep of arr(sl.endpoints).map(rec)) {
        const ready = rec(ep['conditions'])['ready'] !== false;
        const node = str(ep['nodeName']);
        if (node) add(byNode, node, ready);
        else if (ready) unassigned.ready += 1;
        else unassigned.notReady += 1;
      }
    }
  } else if (facts.from === 'pods') {
    const selector = strMap(specOf(svc)['selector']);
    for (const p of (ctx.podsByNamespace.get(nsOf(svc)) ?? []).filter((x) => mapSelects(selector, labelsOf(x)))) {
      const st = rec(p.status);
      if (Object.keys(st).length === 0 || rec(p.metadata)['deletionTimestamp'] || st['phase'] === 'Succeeded' || st['phase'] === 'Failed') continue;
      const ready = arr(st['conditions']).map(rec).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
      const node = str(specOf(p)['nodeName']);
      if (node) add(byNode, node, ready);
      else if (ready) unassigned.ready += 1;
      else unassigned.notReady += 1;
    }
  }
  return {
    from: facts.from === 'endpointslices' || facts.from === 'pods' ? facts.from : 'none',
    ready: facts.endpoints?.ready ?? 0,
    total: facts.endpoints?.total ?? 0,
    nodes: [...byNode.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)),
    unassigned,
  };
}

/** Whether a node is Ready (condition Ready True); undefined when the node carries no conditions (manifests). */
export function nodeReady(node: Node): boolean | undefined {
  const c = arr(statusOf(node)['conditions']).map(rec).find((x) => x['type'] === 'Ready');
  return c ? c['status'] === 'True' : undefined;
}

/** The node's InternalIP (IPv4 first), the address kube-proxy's health check answers on; else its first address. */
export function nodeInternalIP(node: Node): string | undefined {
  const addrs = arr(statusOf(node)['addresses']).map(rec);
  const internal = addrs.filter((a) => a['type'] === 'InternalIP').map((a) => str(a['address'])).filter((a): a is string => !!a);
  return internal.find((a) => !a.includes(':')) ?? internal[0] ?? addrs.map((a) => str(a['address'])).find((a) => !!a && /^[0-9a-f.:]+$/i.test(a));
}

/**
 * The nodes that receive the Service's external traffic with kube-proxy: every node for
 * NodePort and LoadBalancer Services (each node opens the nodePort, and an L2/BGP
 * announcer may send the LoadBalancer address to any of them); none for other types.
 */
export function receivingNodes(ctx: DiscoveryContext, svc: Service): Node[] {
  const type = str(specOf(svc)['type']) ?? 'ClusterIP';
  if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
  return ctx.nodes;
}
