// What Gateway API implementations already say (#16 point 10): the False conditions they
// wrote on a route's parents, a Gateway, or one of its listeners (Accepted, ResolvedRefs,
// Programmed), as text a finding cites. Pure.
import type { Custom } from '../model/snapshot.js';
import { arr, rec, statusOf, str } from './context.js';
import { type Condition, conditionsOf, type RouteFact } from './gateway-api.js';

const text = (c: Condition) => `${c.type}=False${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`;

const falseOnes = (conds: Condition[], types: string[]) =>
  conds.filter((c) => c.status === 'False' && c.type !== undefined && types.includes(c.type));

/** "Gateway web reports ResolvedRefs=False (RefNotPermitted: ...)", for every parent that says so. */
export function routeStatusSays(route: RouteFact, types: string[]): string[] {
  return route.parentStatus.flatMap((p) =>
    falseOnes(p.conditions, types).map((c) => `parent ${p.parentName ?? '?'} reports ${text(c)}`),
  );
}

/** The False conditions of a Gateway's listener (by name), then of the Gateway itself. */
export function listenerStatusSays(gw: Custom, listener: string | undefined, types: string[]): string[] {
  const status = statusOf(gw);
  const ls = arr(status.listeners)
    .map(rec)
    .filter((l) => listener !== undefined && str(l.name) === listener)
    .flatMap((l) => falseOnes(conditionsOf(l.conditions), types).map((c) => `listener ${listener} reports ${text(c)}`));
  const own = falseOnes(conditionsOf(status.conditions), types).map((c) => `the Gateway reports ${text(c)}`);
  return [...ls, ...own];
}
