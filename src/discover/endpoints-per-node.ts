// Endpoints per node for one Service, from its EndpointSlices (else its Pods): what
// kube-proxy on each node has to send the Service's external traffic to. Pure; memoized
// per snapshot.
import type { Service } from '../model/snapshot.js';
import { arr, type DiscoveryContext, defineFacts, keyOf, labelsOf, nameOf, nsOf, rec, str } from './context.js';
import { serviceEndpoints } from './endpoints.js';
import { mapSelects } from './selectors.js';
import { serviceFact } from './services.js';

export interface NodeEndpoints {
  node: string;
  /** Ready endpoints on this node (EndpointSlice conditions.ready not false). */
  ready: number;
  /** Endpoints on this node that are not ready (starting, failing their readiness probe, terminating). */
  notReady: number;
  /** Endpoints that are serving (conditions.serving, else ready), terminating ones included. */
  serving: number;
  /** Endpoints that are terminating (conditions.terminating true, or a Pod being deleted). */
  terminating: number;
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

interface EndpointState {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

function add(map: Map<string, NodeEndpoints>, node: string, e: EndpointState): void {
  const n = map.get(node) ?? { node, ready: 0, notReady: 0, serving: 0, terminating: 0 };
  if (e.ready) n.ready += 1;
  else n.notReady += 1;
  if (e.serving) n.serving += 1;
  if (e.terminating) n.terminating += 1;
  map.set(node, n);
}

/** An EndpointSlice endpoint's conditions as the API defines them: ready and serving unless false, terminating only when true. */
function sliceState(ep: Record<string, unknown>): EndpointState {
  const c = rec(ep.conditions);
  const ready = c.ready !== false;
  return {
    ready,
    serving: typeof c.serving === 'boolean' ? c.serving : ready,
    terminating: c.terminating === true,
  };
}

function byNodeOf(ctx: DiscoveryContext, svc: Service): ServiceEndpointsByNode {
  const facts = serviceEndpoints(ctx, svc);
  const byNode = new Map<string, NodeEndpoints>();
  const unassigned = { ready: 0, notReady: 0 };
  const place = (node: string | undefined, e: EndpointState) => {
    if (node) add(byNode, node, e);
    else if (e.ready) unassigned.ready += 1;
    else unassigned.notReady += 1;
  };
  if (facts.from === 'endpointslices') {
    const slices = ctx.slicesByService.get(keyOf(nsOf(svc), nameOf(svc))) ?? [];
    const families = new Map<string, typeof slices>();
    for (const sl of slices) {
      const fam = str(sl.addressType) ?? 'IPv4';
      families.set(fam, [...(families.get(fam) ?? []), sl]);
    }
    const count = (ss: typeof slices) => ss.reduce((n, sl) => n + arr(sl.endpoints).length, 0);
    const readyOf = (ss: typeof slices) =>
      ss.reduce(
        (n, sl) =>
          n +
          arr(sl.endpoints)
            .map(rec)
            .filter((e) => sliceState(e).ready).length,
        0,
      );
    // The same choice as serviceEndpoints: most endpoints, then most ready, then family name.
    const best =
      [...families.entries()].sort(
        ([fa, a], [fb, b]) => count(b) - count(a) || readyOf(b) - readyOf(a) || (fa < fb ? -1 : 1),
      )[0]?.[1] ?? [];
    for (const sl of best) for (const ep of arr(sl.endpoints).map(rec)) place(str(ep.nodeName), sliceState(ep));
  } else if (facts.from === 'pods') {
    const selector = serviceFact(ctx, svc).selector;
    for (const p of (ctx.podsByNamespace.get(nsOf(svc)) ?? []).filter((x) => mapSelects(selector, labelsOf(x)))) {
      const st = rec(p.status);
      if (
        Object.keys(st).length === 0 ||
        rec(p.metadata).deletionTimestamp ||
        st.phase === 'Succeeded' ||
        st.phase === 'Failed'
      )
        continue;
      const ready = arr(st.conditions)
        .map(rec)
        .some((c) => c.type === 'Ready' && c.status === 'True');
      place(str(rec(p.spec).nodeName), { ready, serving: ready, terminating: false });
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

const perService = defineFacts('endpoints-per-node', () => new Map<Service, ServiceEndpointsByNode>());

/**
 * Per-node endpoints of a Service. EndpointSlices as discover counts them (each endpoint
 * once, the address family with the most endpoints for dual-stack); without slices, the
 * Pods the selector matches (ready when their Ready condition is True).
 */
export function endpointsByNode(ctx: DiscoveryContext, svc: Service): ServiceEndpointsByNode {
  const memo = perService(ctx);
  let r = memo.get(svc);
  if (!r) {
    r = byNodeOf(ctx, svc);
    memo.set(svc, r);
  }
  return r;
}
