// The findings section of `describe`: the analyzers' findings about one Service's path,
// loaded lazily from src/analyzers/index.ts (written by the `diagnose` work). Until that
// module exists (or when it does not export runAnalyzers), the section says the
// analyzers are not available: describe never invents findings.
//
// Expected contract of src/analyzers/index.ts:
//   runAnalyzers(facts: { snapshot, ctx, probes, service }, clock: { now(): Date }) -> { findings: Finding[] }
import { buildContext } from '../discover/context.js';
import type { Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';

export interface FindingsSection {
  /** null when the analyzers could not be run; the note says why. */
  findings: Finding[] | null;
  note?: string;
}

type AnalyzersModule = {
  runAnalyzers?: (facts: Record<string, unknown>, clock: { now(): Date }) => { findings?: Finding[] } | Finding[];
};

/** Module specifier kept out of the type checker's sight: the module may not exist yet. */
const ANALYZERS_MODULE = '../analyzers/index.js';

export async function loadAnalyzers(specifier = ANALYZERS_MODULE): Promise<AnalyzersModule | undefined> {
  try {
    return (await import(new URL(specifier, import.meta.url).href)) as AnalyzersModule;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') return undefined;
    throw err;
  }
}

export async function findingsFor(
  snapshot: Snapshot, service: { namespace: string; name: string }, clock: { now(): Date } = { now: () => new Date() },
  load: () => Promise<AnalyzersModule | undefined> = () => loadAnalyzers(),
): Promise<FindingsSection> {
  const mod = await load();
  if (!mod || typeof mod.runAnalyzers !== 'function') {
    return { findings: null, note: 'analyzers are not available in this build (src/analyzers/index.ts: runAnalyzers)' };
  }
  const result = mod.runAnalyzers({ snapshot, ctx: buildContext(snapshot), probes: {}, service }, clock);
  const findings = Array.isArray(result) ? result : result.findings ?? [];
  return { findings };
}
