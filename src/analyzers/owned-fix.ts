// Fixes that respect ownership (#16 point 9): an object another controller owns (k3s's
// ServiceLB, a Helm release, an operator) is not edited directly, since its owner would undo
// the edit; the fix names the owner's setting instead. Pure.
import { labelsOf } from '../discover/context.js';
import { ownerOf, ownerSettingText } from '../discover/owners.js';

const capital = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

/**
 * The fix for an object: `direct` when the object is the user's own, else where its owner
 * takes `setting` (`helmValue` for a Helm release, when the chart's value is known).
 * `tail` (trade-offs, alternatives) is kept either way.
 */
export function ownedFix(
  o: { kind?: string; metadata?: unknown },
  direct: string,
  setting: string,
  opts: { helmValue?: string; tail?: string } = {},
): string {
  const owner = ownerOf(o);
  const tail = opts.tail ? `; ${opts.tail}` : '';
  if (!owner) return `${direct}${tail}`;
  const text = ownerSettingText(o, owner.kind === 'helm' && opts.helmValue ? opts.helmValue : setting)!;
  return `${capital(text)}${tail}`;
}

/** The Helm value of well-known charts that sets a controller Service's externalTrafficPolicy. */
export function chartTrafficPolicyValue(svc: { metadata?: unknown }): string {
  const name = labelsOf(svc)['app.kubernetes.io/name'];
  if (name === 'ingress-nginx') return 'controller.service.externalTrafficPolicy: Local';
  if (name === 'traefik') return 'service.spec.externalTrafficPolicy: Local';
  if (name === 'kubernetes-ingress' || name === 'haproxy-ingress')
    return 'controller.service.externalTrafficPolicy: Local';
  return "the chart's value for the Service's externalTrafficPolicy (Local)";
}
