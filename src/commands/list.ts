import { Flags } from '@oclif/core';
import { BaseCommand, outputFlag } from '../cli/base-command.js';
import type { CommandOutput } from '../cli/output.js';
import { discoverExposures } from '../discover/index.js';
import { EXPOSURE_API_VERSION, MODES, type ExposureList } from '../model/exposure.js';
import { renderExposureTable } from '../render/exposure-table.js';

export default class List extends BaseCommand<typeof List> {
  static override summary = 'List every exposure in the cluster or in manifest files, whoever made it.';
  static override description = `One row per object that makes a Service or workload reachable from outside the cluster:
NodePort and LoadBalancer Services (MetalLB L2 or BGP, Cilium LB-IPAM, kube-vip), externalIPs,
Ingresses, Gateways and their routes, and hostNetwork/hostPort workloads. Each row says how
it is published, which addresses and ports it uses, how many endpoints are ready, whether
the client's source IP survives, and whether it works.

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

  protected async execute(): Promise<CommandOutput> {
    const snapshot = await this.loadSnapshot();
    let items = discoverExposures(snapshot);
    // A live read is already scoped to the namespace; files hold every namespace.
    const namespace = this.flags['all-namespaces'] ? undefined : this.flags.namespace;
    if (namespace !== undefined) items = items.filter((e) => e.namespace === namespace || e.namespace === null);
    if (this.flags.mode) items = items.filter((e) => e.mode === this.flags.mode);
    const data: ExposureList = { apiVersion: EXPOSURE_API_VERSION, kind: 'ExposureList', items };
    const human = this.flags.output === 'table' || this.flags.output === 'wide';
    return {
      data,
      notices: human && items.length === 0 ? [`No exposures found${namespace ? ` in namespace ${namespace}` : ''}.`] : [],
      renderers: {
        table: (ctx) => renderExposureTable(items, ctx),
        wide: (ctx) => renderExposureTable(items, ctx, true),
      },
    };
  }
}
