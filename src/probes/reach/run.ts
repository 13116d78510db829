// Tries every target --count times, at most --concurrency tries at a time, each within
// --timeout, and sums up each target: outcomes, HTTP statuses, connection latency, and
// which Pods answered. Facts only; a failed try is an outcome, never an exception.
import type { ReachAttempt, ReachOutcome, ReachResult, ReachTarget } from '../../model/reach.js';
import { type AttemptOptions, attemptReach } from './attempt.js';
import { podOfAnswer } from './pod-name.js';

export interface RunOptions extends AttemptOptions {
  count: number;
  concurrency: number;
  knownPods: readonly string[] | null;
  signal?: AbortSignal;
}

const MAX_REPORTED_BODY = 512;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

export function summarise(
  target: ReachTarget,
  tries: ReachAttempt[],
  knownPods: readonly string[] | null,
): ReachResult {
  const outcomes: Partial<Record<ReachOutcome, number>> = {};
  const statuses: Record<string, number> = {};
  const pods: Record<string, number> = {};
  let unnamed = 0;
  for (const t of tries) {
    outcomes[t.outcome] = (outcomes[t.outcome] ?? 0) + 1;
    const status = t.http?.status;
    if (status !== undefined && status !== null) statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
    if (!t.http) continue;
    const pod = podOfAnswer(t.http.body, knownPods);
    if (pod) pods[pod] = (pods[pod] ?? 0) + 1;
    else unnamed++;
  }
  const connected = tries.map((t) => t.connectMs).filter((x): x is number => x !== null);
  const { target: _t, ...first } = tries[0]!;
  // The report keeps the start of the first answer: enough to see what answered.
  if (first.http) first.http = { ...first.http, body: first.http.body.slice(0, MAX_REPORTED_BODY) };
  return {
    target,
    first,
    outcomes,
    statuses,
    connectMs:
      connected.length > 0
        ? { min: Math.min(...connected), median: median(connected), max: Math.max(...connected) }
        : null,
    pods,
    unnamed,
  };
}

export async function runReach(targets: readonly ReachTarget[], o: RunOptions): Promise<ReachResult[]> {
  const jobs = targets.flatMap((_, i) => Array.from({ length: o.count }, () => i));
  const tries: ReachAttempt[][] = targets.map(() => []);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !o.signal?.aborted) {
      const i = jobs[next++]!;
      tries[i]!.push(await attemptReach(targets[i]!, o));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, jobs.length)) }, worker));
  return targets.flatMap((t, i) => (tries[i]!.length > 0 ? [summarise(t, tries[i]!, o.knownPods)] : []));
}
