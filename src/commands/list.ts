import { Flags } from '@oclif/core';
import { BaseCommand, outputFlag } from '../cli/base-command.js';
import type { CommandOutput } from '../cli/output.js';
import { listExposures } from '../actions/list.js';
import { MODES } from '../model/exposure.js';

export default class List extends BaseCommand<typeof List> {
  static override summary = 'List every exposure in the cluster or in manifest files, whoever made it.';
  static override description = `One row per object that makes a Service or workload reachable from outside the cluster: NodePort and LoadBalancer Services (MetalLB L2 or BGP, Cilium LB-IPAM, kube-vip), externalIPs, Ingresses, Gateways and their routes, and hostNetwork/hostPort workloads. Each row says how it is published, which addresses and ports it uses, how many endpoints are ready, whether the client's source IP survives, and whether it works.

With -f, objects are read from files and no cluster is needed.`;
  static override aliases = ['ls'];
  static override examples = [
    { description: 'Exposures in the current namespace', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Exposures in every namespace, with implementation and Service', command: '<%= config.bin %> <%= command.id %> -A -o wide' },
    { description: 'Lint manifests before applying them, no cluster needed', command: '<%= config.bin %> <%= command.id %> -f deploy/ -o json' },
    { description: 'Only the MetalLB BGP exposures', command: '<%= config.bin %> <%= command.id %> -A --mode bgp' },
  ];

  static override flags = {
    output: outputFlag(['table', 'wide', 'json', 'yaml']),
    mode: Flags.string({ summary: 'Show only exposures of this mode.', options: [...MODES] }),
  };

  protected execute(): Promise<CommandOutput> {
    return listExposures(this.flags);
  }
}
