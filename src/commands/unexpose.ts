import { Args, Flags } from '@oclif/core';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand, outputFlag } from '../cli/base-command.js';

export default class Unexpose extends BaseCommand<typeof Unexpose> {
  static override summary = 'Delete what exposectl created to publish a Service, and nothing else.';
  static override description =
    `Finds the objects exposectl made for SERVICE by their labels (app.kubernetes.io/managed-by=exposectl, exposectl.dev/service=SERVICE) and deletes them, front objects first. What other exposures still use is kept and said so: an address pool with another Service in it, the advertisement that announces such a pool, a BGP peer that other advertisements need. An --in-place exposure is reverted by releasing the Service fields exposectl set. Of Calico's default BGPConfiguration only the serviceLoadBalancerIPs entries exposectl added (its annotation exposectl.dev/added-service-lb-ips) and no other exposure needs are removed. The user's own objects are never touched.`;

  static override examples = [
    { description: 'Take back the exposure of web', command: '<%= config.bin %> <%= command.id %> web' },
    {
      description: 'See what would be deleted and what kept, changing nothing',
      command: '<%= config.bin %> <%= command.id %> shop/web --dry-run=client',
    },
    {
      description: 'The same, with the API server validating each deletion',
      command: '<%= config.bin %> <%= command.id %> shop/web --dry-run=server',
    },
  ];

  static override args = {
    service: Args.string({ description: 'The Service: NAME or NAMESPACE/NAME.', required: true }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'name']),
    'dry-run': Flags.string({
      summary:
        'client: print what would be deleted and kept; server: let the API server validate each deletion without doing it.',
      options: ['none', 'client', 'server'],
      default: 'none',
    }),
  };

  protected async execute(): Promise<CommandOutput> {
    const { unexpose } = await import('../actions/unexpose.js');
    return unexpose(this.args.service, this.flags);
  }
}
