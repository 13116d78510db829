// The findings section of `describe`: the analyzers' findings about one Service's path
// (the same analyzers as `diagnose SERVICE`, snapshot only, no probes), loaded lazily:
// the analyzers are needed only here and in `diagnose`.
import type { Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { shellCommand } from '../util/shell-quote.js';

export interface FindingsSection {
  /** null when the analyzers could not be run; the note says why. */
  findings: Finding[] | null;
  note?: string;
}

export async function findingsFor(
  snapshot: Snapshot,
  service: { namespace: string; name: string },
  clock: { now(): Date } = { now: () => new Date() },
): Promise<FindingsSection> {
  const [{ runAnalyzers }, { buildContext }] = await Promise.all([
    import('../analyzers/index.js'),
    import('../discover/context.js'),
  ]);
  const result = runAnalyzers({ snapshot, ctx: buildContext(snapshot), probes: {}, service }, clock);
  const probeOnly = result.skipped.length;
  return {
    findings: result.findings,
    ...(probeOnly > 0
      ? {
          note: `${probeOnly} checks need probes: ${shellCommand(['exposectl', 'diagnose', 'all', `${service.namespace}/${service.name}`, '--probe'])} ...`,
        }
      : {}),
  };
}
