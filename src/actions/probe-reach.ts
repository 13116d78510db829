// `exposectl probe reach [SERVICE | ADDRESS:PORT | URL ...]`: plan the ways into a Service
// from the snapshot (or take the targets as given, with no cluster at all), try each
// --count times, and judge what was seen (src/analyzers/probe-reach.ts).
import { readFileSync } from 'node:fs';
import { reachFindings } from '../analyzers/probe-reach.js';
import { buildContext } from '../discover/context.js';
import { REACH_PROBE_KIND, type ReachProbe, type ReachTarget } from '../model/reach.js';
import * as reach from '../probes/reach/index.js';
import { renderReachProbe } from '../render/reach-probe.js';
import { type CommonFlags, loadSnapshot } from '../sources/load.js';
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
  if (services[0] !== undefined) {
    const ref = await resolveServiceArg(services[0], f);
    const snapshot = await loadSnapshot(scopedTo(f, ref));
    const svc = serviceIn(snapshot, ref, f);
    plan = reach.planReach(buildContext(snapshot), svc, {
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
  const results =
    targets.length === 0
      ? []
      : await whileInterruptible((signal) =>
          reach.runReach(targets, {
            timeoutMs,
            count: f.count,
            concurrency: f.concurrency,
            knownPods,
            signal,
            ...(ca ? { ca } : {}),
          }),
        );
  const probe: ReachProbe = {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: REACH_PROBE_KIND,
    service,
    sticky: plan ? plan.sticky : null,
    readyEndpoints: plan ? plan.readyEndpoints : null,
    knownPods,
    count: f.count,
    timeoutMs,
    skipped: plan?.skipped ?? [],
    results,
    startedAt: startedAt.toISOString(),
    at: new Date().toISOString(),
  };
  const findings = reachFindings(probe, { now: () => new Date() });
  const nothing = targets.length === 0;
  return {
    data: { ...probe, findings },
    findings,
    warnings: nothing ? [`nothing to try: ${probe.skipped.join('; ')}`] : [],
    // No way in to try: the probe could not run (1).
    ...(nothing ? { exitCode: 1 } : {}),
    renderers: { text: () => renderReachProbe(probe, findings) },
  };
}
