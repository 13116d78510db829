// What the read-only commands (list, describe, topology, diagnose, the probes' cluster
// reads, and expose's pre-flight read of the whole cluster) ask the API server for:
// a list of every kind of the kinds table, the same table the cluster reader walks, so
// the role cannot drift from the reader. `get` comes with `list` (it shows nothing list
// does not) because expose and unexpose read single objects.
import { KINDS } from '../kube/kinds.js';
import type { Grant, PolicyRule } from './policy.js';

export const READ_VERBS = ['get', 'list'] as const;

/** The API discovery document the cluster reader fetches once (open to every authenticated user by default). */
export const DISCOVERY_RULE: PolicyRule = { nonResourceURLs: ['/apis'], verbs: ['get'] };

export interface ReadOptions {
  /**
   * Also list Secrets. Off by default: exposectl asks only for their metadata (to check
   * that TLS Secrets exist), but RBAC cannot grant metadata only, and `list secrets`
   * lets whoever holds the role read every Secret's data.
   */
  secrets?: boolean;
}

export function readGrants(opts: ReadOptions = {}): Grant[] {
  return KINDS.flatMap((k): Grant[] => {
    if (k.kind === 'Secret') return opts.secrets ? [{ group: k.group, resource: k.plural, verbs: ['list'] }] : [];
    return [{ group: k.group, resource: k.plural, verbs: READ_VERBS }];
  });
}
