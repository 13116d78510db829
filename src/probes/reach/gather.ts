// The reach facts `diagnose --probe` gathers: every way into each Service in scope (the one
// SERVICE, or every Service of the snapshot that has a way in from outside), tried once each,
// at most a few at a time. Facts only (src/analyzers/probe-reach.ts judges them).
import type { DiscoveryContext } from '../../discover/context.js';
import { nameOf, nsOf } from '../../discover/context.js';
import {
  REACH_PROBE_KIND,
  type ReachMirror,
  type ReachProbe,
  type ReachResult,
  type ReachTarget,
} from '../../model/reach.js';
import type { Service } from '../../model/snapshot.js';
import { type PlanOptions, planReach, type ReachPlan } from './plan.js';
import { runReach } from './run.js';

/** The probe's document for one Service (or explicit targets: plan null), as `probe reach -o json` prints it. */
export function reachProbeOf(
  plan: ReachPlan | null,
  service: { namespace: string; name: string } | null,
  results: ReachResult[],
  o: { count: number; timeoutMs: number; startedAt: Date; mirror?: ReachMirror | null },
): ReachProbe {
  return {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: REACH_PROBE_KIND,
    service,
    sticky: plan ? plan.sticky : null,
    readyEndpoints: plan ? plan.readyEndpoints : null,
    knownPods: plan && plan.knownPods.length > 0 ? plan.knownPods : null,
    count: o.count,
    timeoutMs: o.timeoutMs,
    skipped: plan?.skipped ?? [],
    results,
    mirror: o.mirror ?? null,
    startedAt: o.startedAt.toISOString(),
    at: new Date().toISOString(),
  };
}

/** Each Service once (the last version wins: files may hold alternatives), in scope. */
function servicesInScope(ctx: DiscoveryContext, only?: { namespace: string; name: string }): Service[] {
  const byKey = new Map<string, Service>();
  for (const s of ctx.snapshot.services) byKey.set(`${nsOf(s)}/${nameOf(s)}`, s);
  return [...byKey.values()].filter((s) => !only || (nsOf(s) === only.namespace && nameOf(s) === only.name));
}

export async function gatherReach(
  ctx: DiscoveryContext,
  o: {
    service?: { namespace: string; name: string };
    timeoutMs: number;
    concurrency?: number;
    plan?: PlanOptions;
    signal?: AbortSignal;
  },
): Promise<ReachProbe[]> {
  const planned = servicesInScope(ctx, o.service)
    .map((svc) => ({ svc, plan: planReach(ctx, svc, o.plan ?? {}) }))
    // A Service with no way in from outside (ClusterIP only) has nothing to try; the one SERVICE asked for is reported anyway.
    .filter(({ plan }) => o.service !== undefined || plan.targets.length > 0);
  const startedAt = new Date();
  // One run over every target, so the concurrency bound holds across Services.
  const targets: ReachTarget[] = planned.flatMap(({ plan }) => plan.targets);
  const results =
    targets.length === 0
      ? []
      : await runReach(targets, {
          timeoutMs: o.timeoutMs,
          count: 1,
          concurrency: o.concurrency ?? 8,
          knownPods: null,
          ...(o.signal ? { signal: o.signal } : {}),
        });
  const byTarget = new Map(results.map((r) => [r.target, r]));
  return planned.map(({ svc, plan }) =>
    reachProbeOf(
      plan,
      { namespace: nsOf(svc), name: nameOf(svc) },
      plan.targets.flatMap((t) => (byTarget.has(t) ? [byTarget.get(t)!] : [])),
      { count: 1, timeoutMs: o.timeoutMs, startedAt },
    ),
  );
}
