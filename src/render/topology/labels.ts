// Labels shared by the graph renderers (mermaid, dot, svg, html): a node's title line
// and its facts line, an edge's label with the source-IP mark, and the grouping of nodes
// into namespaces and Pods into Nodes.
import { lostReason, type Topology, type TopologyEdge, type TopologyNode } from '../../model/topology.js';
import { nodeSegments } from './tree-model.js';

export function nodeTitle(n: TopologyNode): string {
  switch (n.kind) {
    case 'client':
      return 'client';
    case 'address':
      return n.label;
    case 'name':
      return `DNS ${n.label}`;
    case 'announcer':
      return `${n.label} (announcer)`;
    case 'nexthop':
      return `${n.label} (BGP next hop)`;
    case 'gateway':
    case 'route':
      return `${n.objectKind ?? n.kind} ${n.label}`;
    case 'service':
      return `Service ${n.label}`;
    case 'endpointslice':
      return `EndpointSlice ${n.label}`;
    case 'pod':
      return n.label;
  }
}

/** The second line: facts and status (what the tree shows after the name). */
export function nodeFacts(n: TopologyNode): string {
  if (n.kind === 'client') return '';
  const segs = nodeSegments(n);
  // Drop the kind word and the label: the title already has them.
  return segs
    .slice(2)
    .map((s) => s.text.trim().replace(/^\((.*)\)$/, '$1'))
    .filter(Boolean)
    .join(' · ');
}

export function edgeText(e: TopologyEdge): string {
  const parts = [e.label ?? ''];
  if (e.sourceIpLost) parts.push(`source IP lost: ${lostReason(e)}`);
  return parts.filter(Boolean).join(' · ');
}

export interface Groups {
  /** namespace -> node ids (gateways, routes, Services, EndpointSlices). */
  namespaces: Map<string, string[]>;
  /** Node name -> Pod ids. */
  hosts: Map<string, string[]>;
  /** Everything else (client, addresses, hops). */
  free: string[];
}

/** Namespaced objects grouped per namespace, Pods per Node (the clusters of the graph views). */
export function groupNodes(t: Topology): Groups {
  const namespaces = new Map<string, string[]>();
  const hosts = new Map<string, string[]>();
  const free: string[] = [];
  const push = (m: Map<string, string[]>, k: string, v: string) => {
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(v);
  };
  for (const n of t.nodes) {
    if (n.kind === 'pod') push(hosts, n.node ?? '<unknown node>', n.id);
    else if (n.namespace !== null) push(namespaces, n.namespace, n.id);
    else free.push(n.id);
  }
  return { namespaces, hosts, free };
}
