// The ways from a client to one Service, hop by hop, with what each hop keys stickiness
// on, which one picks the Pod, and where the stickiness breaks: the summary
// `diagnose affinity SERVICE` prints under its findings (text), and the `ways` of its
// JSON. Pure; reads the facts of src/discover/affinity.ts.
import { type AffinityHop, type AffinityWay, stickinessOf, waysTo } from '../discover/affinity.js';
import { nameOf, nsOf } from '../discover/context.js';
import type { AffinitySummary } from '../model/affinity.js';
import type { Sticky } from '../model/exposure.js';
import { AFFINITY_CODE } from './affinity.js';
import type { Facts } from './types.js';
import { latest } from './util.js';

function keyText(h: AffinityHop): string {
  switch (h.key) {
    case 'cookie':
      return 'keyed on a cookie';
    case 'header':
      return 'keyed on a header';
    case 'hash':
      return 'keyed on a hash of the request, not on the client';
    case 'client-ip':
      return h.sees === 'client'
        ? 'keyed on the client address'
        : `keyed on ${h.seesWhy ?? 'a replaced address'}, not the client's`;
    default:
      return 'not sticky';
  }
}

function hopText(h: AffinityHop): string {
  const role = h.picksPod
    ? 'picks the Pod'
    : h.subject.kind === 'Service'
      ? 'passed by: the proxy sends to the endpoints'
      : 'passes the connection on';
  return `${h.label}: ${h.setting}; ${role}${h.picksPod ? `, ${keyText(h)}` : ''}`;
}

/** One way, as lines: the entry and its STICKY value, each hop, then where it breaks and notes. */
export function wayLines(way: AffinityWay): string[] {
  const sticky: Sticky = stickinessOf(way);
  return [
    `${way.entry}: ${sticky === 'broken' ? 'BROKEN' : sticky}`,
    ...way.hops.map((h, i) => `  ${i === 0 ? 'client -> ' : '-> '}${hopText(h)}`),
    ...way.problems.map((p) => `  breaks (${AFFINITY_CODE[p.kind]}): ${p.detail}`),
    ...way.notes.map((n) => `  note: ${n}`),
  ];
}

/** The summary of `diagnose affinity SERVICE` (empty without a Service). */
export function affinityPath(facts: Facts): string[] {
  const target = facts.service;
  if (!target) return [];
  const svc = latest(facts.snapshot.services).find((s) => nsOf(s) === target.namespace && nameOf(s) === target.name);
  if (!svc) return [];
  const ways = waysTo(facts.ctx, target.namespace, target.name);
  const ref = `${target.namespace}/${target.name}`;
  if (ways.length === 0)
    return [
      `Service ${ref} is not reached from outside the cluster in the input (no NodePort, LoadBalancer, Ingress, route or gateway leads to it): no stickiness to follow.`,
    ];
  return [`Stickiness on the ways to Service ${ref}:`, ...ways.flatMap(wayLines).map((l) => `  ${l}`)];
}

/** The same ways as data: the `affinity` field of `diagnose affinity SERVICE -o json`. */
export function affinitySummary(facts: Facts): AffinitySummary | undefined {
  const target = facts.service;
  if (!target) return undefined;
  return {
    service: { namespace: target.namespace, name: target.name },
    ways: waysTo(facts.ctx, target.namespace, target.name).map((w) => ({
      via: w.via,
      entry: w.entry,
      sticky: stickinessOf(w),
      hops: w.hops.map((h) => ({
        label: h.label,
        subject: h.subject,
        key: h.key,
        setting: h.setting,
        picksPod: h.picksPod,
        sees: h.sees,
      })),
      breaks: w.problems.map((p) => ({ code: AFFINITY_CODE[p.kind], subject: p.subject, detail: p.detail })),
      notes: w.notes,
    })),
  };
}
