// Ready/total endpoints of a Service (from EndpointSlices, else from Pods) and of a
// workload (from its Pods, else its status counters). Pure.
import type { Pod, Service, Workload } from '../model/snapshot.js';
import {
  arr,
  type DiscoveryContext,
  keyOf,
  labelsOf,
  nameOf,
  nsOf,
  rec,
  specOf,
  statusOf,
  str,
  strMap,
} from './context.js';
import { isEmptySelector, labelSelectorMatches, mapSelects } from './selectors.js';

export interface EndpointCount {
  ready: number;
  total: number;
}

export interface EndpointFacts {
  /** null when the snapshot says nothing about the endpoints. */
  endpoints: EndpointCount | null;
  /** Where the count came from. */
  from: 'endpointslices' | 'pods' | 'workload-status' | 'none';
  /** Nodes that host at least one ready endpoint (when the facts name nodes). */
  readyNodes: Set<string>;
  /** True when the Service has a selector and it is known to match no Pod. */
  selectorMatchesNothing: boolean;
  /** Not-ready endpoints whose Pod is still starting (phase Pending), when the Pods are known. */
  starting: number;
}

const NONE: EndpointFacts = {
  endpoints: null,
  from: 'none',
  readyNodes: new Set(),
  selectorMatchesNothing: false,
  starting: 0,
};

const isStarting = (p: Pod | undefined) => statusOf(p ?? {}).phase === 'Pending';

/**
 * Endpoints of a Service:
 * - EndpointSlices labelled `kubernetes.io/service-name` win. Each endpoint counts once
 *   (whatever its number of addresses); ready unless `conditions.ready` is false. A
 *   dual-stack Service has one slice set per address family listing the same Pods, so
 *   the family with the most endpoints is counted, not the sum.
 * - Else, for a Service with a selector, the Pods that match it and carry a status
 *   (Running/Pending, not deleted); ready when their Ready condition is True.
 * - Else, in a live cluster, zero (nothing backs the Service); from files, null.
 */
export function serviceEndpoints(ctx: DiscoveryContext, svc: Service): EndpointFacts {
  const ns = nsOf(svc);
  const slices = ctx.slicesByService.get(keyOf(ns, nameOf(svc))) ?? [];
  if (slices.length > 0) {
    const byFamily = new Map<string, { ready: number; total: number; starting: number; nodes: Set<string> }>();
    for (const sl of slices) {
      const fam = str(sl.addressType) ?? 'IPv4';
      const acc = byFamily.get(fam) ?? { ready: 0, total: 0, starting: 0, nodes: new Set<string>() };
      for (const ep of arr(sl.endpoints).map(rec)) {
        acc.total += 1;
        if (rec(ep.conditions).ready !== false) {
          acc.ready += 1;
          const node = str(ep.nodeName);
          if (node) acc.nodes.add(node);
        } else {
          const ref = rec(ep.targetRef);
          if (
            ref.kind === 'Pod' &&
            isStarting(ctx.pods.get(keyOf(str(ref.namespace) ?? nsOf(sl), str(ref.name) ?? '')))
          )
            acc.starting += 1;
        }
      }
      byFamily.set(fam, acc);
    }
    const best = [...byFamily.entries()].sort(
      ([fa, a], [fb, b]) => b.total - a.total || b.ready - a.ready || (fa < fb ? -1 : 1),
    )[0]![1];
    return {
      endpoints: { ready: best.ready, total: best.total },
      from: 'endpointslices',
      readyNodes: best.nodes,
      selectorMatchesNothing: false,
      starting: best.starting,
    };
  }
  const selector = strMap(specOf(svc).selector);
  if (Object.keys(selector).length > 0) {
    const pods = (ctx.podsByNamespace.get(ns) ?? []).filter((p) => mapSelects(selector, labelsOf(p)));
    const fromPods = countPods(pods);
    if (fromPods) return fromPods;
    if (ctx.live) {
      return {
        endpoints: { ready: 0, total: 0 },
        from: 'pods',
        readyNodes: new Set(),
        selectorMatchesNothing: pods.length === 0,
        starting: 0,
      };
    }
    return NONE;
  }
  if (ctx.live)
    return {
      endpoints: { ready: 0, total: 0 },
      from: 'endpointslices',
      readyNodes: new Set(),
      selectorMatchesNothing: false,
      starting: 0,
    };
  return NONE;
}

/** Count Pods that carry a status; undefined when none does (manifests, not running Pods). */
function countPods(pods: Pod[]): EndpointFacts | undefined {
  const running = pods.filter((p) => {
    const st = rec(p.status);
    return (
      Object.keys(st).length > 0 &&
      !rec(p.metadata).deletionTimestamp &&
      st.phase !== 'Succeeded' &&
      st.phase !== 'Failed'
    );
  });
  if (running.length === 0) return undefined;
  const readyNodes = new Set<string>();
  let ready = 0;
  let starting = 0;
  for (const p of running) {
    if (
      arr(rec(p.status).conditions)
        .map(rec)
        .some((c) => c.type === 'Ready' && c.status === 'True')
    ) {
      ready += 1;
      const node = str(specOf(p).nodeName);
      if (node) readyNodes.add(node);
    } else if (isStarting(p)) {
      starting += 1;
    }
  }
  return {
    endpoints: { ready, total: running.length },
    from: 'pods',
    readyNodes,
    selectorMatchesNothing: false,
    starting,
  };
}

/** The Pods of a workload: same namespace, matching its spec.selector. */
export function workloadPods(ctx: DiscoveryContext, w: Workload): Pod[] {
  const spec = specOf(w);
  const selector: unknown = spec.selector ?? {
    matchLabels: strMap(rec(rec(spec.template).metadata).labels),
  };
  // A selector that selects nothing in particular would match every Pod of the namespace.
  if (isEmptySelector(selector) || rec(selector) !== selector) return [];
  return (ctx.podsByNamespace.get(nsOf(w)) ?? []).filter((p) => labelSelectorMatches(selector, labelsOf(p)));
}

/**
 * Ready/total Pods of a DaemonSet, Deployment or StatefulSet: from its Pods when the
 * snapshot has them with status, else from the workload's status counters
 * (numberReady/desiredNumberScheduled, readyReplicas/replicas), else null.
 */
export function workloadEndpoints(ctx: DiscoveryContext, w: Workload): EndpointFacts {
  const fromPods = countPods(workloadPods(ctx, w));
  if (fromPods) return fromPods;
  const st = statusOf(w);
  if (w.kind === 'DaemonSet' && typeof st.desiredNumberScheduled === 'number') {
    return {
      ...NONE,
      endpoints: { ready: num(st.numberReady), total: num(st.desiredNumberScheduled) },
      from: 'workload-status',
      readyNodes: new Set(),
    };
  }
  if (w.kind !== 'DaemonSet' && typeof st.replicas === 'number') {
    return {
      ...NONE,
      endpoints: { ready: num(st.readyReplicas), total: num(st.replicas) },
      from: 'workload-status',
      readyNodes: new Set(),
    };
  }
  if (ctx.live) return { ...NONE, endpoints: { ready: 0, total: 0 }, from: 'workload-status', readyNodes: new Set() };
  return NONE;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}
