// The RBAC objects `exposectl rbac` prints: a ClusterRole for what exposectl reads (always
// cluster-wide: it lists cluster-scoped kinds, MetalLB configuration in metallb-system,
// and expose's pre-flight checks read every namespace), plus, for a mode, the writes of
// that mode: in the ClusterRole, or with a namespace as Roles in that namespace and in the
// fixed namespaces the mode writes to (metallb-system). Bindings when subjects are given.
// Pure: no cluster is read.

import type { KubeObject } from '../model/kube-object.js';
import { type ExposeMode, fitName } from '../modes/index.js';
import { shown, UsageError } from '../util/errors.js';
import { WRITE_VERBS, writtenKinds } from './mode-writes.js';
import { type Grant, type PolicyRule, rulesOf } from './policy.js';
import { DISCOVERY_RULE, readGrants } from './read-grants.js';
import { type Subject, subjectSlug } from './subject.js';

const RBAC_API = 'rbac.authorization.k8s.io/v1';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';

/** Asked before every write (src/kube/access.ts); granted to every authenticated user by default, listed so that removing the default does not break expose. */
const ACCESS_REVIEW_GRANT: Grant = {
  group: 'authorization.k8s.io',
  resource: 'selfsubjectaccessreviews',
  verbs: ['create'],
};

export interface RbacOptions {
  /** undefined: read-only. */
  mode?: ExposeMode;
  /** Name of the roles and bindings (default exposectl-read-only / exposectl-MODE). */
  name?: string;
  /** Grant the writes in this namespace only (Roles) instead of in every namespace. */
  namespace?: string;
  subjects?: Subject[];
  /** Also list Secrets (see ReadOptions.secrets). */
  secrets?: boolean;
}

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function defaultRoleName(mode: ExposeMode | undefined): string {
  return mode ? `exposectl-${mode}` : 'exposectl-read-only';
}

export function buildRbac(opts: RbacOptions): KubeObject[] {
  const name = opts.name ?? defaultRoleName(opts.mode);
  if (!NAME.test(name))
    throw new UsageError(
      `--name ${shown(name)}: not a valid role name (lowercase letters, digits, - and ., at most 253)`,
    );
  if (opts.namespace !== undefined && !opts.mode) {
    throw new UsageError(
      '-n/--namespace narrows the write permissions of a --mode; the read-only role has none (reads are always cluster-wide)',
    );
  }
  if (opts.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(opts.namespace)) {
    throw new UsageError(`--namespace ${shown(opts.namespace)}: not a valid namespace name`);
  }
  const clusterGrants = readGrants({ secrets: opts.secrets === true });
  /** Role name by namespace, and its grants. */
  const roles = new Map<string, { name: string; grants: Grant[] }>();
  if (opts.mode) {
    clusterGrants.push(ACCESS_REVIEW_GRANT);
    for (const k of writtenKinds(opts.mode)) {
      const grant: Grant = { group: k.group, resource: k.resource, verbs: WRITE_VERBS };
      const ns =
        opts.namespace === undefined || k.scope === 'cluster'
          ? undefined
          : k.scope === 'service-namespace'
            ? opts.namespace
            : k.namespace!;
      if (ns === undefined) {
        clusterGrants.push(grant);
        continue;
      }
      const role = roles.get(ns) ?? { name, grants: [] };
      role.grants.push(grant);
      roles.set(ns, role);
    }
  }
  const labels = { [PART_OF_LABEL]: 'exposectl' };
  // With -n the ClusterRole holds only reads: another name than the all-namespaces role of
  // the same mode, so applying one never widens the other's bindings.
  const clusterRoleName = opts.namespace !== undefined ? `${name}-read` : name;
  const out: KubeObject[] = [
    {
      apiVersion: RBAC_API,
      kind: 'ClusterRole',
      metadata: { name: clusterRoleName, labels },
      rules: [...rulesOf(clusterGrants), DISCOVERY_RULE] satisfies PolicyRule[],
    },
  ];
  for (const [namespace, role] of roles) {
    out.push({
      apiVersion: RBAC_API,
      kind: 'Role',
      metadata: { name: role.name, namespace, labels },
      rules: rulesOf(role.grants),
    });
  }
  // One binding per subject, named after role and subject: binding a second user later
  // adds a binding instead of replacing the first user's.
  for (const subject of opts.subjects ?? []) {
    const slug = subjectSlug(subject);
    out.push({
      apiVersion: RBAC_API,
      kind: 'ClusterRoleBinding',
      metadata: { name: fitName(`${clusterRoleName}-${slug}`, 253), labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
      subjects: [subject],
    });
    for (const [namespace, role] of roles) {
      out.push({
        apiVersion: RBAC_API,
        kind: 'RoleBinding',
        metadata: { name: fitName(`${role.name}-${slug}`, 253), namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
        subjects: [subject],
      });
    }
  }
  return out;
}
