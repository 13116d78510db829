import { Args, Flags } from '@oclif/core';
import type { ExposeFlags } from '../actions/expose.js';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand, outputFlag } from '../cli/base-command.js';
import { exposeModeFlags } from '../cli/expose-flags.js';
import { EXPOSE_MODES } from '../modes/index.js';

export default class Expose extends BaseCommand<typeof Expose> {
  static override summary =
    'Publish a Service outside the cluster: NodePort, Ingress, MetalLB L2/BGP, hostNetwork gateway or Gateway API.';
  static override description =
    `Generates what mode M needs and applies it with server-side apply (field manager "exposectl"). Every object it creates is labelled app.kubernetes.io/managed-by=exposectl and exposectl.dev/service=SERVICE; the Service itself is left alone unless --in-place. Objects with the same names that exposectl does not own are refused unless --force. The exception is Calico's shared BGPConfiguration default (--mode bgp when Calico runs BGP): it is never applied, only the missing serviceLoadBalancerIPs entries are added by a JSON patch guarded by its resourceVersion, and recorded in its annotation exposectl.dev/added-service-lb-ips.

Pre-flight checks run before anything is written (pool capacity and membership of --ip, pool overlap, MetalLB's address-sharing rules, the NodePort range and collisions, host-port conflicts, IngressClass and Gateway existence); a failed check exits 2 and changes nothing. Flags alone are checked before the first request (pools and --ip that cannot be right: 0.0.0.0/0, ::/0, loopback, link-local, multicast, broadcast). Running the same command twice changes nothing the second time. A write that fails after the first one was stored exits 1 naming what was applied and what failed; running the same command again converges. --wait --timeout bounds the wait even when the API server stops answering.

--sticky is set where the Pod is picked, so that \`diagnose affinity\` finds nothing on the result: ClientIP affinity on the Service (nodeport on a single node, l2, bgp), a client-address hash over the Pods of a headless Service (hostnetwork), the ingress controller's cookie (ingress-nginx on the Ingress; Traefik on the Service, with --in-place), HTTPRoute session persistence (gateway, HTTP ports). --sticky-timeout goes into each of them (affinity timeout, stick-table expiry, cookie lifetime). What cannot be sticky is refused (exit 2, with the modes that can): nodeport on more than one node (each node keeps its own affinity table: affinity/per-entry-node), --sticky-timeout with the nginx gateway (it keeps no table), a gateway port that is not HTTP, a Gateway served by Traefik (it accepts HTTPRoute session persistence without applying it: affinity/session-persistence-ignored; use --mode ingress --sticky --in-place). Support for session persistence varies between other Gateway API implementations: check that a client keeps its Pod.

With --dry-run=client and -f, no cluster is needed: the Service is read from the file and the checks that need cluster facts are skipped (and said so).`;

  static override examples = [
    {
      description: 'NodePort on a fixed port',
      command: '<%= config.bin %> <%= command.id %> web --mode nodeport --node-port 30080',
    },
    {
      description: 'Ingress for a host, through the nginx IngressClass, with TLS',
      command:
        '<%= config.bin %> <%= command.id %> web --mode ingress --host shop.example.com --ingress-class nginx --tls-secret shop-tls',
    },
    {
      description: 'MetalLB L2 from a new pool, keeping the client address, and wait until it serves',
      command:
        '<%= config.bin %> <%= command.id %> web --mode l2 --addresses 198.51.100.10-198.51.100.20 --preserve-source-ip --wait',
    },
    {
      description: 'MetalLB BGP towards a router',
      command:
        '<%= config.bin %> <%= command.id %> api --mode bgp --addresses 203.0.113.0/28 --peer 192.0.2.1 --peer-asn 64500 --my-asn 64512',
    },
    {
      description: 'HAProxy with hostNetwork on the edge nodes, PROXY protocol to the backend',
      command:
        '<%= config.bin %> <%= command.id %> db --mode hostnetwork --node-selector role=edge --preserve-source-ip',
    },
    {
      description: "A DNS name for the gateway's nodes, published by external-dns (--source=pod)",
      command:
        '<%= config.bin %> <%= command.id %> --mode hostnetwork --node-selector role=edge --hostname shop.example.com -f svc.yaml --dry-run=client -o yaml',
    },
    {
      description: 'Sticky sessions through ingress-nginx: a cookie that lives one hour',
      command:
        '<%= config.bin %> <%= command.id %> web --mode ingress --host shop.example.com --ingress-class nginx --sticky --sticky-timeout 3600',
    },
    {
      description: 'Sticky sessions at a hostNetwork HAProxy: client-address hash over the Pods, remembered 15 minutes',
      command:
        '<%= config.bin %> <%= command.id %> --mode hostnetwork --node-selector role=edge --sticky --sticky-timeout 900 -f svc.yaml --dry-run=client -o yaml',
    },
    {
      description: 'Gateway API: a Gateway of class cilium and an HTTPRoute',
      command: '<%= config.bin %> <%= command.id %> web --mode gateway --gateway-class cilium --host shop.example.com',
    },
    {
      description: 'See what would be created, without a cluster',
      command:
        '<%= config.bin %> <%= command.id %> --mode l2 --addresses 198.51.100.10/32 -f svc.yaml --dry-run=client -o yaml',
    },
  ];

  static override args = {
    service: Args.string({
      description: 'The Service to publish: NAME or NAMESPACE/NAME (optional with -f holding one Service).',
      required: false,
    }),
  };

  static override flags = {
    mode: Flags.string({ summary: 'How to publish the Service.', options: [...EXPOSE_MODES], required: true }),
    output: outputFlag(['text', 'yaml', 'json', 'name']),
    'dry-run': Flags.string({
      summary: 'client: print what would be applied; server: let the API server validate it without storing.',
      options: ['none', 'client', 'server'],
      default: 'none',
    }),
    wait: Flags.boolean({
      summary: 'Wait until the exposure serves: address assigned, endpoints ready, gateway pods ready.',
      default: false,
    }),
    timeout: Flags.string({ summary: 'How long --wait waits (e.g. 2m, 90s).', default: '5m' }),
    force: Flags.boolean({
      summary: 'Take over objects with the generated names that exposectl does not own.',
      default: false,
    }),
    'force-conflicts': Flags.boolean({
      summary: 'Take over fields that another field manager owns (server-side apply conflicts).',
      default: false,
    }),
    'in-place': Flags.boolean({
      summary: "Patch the Service's own type and traffic fields instead of creating a new Service.",
      default: false,
    }),
    'preserve-source-ip': Flags.boolean({
      summary: "Keep the client's address: externalTrafficPolicy Local, or PROXY protocol for the hostNetwork gateway.",
      default: false,
    }),
    sticky: Flags.boolean({
      summary:
        'Keep each client on one Pod (ClientIP affinity, gateway hash, controller cookie or session persistence, by mode).',
      default: false,
    }),
    'sticky-timeout': Flags.integer({
      summary: 'How long a client keeps its Pod, in seconds (default 10800, at most 86400).',
    }),
    ...exposeModeFlags,
  };

  protected async execute(): Promise<CommandOutput> {
    const { expose } = await import('../actions/expose.js');
    return expose(this.args.service, this.flags as unknown as ExposeFlags, this.renderContext());
  }
}
