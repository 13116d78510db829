// `topology -o dot`: Graphviz, left to right. Namespaces and Nodes are clusters (Pods
// sit in the cluster of their Node); hops where the client's source IP is lost are bold
// red edges; endpoints that are not ready are dashed.
import type { Topology, TopologyNode } from '../../model/topology.js';
import { edgeText, groupNodes, nodeFacts, nodeTitle } from './labels.js';

/** A DOT double-quoted string (backslashes and quotes escaped, newlines as \n). */
function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const SHAPES: Record<TopologyNode['kind'], string> = {
  client: 'circle',
  name: 'note',
  address: 'oval',
  announcer: 'box3d',
  nexthop: 'box3d',
  gateway: 'hexagon',
  route: 'cds',
  service: 'box',
  endpointslice: 'cylinder',
  pod: 'box',
};

function fill(n: TopologyNode): string {
  if (n.kind === 'pod') return n.ready === true ? '#e8f5e9' : n.ready === false ? '#ffebee' : '#f5f5f5';
  if (n.unknown) return '#f5f5f5';
  switch (n.status) {
    case 'ready':
      return '#e8f5e9';
    case 'pending':
    case 'degraded':
      return '#fff8e1';
    case 'broken':
      return '#ffebee';
    case 'unknown':
      return '#f5f5f5';
    default:
      return '#ffffff';
  }
}

export function renderDot(t: Topology): string {
  const ids = new Map(t.nodes.map((n, i) => [n.id, `n${i}`]));
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const lines = [
    'digraph topology {',
    '  rankdir=LR;',
    '  graph [fontname="Helvetica", fontsize=11];',
    '  node [fontname="Helvetica", fontsize=10, style="filled,rounded", shape=box];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const declare = (id: string, indent: string) => {
    const n = byId.get(id)!;
    const facts = nodeFacts(n);
    const style = n.unknown || (n.kind === 'pod' && n.ready === undefined) ? 'filled,dashed' : 'filled';
    lines.push(
      `${indent}${ids.get(id)} [label=${q(facts ? `${nodeTitle(n)}\n${facts}` : nodeTitle(n))}, shape=${SHAPES[n.kind]}, style=${q(style)}, fillcolor=${q(fill(n))}, tooltip=${q(n.id)}];`,
    );
  };
  const groups = groupNodes(t);
  for (const id of groups.free) declare(id, '  ');
  let g = 0;
  for (const [ns, members] of groups.namespaces) {
    lines.push(`  subgraph cluster_${g++} {`, `    label=${q(`namespace ${ns}`)}; style="rounded"; color="#90a4ae";`);
    for (const id of members) declare(id, '    ');
    lines.push('  }');
  }
  for (const [host, members] of groups.hosts) {
    lines.push(
      `  subgraph cluster_${g++} {`,
      `    label=${q(`node ${host}`)}; style="rounded,filled"; fillcolor="#fafafa"; color="#b0bec5";`,
    );
    for (const id of members) declare(id, '    ');
    lines.push('  }');
  }
  for (const e of t.edges) {
    const text = edgeText(e);
    const attrs = [
      ...(text ? [`label=${q(text)}`] : []),
      ...(e.sourceIpLost ? ['color="#c62828"', 'fontcolor="#c62828"', 'penwidth=2.5'] : []),
      ...(e.notReady ? ['style=dashed', 'color="#9e9e9e"'] : []),
    ];
    lines.push(`  ${ids.get(e.from)} -> ${ids.get(e.to)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
