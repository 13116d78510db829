// Lays a Topology out with ELK (elkjs, the bundled build: no web worker) for the svg
// and html renderers. Two views:
// - detailed (up to DETAIL_LIMIT graph nodes): every node, left to right; namespaces
//   are boxes holding their gateways, routes, Services and EndpointSlices, and inside
//   each namespace the Pods sit in one box per Node. ELK's layered algorithm with
//   hierarchy handling lays out the whole graph at once.
// - overview (larger inputs, e.g. 1,000 Services): one card per namespace listing its
//   Services and gateways, one row each (modes, addresses, endpoints collapsed per
//   Node, the source-IP mark); the Pod names stay in each row's tooltip. ELK packs the
//   cards (rectpacking). ELK's layered layout costs milliseconds per node, so drawing
//   ten thousand Pods one by one would take minutes and nobody could read it.
import elkBundled from 'elkjs/lib/elk.bundled.js';
import type { Topology, TopologyEdge, TopologyNode } from '../../model/topology.js';
import { appendAll, maxOf } from '../../util/arrays.js';
import { nodeFacts, nodeTitle } from './labels.js';

export const DETAIL_LIMIT = 250;

export const FONT = 11;
const CHAR = 6.6; // average glyph width at 11px sans-serif, generous
const LINE = 15;
const PAD_X = 10;
const PAD_Y = 6;

export interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidNode extends Box {
  node: TopologyNode;
  lines: string[];
}

export interface LaidGroup extends Box {
  kind: 'namespace' | 'host';
  label: string;
}

export interface LaidEdge {
  edge: TopologyEdge;
  points: Array<{ x: number; y: number }>;
  label?: Box & { text: string };
}

export interface OverviewRow {
  id: string;
  /** Service, Ingress, Gateway, HTTPRoute, DaemonSet ... */
  kind: string;
  name: string;
  status?: string;
  columns: string[];
  /** Pod names (and states), for the tooltip. */
  pods: string[];
  sourceIpLost: boolean;
}

export interface OverviewCard extends Box {
  namespace: string;
  rows: OverviewRow[];
}

export interface Layout {
  view: 'detailed' | 'overview';
  width: number;
  height: number;
  nodes: LaidNode[];
  groups: LaidGroup[];
  edges: LaidEdge[];
  cards: OverviewCard[];
}

interface ElkNode {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  children?: ElkNode[];
  edges?: ElkEdge[];
  labels?: Array<{ text: string; width: number; height: number; x?: number; y?: number }>;
  layoutOptions?: Record<string, string>;
}
interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: Array<{ text: string; width: number; height: number; x?: number; y?: number }>;
  sections?: Array<{
    startPoint: { x: number; y: number };
    endPoint: { x: number; y: number };
    bendPoints?: Array<{ x: number; y: number }>;
  }>;
}
interface Elk {
  layout(graph: ElkNode): Promise<ElkNode>;
}

let elkInstance: Elk | undefined;
function elk(): Elk {
  if (!elkInstance) {
    // The bundled build (no web worker): a CommonJS module exporting the constructor.
    const ELK = elkBundled as unknown as new () => Elk;
    elkInstance = new ELK();
  }
  return elkInstance;
}

/** Edge labels in pictures stay short: the reason a source IP is lost goes to the tooltip. */
export function shortEdgeText(e: TopologyEdge): string {
  const label = e.label && e.label.length > 40 ? `${e.label.slice(0, 39)}…` : (e.label ?? '');
  return [label, e.sourceIpLost ? '⚠ source IP lost' : ''].filter(Boolean).join(' · ');
}

export function textWidth(text: string): number {
  return Math.ceil([...text].length * CHAR);
}

export function nodeLines(n: TopologyNode): string[] {
  const facts = nodeFacts(n);
  const lines = [nodeTitle(n)];
  if (facts) lines.push(facts.length > 60 ? `${facts.slice(0, 59)}…` : facts);
  return lines;
}

export async function layoutTopology(t: Topology, options: { detailLimit?: number } = {}): Promise<Layout> {
  return t.nodes.length <= (options.detailLimit ?? DETAIL_LIMIT) ? detailed(t) : overview(t);
}

async function detailed(t: Topology): Promise<Layout> {
  const lines = new Map(t.nodes.map((n) => [n.id, nodeLines(n)]));
  const leaf = (n: TopologyNode): ElkNode => {
    const l = lines.get(n.id)!;
    return { id: n.id, width: maxOf(l.map(textWidth)) + 2 * PAD_X, height: l.length * LINE + 2 * PAD_Y };
  };
  const groupOpts = (label: string) => ({
    'elk.padding': `[top=${LINE + 12},left=10,bottom=10,right=10]`,
    'elk.nodeLabels.placement': 'INSIDE V_TOP H_LEFT',
    'elk.nodeSize.constraints': 'MINIMUM_SIZE',
    'elk.nodeSize.minimum': `(${textWidth(label) + 20},${LINE + 20})`,
  });
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.edgeRouting': 'POLYLINE',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.nodeNode': '14',
      'elk.spacing.edgeLabel': '2',
      'elk.layered.thoroughness': '1',
      'elk.edgeLabels.placement': 'CENTER',
    },
    children: [],
    edges: [],
  };
  const groupsMeta = new Map<string, { kind: 'namespace' | 'host'; label: string }>();
  const namespaces = new Map<string, ElkNode>();
  const hosts = new Map<string, ElkNode>();
  const nsGroup = (ns: string) => {
    let g = namespaces.get(ns);
    if (!g) {
      const label = `namespace ${ns}`;
      g = {
        id: `group:ns:${ns}`,
        children: [],
        layoutOptions: groupOpts(label),
        labels: [{ text: label, width: textWidth(label), height: LINE }],
      };
      namespaces.set(ns, g);
      groupsMeta.set(g.id, { kind: 'namespace', label });
      root.children!.push(g);
    }
    return g;
  };
  for (const n of t.nodes) {
    if (n.kind === 'pod') {
      const ns = n.namespace ?? '';
      const host = n.node ?? '<unknown node>';
      const key = `${ns}\u0000${host}`;
      let h = hosts.get(key);
      if (!h) {
        const label = `node ${host}`;
        h = {
          id: `group:host:${ns}/${host}`,
          children: [],
          layoutOptions: { ...groupOpts(label), 'elk.direction': 'DOWN' },
          labels: [{ text: label, width: textWidth(label), height: LINE }],
        };
        hosts.set(key, h);
        groupsMeta.set(h.id, { kind: 'host', label });
        nsGroup(ns).children!.push(h);
      }
      h.children!.push(leaf(n));
    } else if (n.namespace !== null) {
      nsGroup(n.namespace).children!.push(leaf(n));
    } else {
      root.children!.push(leaf(n));
    }
  }
  const edgesById = new Map<string, TopologyEdge>();
  t.edges.forEach((e, i) => {
    const id = `e${i}`;
    edgesById.set(id, e);
    const text = shortEdgeText(e);
    root.edges!.push({
      id,
      sources: [e.from],
      targets: [e.to],
      ...(text ? { labels: [{ text, width: textWidth(text) * 0.9, height: LINE - 2 }] } : {}),
    });
  });

  const out = await elk().layout(root);
  const nodes: LaidNode[] = [];
  const groups: LaidGroup[] = [];
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const walk = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      const meta = groupsMeta.get(c.id);
      const box = { id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
      if (meta) {
        groups.push({ ...box, ...meta });
        walk(c);
      } else {
        const node = byId.get(c.id);
        if (node) nodes.push({ ...box, node, lines: lines.get(c.id)! });
      }
    }
  };
  walk(out);
  const edges: LaidEdge[] = [];
  const collect = (n: ElkNode) => {
    for (const e of n.edges ?? []) {
      const edge = edgesById.get(e.id);
      const s = e.sections?.[0];
      if (!edge || !s) continue;
      const label = e.labels?.[0];
      edges.push({
        edge,
        points: [s.startPoint, ...(s.bendPoints ?? []), s.endPoint],
        ...(label
          ? {
              label: {
                id: `${e.id}:label`,
                x: label.x ?? 0,
                y: label.y ?? 0,
                width: label.width,
                height: label.height,
                text: label.text,
              },
            }
          : {}),
      });
    }
    for (const c of n.children ?? []) collect(c);
  };
  collect(out);
  return { view: 'detailed', width: out.width ?? 0, height: out.height ?? 0, nodes, groups, edges, cards: [] };
}

// ---- overview -------------------------------------------------------------------------

const COLUMNS = [34, 16, 26, 9, 46]; // name, modes, addresses, endpoints, per node
const ROW = 16;

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text.padEnd(width) : `${chars.slice(0, width - 1).join('')}…`;
}

/** One row per Service, gateway and route of each namespace. */
export function overviewRows(t: Topology): Map<string, OverviewRow[]> {
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, TopologyEdge[]>();
  const outgoing = new Map<string, TopologyEdge[]>();
  for (const e of t.edges) {
    (incoming.get(e.to) ?? incoming.set(e.to, []).get(e.to)!).push(e);
    (outgoing.get(e.from) ?? outgoing.set(e.from, []).get(e.from)!).push(e);
  }
  // Addresses and modes that reach a node, walking back to the client (memoised).
  const reach = new Map<string, { addresses: Set<string>; modes: Set<string>; lost: boolean }>();
  const back = (id: string, depth = 0): { addresses: Set<string>; modes: Set<string>; lost: boolean } => {
    const known = reach.get(id);
    if (known) return known;
    const r = { addresses: new Set<string>(), modes: new Set<string>(), lost: false };
    reach.set(id, r);
    if (depth > 12) return r;
    for (const e of incoming.get(id) ?? []) {
      const from = byId.get(e.from);
      if (!from) continue;
      if (e.sourceIpLost) r.lost = true;
      if (from.kind === 'address') {
        r.addresses.add(from.label);
        for (const m of from.modes ?? []) r.modes.add(m);
      } else if (from.kind !== 'client') {
        const up = back(from.id, depth + 1);
        for (const a of up.addresses) r.addresses.add(a);
        for (const m of up.modes) r.modes.add(m);
        if (up.lost) r.lost = true;
      }
    }
    return r;
  };
  const podsOf = (id: string): TopologyNode[] => {
    const out: TopologyNode[] = [];
    for (const e of outgoing.get(id) ?? []) {
      const to = byId.get(e.to);
      if (to?.kind === 'pod') out.push(to);
      else if (to?.kind === 'endpointslice') appendAll(out, podsOf(to.id));
    }
    return [...new Map(out.map((p) => [p.id, p])).values()];
  };
  const rows = new Map<string, OverviewRow[]>();
  for (const n of t.nodes) {
    if (n.kind !== 'service' && n.kind !== 'gateway' && n.kind !== 'route') continue;
    const ns = n.namespace ?? '';
    const r = back(n.id);
    const pods = podsOf(n.id);
    const perNode = new Map<string, { ready: number; total: number }>();
    for (const p of pods) {
      const k = p.node ?? '?';
      const c = perNode.get(k) ?? { ready: 0, total: 0 };
      c.total += 1;
      if (p.ready) c.ready += 1;
      perNode.set(k, c);
    }
    const ready = pods.filter((p) => p.ready).length;
    const nodesText = [...perNode.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, c]) => `${k} ${c.ready}/${c.total}`)
      .join(', ');
    const kind = n.objectKind ?? n.kind;
    const row: OverviewRow = {
      id: n.id,
      kind,
      name: n.name ?? n.label,
      ...(n.status ? { status: n.status } : {}),
      columns: [
        `${kind === 'Service' ? '' : `${kind} `}${n.name ?? n.label}`,
        [...r.modes].join('+') || (n.kind === 'service' ? 'internal' : ''),
        [...r.addresses].join(', '),
        pods.length > 0 ? `${ready}/${pods.length}` : '',
        nodesText,
      ],
      pods: pods.map(
        (p) =>
          `${p.label} on ${p.node ?? '?'}: ${p.ready === true ? 'ready' : p.ready === false ? 'NOT READY' : 'unknown'}`,
      ),
      sourceIpLost: r.lost,
    };
    let list = rows.get(ns);
    if (!list) rows.set(ns, (list = []));
    list.push(row);
  }
  return rows;
}

export function rowText(row: OverviewRow): string {
  return row.columns
    .map((c, i) => cut(c, COLUMNS[i]!))
    .join(' ')
    .trimEnd();
}

export const OVERVIEW_HEADER = ['NAME', 'MODES', 'ADDRESSES', 'READY', 'PODS PER NODE']
  .map((c, i) => cut(c, COLUMNS[i]!))
  .join(' ')
  .trimEnd();

async function overview(t: Topology): Promise<Layout> {
  const rows = overviewRows(t);
  const width = Math.ceil(COLUMNS.reduce((a, b) => a + b + 1, 0) * CHAR) + 2 * PAD_X + 20;
  const children: ElkNode[] = [...rows.entries()].map(([ns, r]) => ({
    id: `card:${ns}`,
    width,
    height: (r.length + 2) * ROW + 2 * PAD_Y + 8,
  }));
  const out = await elk().layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'rectpacking',
      'elk.aspectRatio': '1.6',
      'elk.spacing.nodeNode': '20',
      'elk.padding': '[top=10,left=10,bottom=10,right=10]',
    },
    children,
  });
  const cards: OverviewCard[] = (out.children ?? []).map((c) => {
    const ns = c.id.slice('card:'.length);
    return {
      id: c.id,
      namespace: ns,
      rows: rows.get(ns) ?? [],
      x: c.x ?? 0,
      y: c.y ?? 0,
      width: c.width ?? width,
      height: c.height ?? 0,
    };
  });
  return {
    view: 'overview',
    width: out.width ?? width,
    height: out.height ?? 0,
    nodes: [],
    groups: [],
    edges: [],
    cards,
  };
}

export const OVERVIEW_ROW_HEIGHT = ROW;
export const LINE_HEIGHT = LINE;
export const PADDING = { x: PAD_X, y: PAD_Y };
