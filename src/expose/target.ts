// Finds the Service to expose among the -f files (the SERVICE argument is parsed by
// topology/service-arg.ts, as for every command).

import type { Service, Snapshot } from '../model/snapshot.js';
import { UsageError } from '../util/errors.js';

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
