// Ready/total endpoints of a Service (from EndpointSlices, else from Pods) and of a
// workload (from its Pods, else its status counters). Pure.
import type { Pod, Service, Workload } from '../model/snapshot.js';
import { type DiscoveryContext, keyOf, labelsOf, nameOf, nsOf } from './context.js';
import { labelSelectorMatches, mapSelects, type LabelSelector } from './selectors.js';

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
}

const NONE: EndpointFacts = { endpoints: null, from: 'none', readyNodes: new Set(), selectorMatchesNothing: false };

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
    const byFamily = new Map<string, { ready: number; total: number; nodes: Set<string> }>();
    for (const sl of slices) {
      const fam = sl.addressType ?? 'IPv4';
      const acc = byFamily.get(fam) ?? { ready: 0, total: 0, nodes: new Set<string>() };
      for (const ep of sl.endpoints ?? []) {
        acc.total += 1;
        if (ep.conditions?.ready !== false) {
          acc.ready += 1;
          if (ep.nodeName) acc.nodes.add(ep.nodeName);
        }
      }
      byFamily.set(fam, acc);
    }
    const best = [...byFamily.entries()]
      .sort(([fa, a], [fb, b]) => b.total - a.total || b.ready - a.ready || (fa < fb ? -1 : 1))[0]![1];
    return { endpoints: { ready: best.ready, total: best.total }, from: 'endpointslices', readyNodes: best.nodes, selectorMatchesNothing: false };
  }
  const selector = svc.spec?.selector;
  if (selector && Object.keys(selector).length > 0) {
    const pods = (ctx.podsByNamespace.get(ns) ?? []).filter((p) => mapSelects(selector, labelsOf(p)));
    const fromPods = countPods(pods);
    if (fromPods) return fromPods;
    if (ctx.live) {
      return { endpoints: { ready: 0, total: 0 }, from: 'pods', readyNodes: new Set(), selectorMatchesNothing: pods.length === 0 };
    }
    return NONE;
  }
  if (ctx.live) return { endpoints: { ready: 0, total: 0 }, from: 'endpointslices', readyNodes: new Set(), selectorMatchesNothing: false };
  return NONE;
}

/** Count Pods that carry a status; undefined when none does (manifests, not running Pods). */
function countPods(pods: Pod[]): EndpointFacts | undefined {
  const running = pods.filter((p) => p.status && !p.metadata.deletionTimestamp
    && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed');
  if (running.length === 0) return undefined;
  const readyNodes = new Set<string>();
  let ready = 0;
  for (const p of running) {
    if (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) {
      ready += 1;
      if (p.spec?.nodeName) readyNodes.add(p.spec.nodeName);
    }
  }
  return { endpoints: { ready, total: running.length }, from: 'pods', readyNodes, selectorMatchesNothing: false };
}

/** The Pods of a workload: same namespace, matching its spec.selector. */
export function workloadPods(ctx: DiscoveryContext, w: Workload): Pod[] {
  const selector: LabelSelector = (w.spec as { selector?: LabelSelector } | undefined)?.selector
    ?? { matchLabels: (w.spec as any)?.template?.metadata?.labels ?? {} };
  // A selector that selects nothing in particular would match every Pod of the namespace.
  if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) return [];
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
  const st = (w.status ?? {}) as Record<string, unknown>;
  if (w.kind === 'DaemonSet' && typeof st['desiredNumberScheduled'] === 'number') {
    return { ...NONE, endpoints: { ready: num(st['numberReady']), total: st['desiredNumberScheduled'] as number }, from: 'workload-status', readyNodes: new Set() };
  }
  if (w.kind !== 'DaemonSet' && typeof st['replicas'] === 'number') {
    return { ...NONE, endpoints: { ready: num(st['readyReplicas']), total: st['replicas'] as number }, from: 'workload-status', readyNodes: new Set() };
  }
  if (ctx.live) return { ...NONE, endpoints: { ready: 0, total: 0 }, from: 'workload-status', readyNodes: new Set() };
  return NONE;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}
