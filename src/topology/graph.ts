// A small builder for the Topology graph: nodes and edges merged by id, then sorted so
// that every renderer sees the same, deterministic order.
import type { ExposureStatus, Mode } from '../model/exposure.js';
import {
  TOPOLOGY_API_VERSION,
  TOPOLOGY_NODE_KINDS,
  type Topology,
  type TopologyEdge,
  type TopologyNode,
} from '../model/topology.js';

const STATUS_RANK: Record<ExposureStatus, number> = { ready: 0, unknown: 1, degraded: 2, pending: 3, broken: 4 };

export function worstStatus(a: ExposureStatus | undefined, b: ExposureStatus | undefined): ExposureStatus | undefined {
  if (!a) return b;
  if (!b) return a;
  return STATUS_RANK[a] >= STATUS_RANK[b] ? a : b;
}

export class GraphBuilder {
  private readonly nodes = new Map<string, TopologyNode>();
  private readonly edges = new Map<string, TopologyEdge>();

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Adds a node, or merges it into the one of the same id (worst status, union of modes and details). */
  node(n: TopologyNode): TopologyNode {
    const old = this.nodes.get(n.id);
    if (!old) {
      this.nodes.set(n.id, n);
      return n;
    }
    const status = worstStatus(old.status, n.status);
    if (status) old.status = status;
    if (n.modes) old.modes = union(old.modes ?? [], n.modes) as Mode[];
    if (n.details) old.details = union(old.details ?? [], n.details);
    if (old.ready === undefined && n.ready !== undefined) old.ready = n.ready;
    if (old.node === undefined && n.node !== undefined) old.node = n.node;
    if ((old.implementation === undefined || old.implementation === null) && n.implementation)
      old.implementation = n.implementation;
    return old;
  }

  /** Adds an edge; an edge between the same nodes merges its labels (a lost source IP stays lost). */
  edge(
    from: string,
    to: string,
    props: Omit<TopologyEdge, 'id' | 'from' | 'to' | 'sourceIpLost'> & { sourceIpLost?: boolean } = {},
  ): TopologyEdge {
    const id = `${from}->${to}`;
    const old = this.edges.get(id);
    if (old) {
      if (props.label) old.label = union(old.label ? old.label.split(', ') : [], props.label.split(', ')).join(', ');
      if (props.sourceIpLost && !old.sourceIpLost) {
        old.sourceIpLost = true;
        if (props.note) old.note = props.note;
      }
      return old;
    }
    const e: TopologyEdge = { id, from, to, sourceIpLost: props.sourceIpLost ?? false };
    if (props.label) e.label = props.label;
    if (props.note) e.note = props.note;
    if (props.notReady) e.notReady = true;
    this.edges.set(id, e);
    return e;
  }

  /** The nodes of one kind so far (in insertion order). */
  nodesOfKind(kind: TopologyNode['kind']): TopologyNode[] {
    return [...this.nodes.values()].filter((n) => n.kind === kind);
  }

  /** Takes an edge out (a hop redrawn through another node: client -> name -> address). */
  removeEdge(from: string, to: string): TopologyEdge | undefined {
    const id = `${from}->${to}`;
    const old = this.edges.get(id);
    this.edges.delete(id);
    return old;
  }

  build(service: Topology['service']): Topology {
    const kindRank = (k: TopologyNode['kind']) => TOPOLOGY_NODE_KINDS.indexOf(k);
    const nodes = [...this.nodes.values()].sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || cmp(a.id, b.id));
    const order = new Map(nodes.map((n, i) => [n.id, i]));
    const edges = [...this.edges.values()]
      .filter((e) => order.has(e.from) && order.has(e.to))
      .sort((a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)!);
    return { apiVersion: TOPOLOGY_API_VERSION, kind: 'Topology', service, nodes, edges };
  }
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
