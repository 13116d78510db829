// `exposectl probe reach [SERVICE | ADDRESS:PORT | URL ...]`: plan the ways into a Service
// from the snapshot (or take the targets as given, with no cluster at all), try each
// --count times, and judge what was seen (src/analyzers/probe-reach.ts).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { reachFindings } from '../analyzers/probe-reach.js';
import { buildContext, type DiscoveryContext } from '../discover/context.js';
import type { ReachProbe, ReachTarget } from '../model/reach.js';
import type { Service } from '../model/snapshot.js';
import * as reach from '../probes/reach/index.js';
import { renderReachProbe } from '../render/reach-probe.js';
import { type CommonFlags, loadSnapshot, requestTimeoutMs } from '../sources/load.js';
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../util/errors.js';
import { whileInterruptible } from './interrupt.js';
import type { CommandOutput } from './output.js';
import { resolveServiceArg, scopedTo, serviceIn } from './service-arg.js';

export interface ProbeReachFlags extends CommonFlags {
  count: number;
  timeout: string;
  concurrency: number;
  ca?: string;
  http: boolean;
  path?: string;
  'node-ports': boolean;
  mirror: boolean;
  'echo-timeout': string;
  'echo-image': string;
}

/** Echo Pods behind the mirror: as many as the Service has ready, between 2 (to see a spread at all) and 5. */
const mirrorReplicas = (ready: number | null) => Math.min(5, Math.max(2, ready ?? 0));

/** Why --count names no Pods through a mirror, or undefined when the mirror can run. */
function noMirrorReason(f: ProbeReachFlags, hasService: boolean): string | undefined {
  if (!hasService)
    return 'explicit targets only: there is no Service whose exposure an echo mirror could copy, so the Pods are named only from answers that name them (an echo), otherwise only outcomes and statuses are counted';
  if ((f.filename ?? []).length > 0) return 'the Service comes from -f files: the echo mirror needs a live cluster';
  return undefined;
}

/**
 * A word that is a target: ADDRESS:PORT, [v6]:PORT, an http(s) URL, or anything with a dot or
 * a colon (an address or host name without its port is a target missing its port, not a
 * Service: Service and namespace names hold neither).
 */
const isTarget = (word: string) => /^https?:\/\//i.test(word) || /[:.]/.test(word);

export async function probeReachAction(words: readonly string[], f: ProbeReachFlags): Promise<CommandOutput> {
  if (words.length === 0) throw new UsageError('give a SERVICE, or targets as ADDRESS:PORT or http(s):// URLs');
  const timeoutMs = parseDuration(f.timeout, 'timeout');
  const echoWaitMs = parseDuration(f['echo-timeout'], 'echo-timeout');
  if (f.path !== undefined && !f.path.startsWith('/')) throw new UsageError(`--path ${f.path}: must start with /`);
  let ca: string | undefined;
  if (f.ca !== undefined) {
    try {
      ca = readFileSync(f.ca, 'utf8');
    } catch (e) {
      throw new UsageError(`--ca ${f.ca}: ${(e as Error).message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${f.ca}: no PEM certificate in it`);
  }
  const services = words.filter((w) => !isTarget(w));
  if (services.length > 1) throw new UsageError(`one SERVICE at a time (got ${services.join(', ')})`);
  let explicit: ReachTarget[];
  try {
    explicit = words.filter(isTarget).map((w) => ({ ...reach.parseReachTarget(w), via: 'explicit' as const }));
  } catch (e) {
    if (e instanceof reach.ReachTargetError) throw new UsageError(e.message);
    throw e;
  }

  // The ways into the Service, from the snapshot; explicit targets need no cluster.
  const targets: ReachTarget[] = [];
  let plan: reach.ReachPlan | undefined;
  let service: ReachProbe['service'] = null;
  let svc: Service | undefined;
  let ctx: DiscoveryContext | undefined;
  if (services[0] !== undefined) {
    const ref = await resolveServiceArg(services[0], f);
    const snapshot = await loadSnapshot(scopedTo(f, ref));
    svc = serviceIn(snapshot, ref, f);
    ctx = buildContext(snapshot);
    plan = reach.planReach(ctx, svc, {
      http: f.http,
      nodePorts: f['node-ports'],
      ...(f.path !== undefined ? { path: f.path } : {}),
    });
    service = ref;
    targets.push(...plan.targets);
  }
  targets.push(
    ...explicit.map((t) => (f.http && t.scheme === 'tcp' ? { ...t, scheme: 'http' as const, path: f.path ?? '/' } : t)),
  );

  const startedAt = new Date();
  const knownPods = plan && plan.knownPods.length > 0 ? plan.knownPods : null;
  const progress: string[] = [];
  const blocked = f.count > 1 && f.mirror ? noMirrorReason(f, svc !== undefined) : undefined;
  const { results, mirror } = await whileInterruptible(async (signal) => {
    const results =
      targets.length === 0
        ? []
        : await reach.runReach(targets, {
            timeoutMs,
            count: f.count,
            concurrency: f.concurrency,
            knownPods,
            signal,
            ...(ca ? { ca } : {}),
          });
    if (f.count <= 1 || !f.mirror || signal.aborted) return { results, mirror: null };
    if (blocked !== undefined || !svc || !ctx)
      return { results, mirror: reach.noMirror(blocked ?? 'no Service to mirror') };
    // Which Pods answer: the same number of requests through echo Pods exposed the same way.
    const { connect } = await import('../kube/client.js');
    const client = await connect({
      kubeconfig: f.kubeconfig,
      context: f.context,
      requestTimeoutMs: requestTimeoutMs(f),
    });
    try {
      const mirror = await reach.mirrorPods(client, ctx, svc, {
        id: randomBytes(3).toString('hex'),
        count: f.count,
        replicas: mirrorReplicas(plan?.readyEndpoints ?? null),
        image: f['echo-image'],
        waitMs: echoWaitMs,
        requestTimeoutMs: timeoutMs,
        signal,
        onProgress: (line) => progress.push(line),
      });
      return { results, mirror };
    } finally {
      await client.close();
    }
  });
  const probe: ReachProbe = reach.reachProbeOf(plan ?? null, service, results, {
    count: f.count,
    timeoutMs,
    startedAt,
    mirror,
  });
  const findings = reachFindings(probe, { now: () => new Date() });
  const nothing = targets.length === 0;
  return {
    data: { ...probe, findings },
    findings,
    notices: progress,
    warnings: [
      ...(nothing ? [`nothing to try: ${probe.skipped.join('; ')}`] : []),
      ...(mirror && mirror.leftover.length > 0 ? [`delete by hand: ${mirror.leftover.join('; ')}`] : []),
    ],
    // No way in to try: the probe could not run (1).
    ...(nothing ? { exitCode: 1 } : {}),
    renderers: { text: () => renderReachProbe(probe, findings) },
  };
}
