// What `exposectl list` does, free of the CLI framework so that the fast path
// (src/cli/fast-path.ts) can run it without loading oclif.
import type { CommandOutput } from '../cli/output.js';
import { loadSnapshot, type CommonFlags } from '../cli/runtime.js';
import { discoverExposures } from '../discover/index.js';
import { EXPOSURE_API_VERSION, type ExposureList } from '../model/exposure.js';
import { renderExposureTable } from '../render/exposure-table.js';

export interface ListFlags extends CommonFlags {
  output: string;
  mode?: string;
}

export async function listExposures(flags: ListFlags): Promise<CommandOutput> {
  const snapshot = await loadSnapshot(flags);
  let items = discoverExposures(snapshot);
  // A live read is already scoped to the namespace; files hold every namespace.
  const namespace = flags['all-namespaces'] ? undefined : flags.namespace;
  if (namespace !== undefined) items = items.filter((e) => e.namespace === namespace || e.namespace === null);
  if (flags.mode) items = items.filter((e) => e.mode === flags.mode);
  const data: ExposureList = { apiVersion: EXPOSURE_API_VERSION, kind: 'ExposureList', items };
  const human = flags.output === 'table' || flags.output === 'wide';
  return {
    data,
    notices: human && items.length === 0 ? [`No exposures found${namespace ? ` in namespace ${namespace}` : ''}.`] : [],
    renderers: {
      table: (ctx) => renderExposureTable(items, ctx),
      wide: (ctx) => renderExposureTable(items, ctx, true),
    },
  };
}
