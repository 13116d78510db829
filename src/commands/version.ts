import { Flags } from '@oclif/core';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand, clusterFlags, colorFlag, outputFlag } from '../cli/base-command.js';

export default class Version extends BaseCommand<typeof Version> {
  static override summary = 'Print the versions of exposectl, the cluster and the exposure implementations in it.';
  static override description =
    `The client version (exposectl, Node.js, platform); with a reachable cluster also the API server's version (/version) and the exposure implementations found in it with their versions: MetalLB, Cilium, kube-vip and ingress controllers (ingress-nginx, NGINX, HAProxy, Traefik, Contour, Envoy Gateway, Kong), told by the images of their Deployments and DaemonSets in every namespace.

Without any kubeconfig only the client version is printed (exit 0). A cluster that cannot be reached prints the client version and exits 1. Listing Deployments and DaemonSets needs get/list on them in every namespace (exposectl rbac --read-only grants it); without it the implementations are left out with a warning.`;
  static override examples = [
    { description: 'Client, server and implementations', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Only the client, as JSON', command: '<%= config.bin %> <%= command.id %> --client -o json' },
  ];

  // Reads only the cluster's version and workloads: no namespace or file flags.
  static override baseFlags = { ...clusterFlags, ...colorFlag };

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
    client: Flags.boolean({ summary: 'Only the client version; no cluster is asked.', default: false }),
  };

  protected async execute(): Promise<CommandOutput> {
    const { versions } = await import('../actions/version.js');
    return versions(this.flags, this.config.version);
  }
}
