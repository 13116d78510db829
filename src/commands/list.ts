import { Flags } from '@oclif/core';
import { listExposures } from '../actions/list.js';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand } from '../cli/base-command.js';
import { MODES } from '../model/exposure.js';
import { LIST_FORMAT_HELP } from '../render/list-format.js';

export default class List extends BaseCommand<typeof List> {
  static override summary = 'List every exposure in the cluster or in manifest files, whoever made it.';
  static override description =
    `One row per object that makes a Service or workload reachable from outside the cluster: NodePort and LoadBalancer Services (MetalLB L2 or BGP, Cilium LB-IPAM, kube-vip), externalIPs, Ingresses, Gateways and their routes, and hostNetwork/hostPort workloads. Each row says how it is published, which addresses and ports it uses, how many endpoints are ready, whether the client's source IP survives, and whether it works.

-o wide adds STICKY: how a client keeps its Pod on that way in (client-ip, cookie, none, or broken when the stickiness set is undone on the way; "diagnose affinity SERVICE" says where); -o json has it as sticky.

With -f, objects are read from files and no cluster is needed.

The output options are kubectl's: -o name, -o jsonpath=TEMPLATE and -o custom-columns=SPEC evaluate kubectl's JSONPath on the ExposureList document of -o json (items[].name, .kind, .namespace, .mode, .addresses, .ports, .status...); --sort-by takes a JSONPath on an item; -l selects by the labels of the exposing object (a=b, a!=b, a in (x,y), a notin (x), a, !a). On a terminal, more than three addresses are cut to "+ N more..." (never in -o json).

With -w, the cluster is read again every 2 seconds and the list shown again when it changes: redrawn in place on a terminal, one document (or table) per change in a pipe.`;
  static override aliases = ['ls'];
  static override examples = [
    { description: 'Exposures in the current namespace', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Exposures in every namespace, with implementation and Service',
      command: '<%= config.bin %> <%= command.id %> -A -o wide',
    },
    {
      description: 'Lint manifests before applying them, no cluster needed',
      command: '<%= config.bin %> <%= command.id %> -f deploy/ -o json',
    },
    {
      description: 'Which exposures keep a client on one Pod (the STICKY column), from files',
      command: '<%= config.bin %> <%= command.id %> -f examples/sticky -o wide',
    },
    { description: 'Only the MetalLB BGP exposures', command: '<%= config.bin %> <%= command.id %> -A --mode bgp' },
    {
      description: 'The exposing objects of the demo manifests, by name',
      command: '<%= config.bin %> <%= command.id %> -f examples/demo -o name',
    },
    {
      description: 'One line per exposure: name and addresses (kubectl JSONPath)',
      command: `<%= config.bin %> <%= command.id %> -f examples/demo -o jsonpath='{range .items[*]}{.name}{"\\t"}{.addresses}{"\\n"}{end}'`,
    },
    {
      description: 'Columns of your choice, sorted by status',
      command:
        '<%= config.bin %> <%= command.id %> -f examples/demo -o custom-columns=NAME:.name,MODE:.mode,STATUS:.status --sort-by=.status',
    },
    {
      description: 'Exposures whose Service, Ingress, route or workload has these labels, without the header',
      command: `<%= config.bin %> <%= command.id %> -A -l 'app.kubernetes.io/part-of=shop,tier notin (test)' --no-headers`,
    },
    {
      description: 'Watch the exposures of every namespace change',
      command: '<%= config.bin %> <%= command.id %> -A -w',
    },
  ];

  static override flags = {
    output: Flags.string({
      char: 'o',
      summary: `Output format: ${LIST_FORMAT_HELP}.`,
      default: 'table',
      helpGroup: 'GLOBAL',
    }),
    mode: Flags.string({ summary: 'Show only exposures of this mode.', options: [...MODES] }),
    selector: Flags.string({
      char: 'l',
      summary: 'Only exposures whose object has these labels (kubectl label selector: a=b,c!=d,e in (f,g),!h).',
    }),
    'sort-by': Flags.string({
      summary: 'Sort by a JSONPath on each item, as kubectl (e.g. .name, .status, .ports[0].port).',
    }),
    'no-headers': Flags.boolean({
      summary: 'Print tables (table, wide, custom-columns) without their header line.',
      default: false,
    }),
    watch: Flags.boolean({
      char: 'w',
      summary: 'Keep watching: show the list again whenever it changes (not with -f).',
      default: false,
    }),
  };

  protected execute(): Promise<CommandOutput> {
    return listExposures(this.flags, this.printer());
  }
}
