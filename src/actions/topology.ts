// `exposectl topology [SERVICE]`: the graph of one reading, from the client to the Pods,
// for one Service or every exposure, with a renderer per -o format (timed under DEBUG).
import { discoverExposures } from '../discover/index.js';
import type { Topology as TopologyDoc } from '../model/topology.js';
import type { RenderContext } from '../render/context.js';
import { type CommonFlags, loadSnapshot } from '../sources/load.js';
import { buildTopology, hasService } from '../topology/build.js';
import { serviceNotFound } from '../topology/service-arg.js';
import { debug } from '../util/debug.js';
import type { CommandOutput } from './output.js';
import { resolveServiceArg, scopedTo } from './service-arg.js';

/** Mermaid's default maxEdges (GitHub renders with the defaults). */
const MERMAID_MAX_EDGES = 500;

export interface TopologyFlags extends CommonFlags {
  output: string;
}

export async function topologyOf(serviceArg: string | undefined, flags: TopologyFlags): Promise<CommandOutput> {
  const files = (flags.filename ?? []).length > 0;
  // A live read of the Service's namespace (NAMESPACE/NAME without -n).
  const ref = serviceArg !== undefined ? await resolveServiceArg(serviceArg, flags) : undefined;
  const started = performance.now();
  const snapshot = await loadSnapshot(ref ? scopedTo(flags, ref) : flags);
  const read = performance.now();
  if (ref && !hasService(snapshot, ref)) throw serviceNotFound(ref, files ? 'files' : 'cluster');
  const exposures = discoverExposures(snapshot);
  // Files hold every namespace: -n keeps one (a live read is already scoped).
  const namespace = !ref && files && !flags['all-namespaces'] ? flags.namespace : undefined;
  const topology = buildTopology(snapshot, {
    exposures,
    ...(ref ? { service: ref } : {}),
    ...(namespace ? { namespace } : {}),
  });
  const built = performance.now();
  // Timings for bench/topology.ts (DEBUG=exposectl): reading the input vs the rest.
  debug(
    `topology: read input in ${(read - started).toFixed(1)} ms; ${exposures.length} exposures, ${topology.nodes.length} nodes, ${topology.edges.length} edges built in ${(built - read).toFixed(1)} ms`,
  );
  const timed = (format: string, render: (ctx: RenderContext) => Promise<string>) => async (ctx: RenderContext) => {
    const t0 = performance.now();
    const text = await render(ctx);
    debug(`topology: rendered ${format} (${text.length} bytes) in ${(performance.now() - t0).toFixed(1)} ms`);
    return text;
  };
  const empty = topology.nodes.length === 0;
  const warnings: string[] = [];
  if (flags.output === 'mermaid' && topology.edges.length > MERMAID_MAX_EDGES) {
    warnings.push(
      `${topology.edges.length} edges: Mermaid (and GitHub) draw at most ${MERMAID_MAX_EDGES} by default; name a SERVICE or -n, or use -o svg/html`,
    );
  }
  return {
    data: topology,
    warnings,
    notices:
      empty && flags.output !== 'json' ? [`No exposures found${namespace ? ` in namespace ${namespace}` : ''}.`] : [],
    renderers: {
      tree: timed('tree', (ctx) => renderTreeOutput(topology, ctx)),
      json: timed('json', async () => (await import('../render/topology/json.js')).renderTopologyJson(topology)),
      mermaid: timed('mermaid', async () => (await import('../render/topology/mermaid.js')).renderMermaid(topology)),
      dot: timed('dot', async () => (await import('../render/topology/dot.js')).renderDot(topology)),
      svg: timed('svg', async () => (await import('../render/topology/svg.js')).renderSvg(topology)),
      html: timed('html', async () => (await import('../render/topology/html.js')).renderHtml(topology)),
    },
  };
}

/** Ink on a terminal (loaded only then), plain text everywhere else. */
async function renderTreeOutput(topology: TopologyDoc, ctx: RenderContext): Promise<string> {
  if (topology.nodes.length === 0) return '';
  if (ctx.tty && ctx.color) {
    const { renderTreeInk } = await import('../render/topology/tree-ink.js');
    return renderTreeInk(topology, ctx.columns && ctx.columns > 0 ? ctx.columns : 100);
  }
  const { renderTree } = await import('../render/topology/tree.js');
  return renderTree(topology, ctx);
}
