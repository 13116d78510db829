import { Args, Flags } from '@oclif/core';
import type { CommandOutput } from '../../actions/output.js';
import { BaseCommand, failOnFlag, outputFlag } from '../../cli/base-command.js';

export default class ProbeEndpoints extends BaseCommand<typeof ProbeEndpoints> {
  static override summary =
    "Ready and not-ready endpoints per node; for externalTrafficPolicy Local, the nodes that drop traffic; each node's /healthz answer.";
  static override description =
    `Reads the Service's EndpointSlices (else its Pods) and shows, per node, how many endpoints are ready and not ready. For a NodePort or LoadBalancer Service every node's kube-proxy receives external traffic; with externalTrafficPolicy Local a node without a local ready endpoint drops it: those nodes are listed and reported as endpoints/local-policy-blackhole.

--healthz asks each node's kube-proxy health check, GET http://NODE-InternalIP:healthCheckNodePort/healthz (one request per node, at most --concurrency at a time, each within --timeout), reads localEndpoints from its JSON answer and compares it with the EndpointSlices: a node that answers 503 drops traffic whatever the slices say, and a count that differs means kube-proxy has not caught up. Only LoadBalancer Services with externalTrafficPolicy Local have a healthCheckNodePort (the API server allocates it). Run it from where the nodes' InternalIPs are reachable.

SERVICE is NAME or NAMESPACE/NAME. With -f, objects are read from files and no cluster is needed.

Exit status: 0 when the probe ran, whatever it found (unless --fail-on), 1 when the Service or the cluster could not be read, 2 for a bad flag or SERVICE, 3 with --fail-on SEVERITY and a finding at or above it. Nodes that do not answer /healthz are reported, not failures.`;
  static override examples = [
    { description: 'Endpoints per node of Service web', command: '<%= config.bin %> <%= command.id %> web' },
    {
      description: "Also ask every node's kube-proxy health check, as JSON",
      command: '<%= config.bin %> <%= command.id %> shop/web --healthz -o json',
    },
    {
      description: 'From manifest files (Nodes, Service, EndpointSlices), no cluster needed',
      command: '<%= config.bin %> <%= command.id %> web -f cluster-dump/',
    },
    {
      description: 'In CI: exit 3 when a node would drop Local-policy traffic',
      command: '<%= config.bin %> <%= command.id %> web --healthz --fail-on warning',
    },
  ];

  static override args = {
    service: Args.string({ description: 'The Service: NAME or NAMESPACE/NAME.', required: true }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
    healthz: Flags.boolean({
      summary: "GET each node's healthCheckNodePort /healthz and compare its localEndpoints with the EndpointSlices.",
      default: false,
    }),
    timeout: Flags.string({ summary: "With --healthz: how long to wait for each node's answer.", default: '2s' }),
    concurrency: Flags.integer({ summary: 'With --healthz: requests in flight at once.', default: 8, min: 1, max: 64 }),
    'fail-on': failOnFlag('none', 'default none: a probe reports, it does not fail'),
  };

  protected async execute(): Promise<CommandOutput> {
    const { probeEndpoints } = await import('../../actions/probe-endpoints.js');
    return probeEndpoints(this.args.service, this.flags);
  }
}
