import { Args } from '@oclif/core';
import { BaseCommand, outputFlag } from '../cli/base-command.js';
import { debug } from '../cli/debug.js';
import type { CommandOutput, RenderContext } from '../cli/output.js';
import { discoverExposures } from '../discover/index.js';
import { contextNamespace } from '../kube/kubeconfig.js';
import type { Topology as TopologyDoc } from '../model/topology.js';
import { buildTopology, hasService } from '../topology/build.js';
import { parseServiceArg, serviceNotFound } from '../topology/service-arg.js';

/** Mermaid's default maxEdges (GitHub renders with the defaults). */
const MERMAID_MAX_EDGES = 500;

export default class Topology extends BaseCommand<typeof Topology> {
  static override summary = 'Draw the path from a client outside the cluster to the Pods.';
  static override description = `For one Service (and every exposure that leads to it: its LoadBalancer, NodePort or externalIPs, the Ingresses and routes whose backend it is, the hostNetwork gateways that forward to it) or for every exposure: client -> address -> the node that answers for it (announcer, with interface/MAC when known) or the BGP next hops -> gateway (Ingress, Gateway and route, hostNetwork workload) -> Service -> EndpointSlice -> Pods, grouped by Node, ready and not-ready told apart. The hops where the client's source IP is lost (SNAT with externalTrafficPolicy Cluster, a TCP proxy without PROXY protocol) are marked.

Formats: tree (default; coloured with Ink on a terminal, plain text that fits 100 columns in pipes), mermaid (GitHub, Markdown), dot (Graphviz), svg and html (laid out with ELK, self-contained, grouped per namespace; large inputs collapse Pods per Node), json (schema: schemas/topology.schema.json).

SERVICE is NAME or NAMESPACE/NAME. A Service that is not in the cluster or in the files exits 1 with 'services "NAME" not found' (kubectl's NotFound); a malformed SERVICE exits 2.`;
  static override examples = [
    { description: 'The path to one Service, as a tree', command: '<%= config.bin %> <%= command.id %> shop/web' },
    { description: 'Every exposure of manifest files as an SVG picture, no cluster needed', command: '<%= config.bin %> <%= command.id %> -f deploy/ -o svg > topology.svg' },
    { description: 'An HTML page with zoom and a filter box, for every namespace', command: '<%= config.bin %> <%= command.id %> -A -o html > topology.html' },
    { description: 'A Mermaid diagram for a README', command: '<%= config.bin %> <%= command.id %> web -n shop -o mermaid' },
    { description: "Istio: client -> ingress gateway Service -> Gateway -> VirtualService -> web, from files", command: '<%= config.bin %> <%= command.id %> web -n shop -f examples/istio' },
    { description: 'Render with Graphviz', command: '<%= config.bin %> <%= command.id %> web -o dot | dot -Tpng > web.png' },
  ];

  static override args = {
    service: Args.string({ description: 'The Service: NAME or NAMESPACE/NAME (default: every exposure).', required: false }),
  };

  static override flags = {
    output: outputFlag(['tree', 'mermaid', 'dot', 'svg', 'html', 'json']),
  };

  protected async execute(): Promise<CommandOutput> {
    const files = (this.flags.filename ?? []).length > 0;
    let ref;
    if (this.args.service !== undefined) {
      const defaultNamespace = this.flags.namespace ?? contextNamespace({ kubeconfig: this.flags.kubeconfig, context: this.flags.context });
      ref = parseServiceArg(this.args.service, defaultNamespace, this.flags.namespace);
      // A live read of the Service's namespace (NAMESPACE/NAME without -n).
      if (!this.flags['all-namespaces']) this.flags.namespace = ref.namespace;
    }
    const started = performance.now();
    const snapshot = await this.loadSnapshot();
    const read = performance.now();
    if (ref && !hasService(snapshot, ref)) throw serviceNotFound(ref, files ? 'files' : 'cluster');
    const exposures = discoverExposures(snapshot);
    // Files hold every namespace: -n keeps one (a live read is already scoped).
    const namespace = !ref && files && !this.flags['all-namespaces'] ? this.flags.namespace : undefined;
    const topology = buildTopology(snapshot, { exposures, ...(ref ? { service: ref } : {}), ...(namespace ? { namespace } : {}) });
    const built = performance.now();
    // Timings for bench/topology.ts (DEBUG=exposectl): reading the input vs the rest.
    debug(`topology: read input in ${(read - started).toFixed(1)} ms; ${exposures.length} exposures, ${topology.nodes.length} nodes, ${topology.edges.length} edges built in ${(built - read).toFixed(1)} ms`);
    const timed = (format: string, render: (ctx: RenderContext) => Promise<string>) => async (ctx: RenderContext) => {
      const t0 = performance.now();
      const text = await render(ctx);
      debug(`topology: rendered ${format} (${text.length} bytes) in ${(performance.now() - t0).toFixed(1)} ms`);
      return text;
    };
    const empty = topology.nodes.length === 0;
    const warnings: string[] = [];
    if (this.flags.output === 'mermaid' && topology.edges.length > MERMAID_MAX_EDGES) {
      warnings.push(`${topology.edges.length} edges: Mermaid (and GitHub) draw at most ${MERMAID_MAX_EDGES} by default; name a SERVICE or -n, or use -o svg/html`);
    }
    return {
      data: topology,
      warnings,
      notices: empty && this.flags.output !== 'json' ? [`No exposures found${namespace ? ` in namespace ${namespace}` : ''}.`] : [],
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
