import { Args } from '@oclif/core';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand, outputFlag } from '../cli/base-command.js';

export default class Describe extends BaseCommand<typeof Describe> {
  static override summary =
    'Describe one exposure end to end: addresses, ports, policy, endpoints per node, announcer, gateways, findings.';
  static override description =
    `Everything about how one Service is reached from outside the cluster, kubectl-style: its type, ports and externalTrafficPolicy; every exposure that leads to it (LoadBalancer, NodePort, externalIPs, Ingresses, Gateway API routes, hostNetwork gateways) with addresses, implementation and status; who answers for each address (the announcing node, with interface/MAC when known, or the BGP next hops); the gateways and their rules; where the client's source IP is lost; the endpoints per node, ready or not; and the analyzers' findings about its path.

SERVICE is NAME or NAMESPACE/NAME. A Service that is not in the cluster or in the files exits 1 with 'services "NAME" not found' (kubectl's NotFound); a malformed SERVICE exits 2. With -f, objects are read from files and no cluster is needed.`;
  static override examples = [
    { description: 'Describe a Service of the current namespace', command: '<%= config.bin %> <%= command.id %> web' },
    {
      description: 'From manifest files, no cluster needed',
      command: '<%= config.bin %> <%= command.id %> shop/web -f deploy/',
    },
    {
      description: 'The same facts as JSON, for scripts',
      command: '<%= config.bin %> <%= command.id %> shop/api -o json',
    },
  ];

  static override args = {
    service: Args.string({ description: 'The Service: NAME or NAMESPACE/NAME.', required: true }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
  };

  protected async execute(): Promise<CommandOutput> {
    const { describe } = await import('../actions/describe.js');
    return describe(this.args.service, this.flags);
  }
}
