// `exposectl describe SERVICE`: everything about one Service's exposure in one place, its
// ways in, the topology to its Pods and the findings on that path.
import { discoverExposures } from '../discover/index.js';
import { renderDescription } from '../render/topology/describe-text.js';
import { type CommonFlags, loadSnapshot } from '../sources/load.js';
import { buildTopology, exposuresOf, hasService } from '../topology/build.js';
import { describeService } from '../topology/describe.js';
import { findingsFor } from '../topology/findings.js';
import { serviceNotFound } from '../topology/service-arg.js';
import type { CommandOutput } from './output.js';
import { resolveServiceArg, scopedTo } from './service-arg.js';

export async function describe(serviceArg: string, flags: CommonFlags): Promise<CommandOutput> {
  const files = (flags.filename ?? []).length > 0;
  const ref = await resolveServiceArg(serviceArg, flags);
  const snapshot = await loadSnapshot(scopedTo(flags, ref));
  if (!hasService(snapshot, ref)) throw serviceNotFound(ref, files ? 'files' : 'cluster');
  const all = discoverExposures(snapshot);
  const topology = buildTopology(snapshot, { exposures: all, service: ref });
  const findings = await findingsFor(snapshot, ref);
  const description = describeService(snapshot, ref, exposuresOf(snapshot, all, ref), topology, findings);
  return {
    data: description,
    renderers: { text: (ctx) => renderDescription(description, ctx) },
  };
}
