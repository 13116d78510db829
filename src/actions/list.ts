// What `exposectl list` does, free of the CLI framework so that the fast path
// (src/cli/fast-path.ts) can run it without loading oclif.

import { discoverExposures } from '../discover/index.js';
import { type ExposureList, exposureListApiVersion } from '../model/exposure.js';
import type { Snapshot } from '../model/snapshot.js';
import { renderCustomColumns } from '../render/custom-columns.js';
import { renderExposureNames } from '../render/exposure-names.js';
import { renderExposureTable } from '../render/exposure-table.js';
import { JsonPathError, type JsonPathTemplate } from '../render/jsonpath.js';
import { type ListFormat, parseListFormat } from '../render/list-format.js';
import { parseSortBy, sortByJsonPath } from '../render/sort-by.js';
import { type CommonFlags, loadSnapshot } from '../sources/load.js';
import { RuntimeError, UsageError } from '../util/errors.js';
import { LabelSelectorError, parseLabelSelector, type Requirement } from '../util/label-selector.js';
import { withoutDuplicates } from './list-dedupe.js';
import { filterExposures } from './list-filters.js';
import type { CommandOutput, Printer, Renderer } from './output.js';

export interface ListFlags extends CommonFlags {
  output: string;
  mode?: string;
  selector?: string;
  'sort-by'?: string;
  'no-headers'?: boolean;
  watch?: boolean;
}

/** The flags of list, checked and parsed before any work. */
export interface ListPlan {
  format: ListFormat;
  selector?: Requirement[];
  sortBy?: JsonPathTemplate;
}

export function planList(flags: ListFlags): ListPlan {
  const plan: ListPlan = { format: parseListFormat(flags.output) };
  if (flags.selector !== undefined) {
    try {
      plan.selector = parseLabelSelector(flags.selector);
    } catch (error) {
      if (error instanceof LabelSelectorError)
        throw new UsageError(`invalid -l/--selector ${JSON.stringify(flags.selector)}: ${error.message}`);
      throw error;
    }
  }
  if (flags['sort-by'] !== undefined) plan.sortBy = jsonPathOrUsage(() => parseSortBy(flags['sort-by']!), '--sort-by');
  if (flags.watch && (flags.filename ?? []).length > 0) {
    throw new UsageError(
      '--watch needs a cluster: files given with -f do not change',
      'drop -f to watch the cluster, or run the command again',
    );
  }
  return plan;
}

/** `printer`: where --watch shows each new list (the CLI's); a plain list is returned. */
export async function listExposures(flags: ListFlags, printer: Printer): Promise<CommandOutput> {
  const plan = planList(flags);
  if (flags.watch) {
    const { watchExposures } = await import('./list-watch.js');
    return watchExposures(flags, plan, printer);
  }
  return listOutput(await loadSnapshot(flags), flags, plan);
}

/** The list of one snapshot, with a renderer for the -o value given. */
export function listOutput(read: Snapshot, flags: ListFlags, plan: ListPlan): CommandOutput {
  // An object read twice from files is one object: one row, and a warning naming the places.
  const { snapshot, warnings } = withoutDuplicates(read);
  // A live read is already scoped to the namespace; files hold every namespace.
  const namespace = flags['all-namespaces'] ? undefined : flags.namespace;
  let items = filterExposures(discoverExposures(snapshot), snapshot, {
    namespace,
    mode: flags.mode,
    selector: plan.selector,
  });
  if (plan.sortBy) {
    const path = plan.sortBy;
    items = evaluating('--sort-by', () => sortByJsonPath(items, path));
  }
  const data: ExposureList = { apiVersion: exposureListApiVersion(items), kind: 'ExposureList', items };
  const { format } = plan;
  const human = format.kind === 'table' || format.kind === 'wide' || format.kind === 'custom-columns';
  return {
    data,
    warnings,
    notices: human && items.length === 0 ? [`No exposures found${namespace ? ` in namespace ${namespace}` : ''}.`] : [],
    renderers: { [flags.output]: renderer(format, data, flags['no-headers'] === true) },
  };
}

function renderer(format: ListFormat, data: ExposureList, noHeaders: boolean): Renderer {
  const { items } = data;
  switch (format.kind) {
    case 'json':
      return async () => (await import('../render/json.js')).toJson(data);
    case 'yaml':
      return async () => (await import('../render/yaml.js')).toYaml(data);
    case 'table':
      return (ctx) => renderExposureTable(items, ctx, false, noHeaders);
    case 'wide':
      return (ctx) => renderExposureTable(items, ctx, true, noHeaders);
    case 'name':
      return () => renderExposureNames(items);
    case 'jsonpath':
      return () => evaluating('jsonpath', () => format.template.execute(data));
    case 'custom-columns':
      return () => evaluating('custom-columns', () => renderCustomColumns(format.columns, items, noHeaders));
  }
}

function jsonPathOrUsage<T>(parse: () => T, flag: string): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof JsonPathError) throw new UsageError(`invalid ${flag}: ${error.message}`);
    throw error;
  }
}

/** A template that parsed but fails on the data (an index out of range...): exit 1, as kubectl. */
function evaluating<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof JsonPathError) throw new RuntimeError(`error executing ${what}: ${error.message}`);
    throw error;
  }
}
