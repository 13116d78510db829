import { Args } from '@oclif/core';
import { BaseCommand, outputFlag } from '../cli/base-command.js';
import type { CommandOutput } from '../actions/output.js';
import { discoverExposures } from '../discover/index.js';
import { contextNamespace } from '../kube/kubeconfig.js';
import { renderDescription } from '../render/topology/describe-text.js';
import { buildTopology, exposuresOf, hasService } from '../topology/build.js';
import { describeService } from '../topology/describe.js';
import { findingsFor } from '../topology/findings.js';
import { parseServiceArg, serviceNotFound } from '../topology/service-arg.js';

export default class Describe extends BaseCommand<typeof Describe> {
  static override summary = 'Describe one exposure end to end: addresses, ports, policy, endpoints per node, announcer, gateways, findings.';
  static override description = `Everything about how one Service is reached from outside the cluster, kubectl-style: its type, ports and externalTrafficPolicy; every exposure that leads to it (LoadBalancer, NodePort, externalIPs, Ingresses, Gateway API routes, hostNetwork gateways) with addresses, implementation and status; who answers for each address (the announcing node, with interface/MAC when known, or the BGP next hops); the gateways and their rules; where the client's source IP is lost; the endpoints per node, ready or not; and the analyzers' findings about its path.

SERVICE is NAME or NAMESPACE/NAME. A Service that is not in the cluster or in the files exits 1 with 'services "NAME" not found' (kubectl's NotFound); a malformed SERVICE exits 2. With -f, objects are read from files and no cluster is needed.`;
  static override examples = [
    { description: 'Describe a Service of the current namespace', command: '<%= config.bin %> <%= command.id %> web' },
    { description: 'From manifest files, no cluster needed', command: '<%= config.bin %> <%= command.id %> shop/web -f deploy/' },
    { description: 'The same facts as JSON, for scripts', command: '<%= config.bin %> <%= command.id %> shop/api -o json' },
  ];

  static override args = {
    service: Args.string({ description: 'The Service: NAME or NAMESPACE/NAME.', required: true }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
  };

  protected async execute(): Promise<CommandOutput> {
    const files = (this.flags.filename ?? []).length > 0;
    const defaultNamespace = this.flags.namespace ?? contextNamespace({ kubeconfig: this.flags.kubeconfig, context: this.flags.context });
    const ref = parseServiceArg(this.args.service, defaultNamespace, this.flags.namespace);
    if (!this.flags['all-namespaces']) this.flags.namespace = ref.namespace;
    const snapshot = await this.loadSnapshot();
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
}
