import { Args } from '@oclif/core';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand, outputFlag } from '../cli/base-command.js';

export default class Topology extends BaseCommand<typeof Topology> {
  static override summary = 'Draw the path from a client outside the cluster to the Pods.';
  static override description =
    `For one Service (and every exposure that leads to it: its LoadBalancer, NodePort or externalIPs, the Ingresses and routes whose backend it is, the hostNetwork gateways that forward to it) or for every exposure: client -> address -> the node that answers for it (announcer, with interface/MAC when known) or the BGP next hops -> gateway (Ingress, Gateway and route, hostNetwork workload) -> Service -> EndpointSlice -> Pods, grouped by Node, ready and not-ready told apart. The hops where the client's source IP is lost (SNAT with externalTrafficPolicy Cluster, a TCP proxy without PROXY protocol) are marked.

Formats: tree (default; coloured with Ink on a terminal, plain text that fits 100 columns in pipes), mermaid (GitHub, Markdown), dot (Graphviz), svg and html (laid out with ELK, self-contained, grouped per namespace; large inputs collapse Pods per Node), json (schema: schemas/topology.schema.json).

SERVICE is NAME or NAMESPACE/NAME. A Service that is not in the cluster or in the files exits 1 with 'services "NAME" not found' (kubectl's NotFound); a malformed SERVICE exits 2.`;
  static override examples = [
    { description: 'The path to one Service, as a tree', command: '<%= config.bin %> <%= command.id %> shop/web' },
    {
      description: 'Every exposure of manifest files as an SVG picture, no cluster needed',
      command: '<%= config.bin %> <%= command.id %> -f deploy/ -o svg > topology.svg',
    },
    {
      description: 'An HTML page with zoom and a filter box, for every namespace',
      command: '<%= config.bin %> <%= command.id %> -A -o html > topology.html',
    },
    {
      description: 'A Mermaid diagram for a README',
      command: '<%= config.bin %> <%= command.id %> web -n shop -o mermaid',
    },
    {
      description: 'Istio: client -> ingress gateway Service -> Gateway -> VirtualService -> web, from files',
      command: '<%= config.bin %> <%= command.id %> web -n shop -f examples/istio',
    },
    {
      description: 'Render with Graphviz',
      command: '<%= config.bin %> <%= command.id %> web -o dot | dot -Tpng > web.png',
    },
  ];

  static override args = {
    service: Args.string({
      description: 'The Service: NAME or NAMESPACE/NAME (default: every exposure).',
      required: false,
    }),
  };

  static override flags = {
    output: outputFlag(['tree', 'mermaid', 'dot', 'svg', 'html', 'json']),
  };

  protected async execute(): Promise<CommandOutput> {
    const { topologyOf } = await import('../actions/topology.js');
    return topologyOf(this.args.service, this.flags);
  }
}
