// The SERVICE argument of diagnose, describe, topology and the probes, resolved once:
// NAME or NAMESPACE/NAME, its namespace defaulted from -n or the kubeconfig context. The
// namespace is returned (to scope the read), never written back into the flags.
import type { Service, Snapshot } from '../model/snapshot.js';
import type { CommonFlags } from '../sources/load.js';
import { parseServiceArg, serviceNotFound } from '../topology/service-arg.js';

export interface ServiceRef {
  namespace: string;
  name: string;
}

/** The Service a SERVICE argument names; exit 2 for a malformed one or one that contradicts -n. */
export async function resolveServiceArg(
  arg: string,
  flags: Pick<CommonFlags, 'namespace' | 'kubeconfig' | 'context'>,
): Promise<ServiceRef> {
  // The kubeconfig is read only when -n does not say the namespace (and loaded lazily: -f runs need no API client).
  const defaultNamespace =
    flags.namespace ??
    (await import('../kube/kubeconfig.js')).contextNamespace({ kubeconfig: flags.kubeconfig, context: flags.context });
  return parseServiceArg(arg, defaultNamespace, flags.namespace);
}

/** The flags that read what a Service needs: its namespace only, unless -A asked for all. */
export function scopedTo<F extends CommonFlags>(flags: F, ref: ServiceRef): F {
  return flags['all-namespaces'] ? flags : { ...flags, namespace: ref.namespace };
}

/** The Service in the snapshot (the last one read, as files may hold it twice), else exit 1 with kubectl's message. */
export function serviceIn(snapshot: Snapshot, ref: ServiceRef, flags: Pick<CommonFlags, 'filename'>): Service {
  const svc = [...snapshot.services]
    .reverse()
    .find((s) => (s.metadata.namespace ?? 'default') === ref.namespace && s.metadata.name === ref.name);
  if (!svc) throw serviceNotFound(ref, (flags.filename ?? []).length > 0 ? 'files' : 'cluster');
  return svc;
}
