// `topology -o mermaid`: a Mermaid flowchart (renders on GitHub and in Markdown docs).
// Namespaces and Nodes are subgraphs (Pods sit in the subgraph of their Node); hops
// where the client's source IP is lost are thick red arrows; endpoints that are not
// ready are dotted.
import type { Topology, TopologyNode } from '../../model/topology.js';
import { edgeText, groupNodes, nodeFacts, nodeTitle } from './labels.js';

/** Mermaid's quoted-string escapes: quotes and the characters that start entities or markup. */
function esc(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function q(text: string): string {
  return `"${esc(text)}"`;
}

function shape(n: TopologyNode, id: string, text: string): string {
  switch (n.kind) {
    case 'client':
      return `${id}((${text}))`;
    case 'address':
      return `${id}([${text}])`;
    case 'name':
      return `${id}>${text}]`;
    case 'announcer':
    case 'nexthop':
      return `${id}[[${text}]]`;
    case 'gateway':
      return `${id}{{${text}}}`;
    case 'endpointslice':
      return `${id}[(${text})]`;
    case 'pod':
      return `${id}(${text})`;
    default:
      return `${id}[${text}]`;
  }
}

export function renderMermaid(t: Topology): string {
  const ids = new Map(t.nodes.map((n, i) => [n.id, `n${i}`]));
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const lines = ['flowchart LR'];
  const declare = (id: string, indent: string) => {
    const n = byId.get(id)!;
    const facts = nodeFacts(n);
    lines.push(`${indent}${shape(n, ids.get(id)!, `"${esc(nodeTitle(n))}${facts ? `<br/>${esc(facts)}` : ''}"`)}`);
  };
  const groups = groupNodes(t);
  for (const id of groups.free) declare(id, '  ');
  let g = 0;
  for (const [ns, members] of groups.namespaces) {
    lines.push(`  subgraph ns${g++}[${q(`namespace ${ns}`)}]`);
    for (const id of members) declare(id, '    ');
    lines.push('  end');
  }
  for (const [host, members] of groups.hosts) {
    lines.push(`  subgraph host${g++}[${q(`node ${host}`)}]`);
    for (const id of members) declare(id, '    ');
    lines.push('  end');
  }
  const lost: number[] = [];
  t.edges.forEach((e, i) => {
    const text = edgeText(e);
    const arrow = e.sourceIpLost ? '==>' : e.notReady ? '-.->' : '-->';
    lines.push(`  ${ids.get(e.from)} ${arrow}${text ? `|${q(text)}|` : ''} ${ids.get(e.to)}`);
    if (e.sourceIpLost) lost.push(i);
  });
  lines.push('  classDef ok fill:#e8f5e9,stroke:#2e7d32');
  lines.push('  classDef warn fill:#fff8e1,stroke:#f9a825');
  lines.push('  classDef bad fill:#ffebee,stroke:#c62828');
  lines.push('  classDef unknown fill:#f5f5f5,stroke:#9e9e9e,stroke-dasharray:4 3');
  const classes = new Map<string, string[]>();
  for (const n of t.nodes) {
    const c =
      n.kind === 'pod'
        ? n.ready === true
          ? 'ok'
          : n.ready === false
            ? 'bad'
            : 'unknown'
        : n.unknown
          ? 'unknown'
          : n.status === 'ready'
            ? 'ok'
            : n.status === 'pending' || n.status === 'degraded'
              ? 'warn'
              : n.status === 'broken'
                ? 'bad'
                : n.status === 'unknown'
                  ? 'unknown'
                  : undefined;
    if (!c) continue;
    let l = classes.get(c);
    if (!l) classes.set(c, (l = []));
    l.push(ids.get(n.id)!);
  }
  for (const [c, members] of classes) {
    // Long class lines are fine for the parser; chunk them to keep diffs readable.
    for (let i = 0; i < members.length; i += 40) lines.push(`  class ${members.slice(i, i + 40).join(',')} ${c}`);
  }
  for (let i = 0; i < lost.length; i += 40)
    lines.push(`  linkStyle ${lost.slice(i, i + 40).join(',')} stroke:#c62828,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}
