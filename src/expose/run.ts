// `expose`: plan (pure, src/modes), pre-flight checks, server-side apply in order, and
// the wait until the exposure serves. Nothing is written when a check fails; applying
// is idempotent, so running the same command again converges after an interruption.

import { accessFor, requireAccess } from '../kube/access.js';
import type { KubeClient } from '../kube/client.js';
import { applyObject, getObject, keyOf } from '../kube/objects.js';
import type { KubeObject } from '../model/kube-object.js';
import type { EndpointSlice } from '../model/snapshot.js';
import { calicoWantedRanges } from '../modes/calico.js';
import {
  type ExposeFacts,
  type ExposeOptions,
  type ExposePlan,
  type ExposeSpec,
  FIELD_MANAGER,
  flagOf,
  IN_PLACE_ANNOTATION,
  isSharedPatch,
  MODE_LABEL,
  optionProblems,
  type Problem,
  planExpose,
  takeoverProblems,
} from '../modes/index.js';
import { RuntimeError, shown, UsageError } from '../util/errors.js';
import { addCalicoRanges } from './calico-config.js';
import { NoAnswerError, withinDeadline } from './deadline.js';
import { applyFailure } from './partial-write.js';
import type { Progress } from './progress.js';
import { assessReadiness, objectId, type ReadinessCheck } from './readiness.js';

export type DryRun = 'none' | 'client' | 'server';

export interface ExposeOutcome {
  plan: ExposePlan;
  /** The objects as applied (server's answer), or as planned for --dry-run=client. */
  objects: KubeObject[];
  dryRun: DryRun;
  /** The final readiness when --wait was asked. */
  readiness?: ReadinessCheck[];
}

/** Plans, and fails with exit 2 listing every problem, before anything is written. */
export function planOrFail(spec: ExposeSpec, facts: ExposeFacts): ExposePlan {
  const plan = planExpose(spec, facts);
  if (plan.problems.length > 0) {
    const ns = spec.service.metadata.namespace ?? 'default';
    throw problemsError(
      `cannot expose service ${shown(ns)}/${shown(String(spec.service.metadata.name))} in mode ${spec.mode}`,
      plan.problems,
    );
  }
  return plan;
}

/** Fails with exit 2 on options that are wrong whatever the cluster holds: run before the first request. */
export function checkOptions(options: ExposeOptions): void {
  const problems = optionProblems(options);
  if (problems.length > 0) throw problemsError(`cannot expose in mode ${options.mode}`, problems);
}

function problemsError(what: string, problems: readonly Problem[]): UsageError {
  const lines = problems.map(
    (p) => `  ${p.field === 'service' || p.field === 'mode' ? '' : `${flagOf(p.field)}: `}${p.message}`,
  );
  return new UsageError(`${what}; nothing was changed:`, undefined, { details: lines });
}

/** The objects with the generated names as the cluster has them now (for the takeover check). */
async function existingObjects(client: KubeClient, manifests: KubeObject[]): Promise<KubeObject[]> {
  const found = await Promise.all(manifests.map((m) => getObject(client, keyOf(m))));
  return found.filter((o): o is KubeObject => o !== undefined);
}

export interface ApplyPlanOptions {
  dryRun: boolean;
  force: boolean;
  forceConflicts: boolean;
}

/** Refuses to take over unowned objects (unless --force), then applies in the plan's order. */
export async function applyPlan(client: KubeClient, plan: ExposePlan, opts: ApplyPlanOptions): Promise<KubeObject[]> {
  const existing = await existingObjects(client, plan.manifests);
  // Server-side apply needs patch, and create as well for an object that does not exist yet.
  const isNew = (m: KubeObject) => !existing.some((e) => objectId(e) === objectId(m));
  await requireAccess(
    client,
    [
      ...plan.manifests.map((m) => accessFor('patch', m)),
      ...plan.manifests.filter(isNew).map((m) => accessFor('create', m)),
    ],
    modeOf(plan.manifests),
  );
  const takeover = takeoverProblems(plan.manifests, existing, opts.force);
  if (takeover.length > 0) {
    throw new UsageError('nothing was changed:', undefined, { details: takeover.map((p) => `  ${p.message}`) });
  }
  const applied: KubeObject[] = [];
  for (const [i, manifest] of plan.manifests.entries()) {
    // An in-place patch takes `type` and friends over from whoever created the Service.
    const inPlace = manifest.metadata.annotations?.[IN_PLACE_ANNOTATION] !== undefined;
    try {
      // Calico's shared BGPConfiguration: never applied (its lists are atomic), only
      // exposectl's missing entries added to the live object.
      if (isSharedPatch(manifest)) {
        const { object } = await addCalicoRanges(client, calicoWantedRanges(plan.manifests), opts.dryRun);
        applied.push(object ?? manifest);
        continue;
      }
      applied.push(
        await applyObject(client, manifest, {
          fieldManager: FIELD_MANAGER,
          dryRun: opts.dryRun,
          forceConflicts: opts.forceConflicts || inPlace,
        }),
      );
    } catch (err) {
      throw applyFailure(err, {
        applied: plan.manifests.slice(0, i),
        failed: manifest,
        pending: plan.manifests.slice(i + 1),
        dryRun: opts.dryRun,
      });
    }
  }
  return applied;
}

/** The mode of generated objects (their mode label, or the in-place annotation). */
export function modeOf(objects: readonly KubeObject[]): string | undefined {
  for (const o of objects) {
    const mode = o.metadata.labels?.[MODE_LABEL] ?? o.metadata.annotations?.[IN_PLACE_ANNOTATION];
    if (mode) return mode;
  }
  return undefined;
}

/** The Service whose endpoints carry the traffic: the published one, else the user's. */
export function trafficService(spec: ExposeSpec, manifests: KubeObject[]): { namespace: string; name: string } {
  const published = manifests.find((m) => m.kind === 'Service');
  const svc = published ?? (spec.service as unknown as KubeObject);
  return { namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name ?? '' };
}

async function endpointSlicesOf(
  client: KubeClient,
  svc: { namespace: string; name: string },
): Promise<EndpointSlice[]> {
  const body = await client.request<{ items?: EndpointSlice[] }>(
    `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(svc.namespace)}/endpointslices`,
    {
      query: { labelSelector: `kubernetes.io/service-name=${svc.name}` },
    },
  );
  return body.items ?? [];
}

/** Reads what the readiness checks look at, once. */
async function readChecks(
  client: KubeClient,
  manifests: KubeObject[],
  traffic: { namespace: string; name: string },
): Promise<ReadinessCheck[]> {
  const observed = new Map<string, KubeObject | undefined>();
  await Promise.all(manifests.map(async (m) => observed.set(objectId(m), await getObject(client, keyOf(m)))));
  return assessReadiness({
    manifests,
    observed,
    endpointSlices: await endpointSlicesOf(client, traffic),
    trafficService: traffic,
  });
}

/** How long a poll started at (or just before) the --wait deadline may take to answer. */
const LAST_POLL_GRACE_MS = 1000;

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  progress: Progress;
  /** Injected for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Polls until every readiness check holds. Polling (rather than a watch) rides out an API
 * server restart: a failed read is shown as such and tried again until the timeout.
 */
export async function waitUntilServing(
  client: KubeClient,
  spec: ExposeSpec,
  manifests: KubeObject[],
  opts: WaitOptions,
): Promise<ReadinessCheck[]> {
  const now = opts.now ?? (() => performance.now());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  const traffic = trafficService(spec, manifests);
  let checks: ReadinessCheck[] = [];
  let unreachable = false;
  try {
    for (;;) {
      let recovered = false;
      try {
        // A stalled API server must not hold the wait past --timeout (each request alone may take --request-timeout).
        // The last poll falls at the deadline itself: it still gets a moment to answer, so that a
        // server that answers is never reported as silent.
        checks = await withinDeadline(
          readChecks(client, manifests, traffic),
          Math.max(opts.timeoutMs - (now() - started), LAST_POLL_GRACE_MS),
        );
        recovered = unreachable;
        unreachable = false;
      } catch (err) {
        const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
        checks = [
          { what: 'API server', ready: false, detail: err instanceof NoAnswerError ? reason : `${reason}; retrying` },
        ];
        unreachable = true;
      }
      const elapsed = now() - started;
      // Say once that the API server answers again (the progress, not the result).
      opts.progress.update(
        recovered ? [{ what: 'API server', ready: true, detail: 'answering again' }, ...checks] : checks,
        elapsed,
      );
      if (checks.every((c) => c.ready)) return checks;
      if (elapsed >= opts.timeoutMs) {
        const missing = checks.filter((c) => !c.ready).map((c) => `  ${c.what}: ${c.detail}`);
        throw new RuntimeError(
          `timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for the exposure to serve; still missing:`,
          'the objects are applied; run the same command again to keep waiting, or see `exposectl describe`',
          { details: missing },
        );
      }
      await sleep(Math.min(opts.intervalMs ?? 1000, Math.max(0, opts.timeoutMs - elapsed)));
    }
  } finally {
    opts.progress.stop();
  }
}
