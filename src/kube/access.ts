// Asks the API server, before anything is written, whether the user may do each write
// (SelfSubjectAccessReview), so that a user without rights fails with nothing changed
// and learns exactly which permission is missing.

import type { KubeObject } from '../model/kube-object.js';
import { RuntimeError } from '../util/errors.js';
import type { KubeClient } from './client.js';
import { mapKubeError } from './errors.js';
import { kindInfoOf } from './kinds.js';

export interface AccessRequest {
  verb: string;
  group: string;
  resource: string;
  namespace?: string | undefined;
  name?: string | undefined;
}

interface ReviewStatus {
  status?: { allowed?: boolean; denied?: boolean; reason?: string };
}

export function accessFor(verb: string, obj: KubeObject): AccessRequest {
  const info = kindInfoOf(obj.apiVersion, obj.kind);
  return {
    verb,
    group: info?.group ?? '',
    resource: info?.plural ?? `${obj.kind.toLowerCase()}s`,
    namespace: info?.namespaced ? obj.metadata.namespace : undefined,
    name: obj.metadata.name,
  };
}

export function describeAccess(a: AccessRequest): string {
  const resource = a.group ? `${a.resource}.${a.group}` : a.resource;
  return `${a.verb} ${resource}${a.namespace ? ` in namespace "${a.namespace}"` : ''}`;
}

/** Throws one RuntimeError naming every missing permission; returns when all are allowed. `mode` words the hint. */
export async function requireAccess(client: KubeClient, requests: AccessRequest[], mode?: string): Promise<void> {
  const unique = [...new Map(requests.map((r) => [JSON.stringify(r), r])).values()];
  const allowed: boolean[] = [];
  await Promise.all(
    unique.map(async (r, i) => {
      try {
        const review = await client.request<ReviewStatus>('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          method: 'POST',
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                verb: r.verb,
                group: r.group,
                resource: r.resource,
                namespace: r.namespace,
                name: r.name,
              },
            },
          },
        });
        allowed[i] = review.status?.allowed === true;
      } catch (err) {
        throw mapKubeError(err, {
          verb: 'create',
          resource: 'selfsubjectaccessreviews.authorization.k8s.io',
          server: client.server,
          contextName: client.contextName,
          userName: client.userName,
          timeoutMs: client.requestTimeoutMs,
        });
      }
    }),
  );
  const denied = unique.filter((_, i) => !allowed[i]); // in request order, whatever order the answers came in
  if (denied.length > 0) {
    const who = client.userName ? `user "${client.userName}"` : `context "${client.contextName}"`;
    throw new RuntimeError(
      `${who} may not ${denied.map(describeAccess).join('; ')}: nothing was changed`,
      `ask your cluster admin for these permissions (see \`exposectl rbac --mode ${mode ?? 'MODE'}\` for a role that has them), or use another --context`,
    );
  }
}
