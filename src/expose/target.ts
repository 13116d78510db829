// Finds the Service to expose: in the -f files, or in the cluster.

import type { Service, Snapshot } from '../model/snapshot.js';
import { UsageError } from '../util/errors.js';

/** "web" or "shop/web" -> { namespace, name }; the namespace defaults to -n / the context's. */
export function parseServiceArg(arg: string, defaultNamespace: string): { namespace: string; name: string } {
  const parts = arg.split('/');
  if (parts.length > 2 || parts.some((p) => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p))) {
    throw new UsageError(`${JSON.stringify(arg)} is not a Service name (NAME or NAMESPACE/NAME)`);
  }
  return parts.length === 2
    ? { namespace: parts[0]!, name: parts[1]! }
    : { namespace: defaultNamespace, name: parts[0]! };
}

/** The named Service among the files' objects; without a name, the only Service there is. */
export function serviceFromFiles(snapshot: Snapshot, target: { namespace: string; name: string } | undefined): Service {
  const services = snapshot.services;
  if (!target) {
    if (services.length === 1) return services[0]!;
    throw new UsageError(
      services.length === 0
        ? `no Service in ${snapshot.source.description}`
        : `${services.length} Services in ${snapshot.source.description}: name the one to expose`,
    );
  }
  const found = services.filter((s) => s.metadata.name === target.name);
  const exact =
    found.find((s) => (s.metadata.namespace ?? 'default') === target.namespace) ??
    (found.length === 1 ? found[0] : undefined);
  if (!exact)
    throw new UsageError(`Service ${target.namespace}/${target.name} is not in ${snapshot.source.description}`);
  return exact;
}
