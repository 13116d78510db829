// --bind KIND:NAME: the subject of the generated bindings.

import { fnv1a } from '../modes/common.js';
import { shown, UsageError } from '../util/errors.js';

export type Subject =
  | { kind: 'User' | 'Group'; apiGroup: 'rbac.authorization.k8s.io'; name: string }
  | { kind: 'ServiceAccount'; name: string; namespace: string };

const FORMS = 'user:NAME, group:NAME or serviceaccount:NAMESPACE/NAME';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function parseSubject(value: string): Subject {
  const colon = value.indexOf(':');
  const kind = colon < 0 ? '' : value.slice(0, colon).toLowerCase();
  const name = colon < 0 ? '' : value.slice(colon + 1);
  if (kind === 'user' || kind === 'group') {
    if (name === '' || /[\s\0]/.test(name))
      throw new UsageError(`--bind ${shown(value)}: the ${kind} name is empty or has white space (use ${FORMS})`);
    return { kind: kind === 'user' ? 'User' : 'Group', apiGroup: 'rbac.authorization.k8s.io', name };
  }
  if (kind === 'serviceaccount' || kind === 'sa') {
    const [ns, sa, extra] = name.split('/');
    if (extra !== undefined || !ns || !sa || !DNS_LABEL.test(ns) || !DNS_SUBDOMAIN.test(sa)) {
      throw new UsageError(
        `--bind ${shown(value)}: a service account is serviceaccount:NAMESPACE/NAME (lowercase DNS names)`,
      );
    }
    return { kind: 'ServiceAccount', name: sa, namespace: ns };
  }
  throw new UsageError(`--bind ${shown(value)}: expected ${FORMS}`);
}

/** A name part for the subject's bindings: user-alice, group-sre, sa-ci-deployer (plus a hash when characters had to be replaced). */
export function subjectSlug(subject: Subject): string {
  const raw =
    subject.kind === 'ServiceAccount'
      ? `sa-${subject.namespace}-${subject.name}`
      : `${subject.kind.toLowerCase()}-${subject.name}`;
  const clean = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return clean === raw ? clean : `${clean}-${fnv1a(raw)}`;
}
