// The lines of the `tree` view, computed once and drawn either as plain text (pipes,
// tree.ts) or with Ink (TTYs, tree-ink.tsx): both show exactly the same content.
//
// The tree starts at the client and follows the edges; a node reached a second time is
// printed once more with "(see above)" and not expanded again. Pods are grouped under
// a line per Node. A hop where the client's source IP is lost gets a line of its own.
import { lostReason, type Topology, type TopologyEdge, type TopologyNode } from '../../model/topology.js';
import { terminalSafe } from '../../util/terminal-text.js';

export type Tone = 'plain' | 'ok' | 'warn' | 'bad' | 'dim' | 'kind';

export interface Segment {
  text: string;
  tone: Tone;
}

export interface TreeLine {
  /** Box-drawing prefix (├─, │ ...), drawn dim. */
  prefix: string;
  segments: Segment[];
}

const KIND_WORD: Record<TopologyNode['kind'], string> = {
  client: 'client',
  name: 'DNS name',
  address: 'address',
  announcer: 'announcer',
  nexthop: 'next hop',
  gateway: 'gateway',
  route: 'route',
  service: 'Service',
  endpointslice: 'EndpointSlice',
  pod: 'pod',
};

function statusTone(status: string | undefined): Tone {
  switch (status) {
    case 'ready':
      return 'ok';
    case 'pending':
    case 'degraded':
      return 'warn';
    case 'broken':
      return 'bad';
    default:
      return 'dim';
  }
}

const seg = (text: string, tone: Tone = 'plain'): Segment => ({ text, tone });

/** The words of one node: kind, name, facts, status. */
export function nodeSegments(n: TopologyNode): Segment[] {
  const out: Segment[] = [];
  const kindWord = n.kind === 'gateway' || n.kind === 'route' ? (n.objectKind ?? KIND_WORD[n.kind]) : KIND_WORD[n.kind];
  if (n.kind !== 'client') out.push(seg(`${kindWord} `, 'kind'));
  out.push(seg(n.label));
  const facts: string[] = [];
  if (n.kind === 'address' && n.modes) facts.push(n.modes.join('+'));
  if (n.implementation) facts.push(n.implementation);
  if ((n.kind === 'announcer' || n.kind === 'nexthop') && n.interface) facts.push(n.interface);
  if (n.mac) facts.push(n.mac);
  if (
    (n.kind === 'announcer' || n.kind === 'nexthop' || n.kind === 'pod') &&
    n.addresses?.length &&
    n.addresses.join(', ') !== n.label
  ) {
    facts.push(n.addresses.join(', '));
  }
  if (n.unknown && n.details?.length) facts.push(n.details[0]!);
  if (n.kind === 'service') {
    const ep = n.details?.find((d) => d.startsWith('endpoints '));
    const etp = n.details?.find((d) => d.startsWith('externalTrafficPolicy '));
    if (ep) facts.push(ep.replace(/^endpoints (\S+) ready$/, '$1 endpoints ready'));
    if (etp) facts.push(etp.replace('externalTrafficPolicy', 'policy'));
  }
  if (n.kind === 'pod') {
    if (n.ready === true) out.push(seg(' ready', 'ok'));
    else if (n.ready === false) out.push(seg(' NOT READY', 'bad'));
    else out.push(seg(' readiness unknown', 'dim'));
  } else if (n.status) {
    out.push(seg(` ${n.status}`, statusTone(n.status)));
  }
  if (facts.length > 0) out.push(seg(` (${facts.join(', ')})`, 'dim'));
  return out;
}

export function treeLines(unsafe: Topology): TreeLine[] {
  const t = terminalSafe(unsafe);
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const out = new Map<string, TopologyEdge[]>();
  const incoming = new Set<string>();
  for (const e of t.edges) {
    let list = out.get(e.from);
    if (!list) out.set(e.from, (list = []));
    list.push(e);
    incoming.add(e.to);
  }
  const lines: TreeLine[] = [];
  const seen = new Set<string>();

  const visit = (id: string, via: TopologyEdge | undefined, prefix: string, childPrefix: string) => {
    const n = byId.get(id);
    if (!n) return;
    const segments: Segment[] = [];
    if (via?.label) segments.push(seg(`${via.label} → `, via.notReady ? 'bad' : 'dim'));
    const again = seen.has(id);
    // A node shown before: its name and status only.
    segments.push(...nodeSegments(n).filter((s) => !(again && s.tone === 'dim' && s.text.startsWith(' ('))));
    if (again && (out.get(id)?.length ?? 0) > 0) segments.push(seg(' (see above)', 'dim'));
    lines.push({ prefix, segments });
    if (via?.sourceIpLost)
      lines.push({
        prefix: `${childPrefix}`,
        segments: [seg('⚠ source IP lost here: ', 'warn'), seg(lostReason(via), 'warn')],
      });
    if (again) return;
    seen.add(id);
    const children = out.get(id) ?? [];
    // Pods: one line per Node, the Pods beneath it.
    const pods = children.filter((e) => byId.get(e.to)?.kind === 'pod');
    const others = children.filter((e) => byId.get(e.to)?.kind !== 'pod');
    type Item = { edge: TopologyEdge } | { node: string; edges: TopologyEdge[] };
    const items: Item[] = others.map((edge) => ({ edge }));
    if (pods.length > 0) {
      const groups = new Map<string, TopologyEdge[]>();
      for (const e of pods) {
        const k = byId.get(e.to)?.node ?? '<unknown>';
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(e);
      }
      for (const [node, edges] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        items.push({ node, edges });
    }
    items.forEach((item, i) => {
      const last = i === items.length - 1;
      const branch = `${childPrefix}${last ? '└─ ' : '├─ '}`;
      const below = `${childPrefix}${last ? '   ' : '│  '}`;
      if ('edge' in item) {
        visit(item.edge.to, item.edge, branch, below);
        return;
      }
      const ready = item.edges.filter((e) => byId.get(e.to)?.ready === true).length;
      lines.push({
        prefix: branch,
        segments: [
          seg('node ', 'kind'),
          seg(item.node),
          seg(` (${ready}/${item.edges.length} ready)`, ready === item.edges.length ? 'dim' : 'warn'),
        ],
      });
      item.edges.forEach((e, j) => {
        const lastPod = j === item.edges.length - 1;
        visit(
          e.to,
          { ...e, label: undefined } as TopologyEdge,
          `${below}${lastPod ? '└─ ' : '├─ '}`,
          `${below}${lastPod ? '   ' : '│  '}`,
        );
      });
    });
  };

  const roots = t.nodes.filter((n) => n.kind === 'client' || !incoming.has(n.id));
  for (const r of roots) visit(r.id, undefined, '', '');
  return lines;
}

/** Plain text of a line, cut to the width with an ellipsis. */
export function lineText(line: TreeLine): string {
  return line.prefix + line.segments.map((s) => s.text).join('');
}

export function fitWidth(text: string, width: number): string {
  if (text.length <= width) return text; // UTF-16 length >= code points: it fits
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
