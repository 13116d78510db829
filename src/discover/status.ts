// The status of an exposure from what is known about it. Pure.
//
// Each exposure collects observations in four buckets; the worst non-empty bucket wins,
// in the order broken > pending > degraded > unknown, else ready. The reason is the
// observations of the winning bucket, joined with "; ".
//   broken:   a reference that is missing (class, parent Gateway, pool), a selector that
//             matches no Pod, no ready endpoint when endpoints are known
//   pending:  a LoadBalancer/Gateway/Ingress without an address yet (live status), or
//             no endpoint ready yet while some Pods are still starting (phase Pending)
//   degraded: some endpoints not ready; externalTrafficPolicy Local on a NodePort with
//             nodes that have no local ready endpoint (they drop the traffic)
//   unknown:  not enough facts (files without status, Pods or EndpointSlices)
import type { ExposureStatus } from '../model/exposure.js';
import type { EndpointFacts } from './endpoints.js';

export class StatusBuilder {
  readonly broken: string[] = [];
  readonly pending: string[] = [];
  readonly degraded: string[] = [];
  readonly unknown: string[] = [];
  /** Facts worth showing even when ready (e.g. "announced in BGP and L2"). */
  readonly notes: string[] = [];

  result(): { status: ExposureStatus; reason?: string } {
    for (const status of ['broken', 'pending', 'degraded', 'unknown'] as const) {
      const list = this[status];
      if (list.length > 0) return { status, reason: dedupe(list).join('; ') };
    }
    return this.notes.length > 0 ? { status: 'ready', reason: dedupe(this.notes).join('; ') } : { status: 'ready' };
  }
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/** What the endpoints say about an exposure. `what` names the backend ("Service ns/name"). */
/**
 * What the endpoints say about an exposure. `what` names a backend other than the row's
 * own Service or workload ("backend Service ns/name"); `noun` is "endpoints" or "Pods".
 */
export function judgeEndpoints(
  b: StatusBuilder,
  facts: EndpointFacts,
  what: string | undefined,
  live: boolean,
  noun = 'endpoints',
): void {
  const ep = facts.endpoints;
  const of = what ? ` of ${what}` : '';
  if (!ep) {
    b.unknown.push(live ? `${noun}${of} unknown` : `${noun}${of} unknown (no EndpointSlices or Pods in the input)`);
    return;
  }
  if (facts.selectorMatchesNothing) {
    b.broken.push(`selector${of} matches no Pod`);
    return;
  }
  if (ep.total === 0) {
    b.broken.push(`no ${noun}${of}`);
    return;
  }
  if (ep.ready === 0 && facts.starting > 0) {
    b.pending.push(`0 of ${ep.total} ${noun}${of} ready, ${facts.starting} starting`);
    return;
  }
  if (ep.ready === 0) {
    b.broken.push(`0 of ${ep.total} ${noun}${of} ready`);
    return;
  }
  if (ep.ready < ep.total) b.degraded.push(`${ep.ready} of ${ep.total} ${noun}${of} ready`);
}
