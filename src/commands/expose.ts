import { Args, Flags } from '@oclif/core';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand, outputFlag } from '../cli/base-command.js';
import { FACT_KINDS, factsFromLoad } from '../expose/facts.js';
import { createProgress } from '../expose/progress.js';
import type { ReadinessCheck } from '../expose/readiness.js';
import { applyPlan, checkOptions, type DryRun, planOrFail, waitUntilServing } from '../expose/run.js';
import { type ExposeFlagValues, optionsFromFlags } from '../expose/spec-from-flags.js';
import { parseServiceArg, serviceFromFiles } from '../expose/target.js';
import type { InputCompleteness, Service } from '../model/snapshot.js';
import { EXPOSE_MODES, type ExposeFacts, type ExposeSpec } from '../modes/index.js';
import { asList, renderActions, renderNames } from '../render/applied.js';
import { parseDuration } from '../util/duration.js';
import { RuntimeError, UsageError } from '../util/errors.js';

const MODE_GROUP = 'MODE OPTIONS';

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
    port: Flags.string({
      summary: 'The Service port to publish (number or name) when it has several.',
      helpGroup: MODE_GROUP,
    }),
    'node-port': Flags.integer({ summary: 'nodeport: a fixed node port.', helpGroup: MODE_GROUP }),
    host: Flags.string({ summary: 'ingress, gateway: the host name to route.', helpGroup: MODE_GROUP }),
    path: Flags.string({ summary: 'ingress: the path prefix (default /).', helpGroup: MODE_GROUP }),
    'ingress-class': Flags.string({
      summary: 'ingress: the IngressClass (default: the default class).',
      helpGroup: MODE_GROUP,
    }),
    'tls-secret': Flags.string({ summary: 'ingress, gateway: the TLS Secret.', helpGroup: MODE_GROUP }),
    pool: Flags.string({ summary: 'l2, bgp: reuse this MetalLB IPAddressPool.', helpGroup: MODE_GROUP }),
    addresses: Flags.string({
      summary: 'l2, bgp: create a pool from these ranges (a-b) or CIDRs.',
      multiple: true,
      helpGroup: MODE_GROUP,
    }),
    ip: Flags.string({ summary: 'l2, bgp: this exact address.', helpGroup: MODE_GROUP }),
    interfaces: Flags.string({
      summary: 'l2: announce only on these interfaces.',
      multiple: true,
      helpGroup: MODE_GROUP,
    }),
    'advertise-node-selector': Flags.string({
      summary: 'l2, bgp: announce only from nodes with these labels (key=value,...).',
      multiple: true,
      helpGroup: MODE_GROUP,
    }),
    peer: Flags.string({ summary: 'bgp: the router address.', helpGroup: MODE_GROUP }),
    'peer-asn': Flags.integer({ summary: "bgp: the router's AS number.", helpGroup: MODE_GROUP }),
    'my-asn': Flags.integer({ summary: "bgp: the cluster's AS number.", helpGroup: MODE_GROUP }),
    communities: Flags.string({
      summary: 'bgp: communities (65000:100 or large:1:2:3).',
      multiple: true,
      helpGroup: MODE_GROUP,
    }),
    'local-pref': Flags.integer({ summary: 'bgp: LOCAL_PREF of the announcement.', helpGroup: MODE_GROUP }),
    'aggregation-length': Flags.integer({
      summary: 'bgp: announce an aggregate of this prefix length.',
      helpGroup: MODE_GROUP,
    }),
    'share-ip': Flags.string({
      summary: 'l2, bgp: share the address with Services of the same key (TCP+UDP on one IP).',
      helpGroup: MODE_GROUP,
    }),
    'node-selector': Flags.string({
      summary: 'hostnetwork: the nodes that run the gateway (key=value,...).',
      multiple: true,
      helpGroup: MODE_GROUP,
    }),
    'gateway-impl': Flags.string({
      summary: 'hostnetwork: the proxy.',
      options: ['haproxy', 'nginx'],
      helpGroup: MODE_GROUP,
    }),
    'gateway-image': Flags.string({ summary: 'hostnetwork: the proxy image.', helpGroup: MODE_GROUP }),
    hostname: Flags.string({
      summary: "hostnetwork: DNS names external-dns publishes for the gateway's nodes (NAME,...).",
      multiple: true,
      helpGroup: MODE_GROUP,
    }),
    gateway: Flags.string({
      summary: 'gateway: attach to this existing Gateway (NAME or NAMESPACE/NAME).',
      helpGroup: MODE_GROUP,
    }),
    'gateway-class': Flags.string({ summary: 'gateway: the GatewayClass of a new Gateway.', helpGroup: MODE_GROUP }),
    'http-ports': Flags.string({ summary: 'gateway: ports to route as HTTP.', multiple: true, helpGroup: MODE_GROUP }),
  };

  protected async execute(): Promise<CommandOutput> {
    const dryRun = this.flags['dry-run'] as DryRun;
    const files = this.flags.filename ?? [];
    const timeoutMs = parseDuration(this.flags.timeout, 'timeout');
    if (dryRun === 'client' && this.flags.wait) throw new UsageError('--wait cannot be used with --dry-run=client');
    if (files.length === 0 && !this.args.service)
      throw new UsageError('name the Service to expose, or give it with -f', 'exposectl expose SERVICE --mode M');
    // Every check of the flags alone comes before the first request: exit 2 even with the cluster down.
    const options = optionsFromFlags({
      ...(this.flags as unknown as ExposeFlagValues),
      mode: this.flags.mode as ExposeFlagValues['mode'],
    });
    checkOptions(options);
    if (this.args.service) parseServiceArg(this.args.service, 'default');

    const offline = dryRun === 'client' && files.length > 0;
    let service: Service;
    let facts: ExposeFacts = {};
    let client: Awaited<ReturnType<typeof import('../kube/client.js').connect>> | undefined;
    if (files.length > 0) {
      const { readManifests } = await import('../sources/files.js');
      const complete = (this.flags as { 'input-complete'?: InputCompleteness })['input-complete'];
      const snapshot = await readManifests(files, {
        defaultNamespace: this.flags.namespace ?? 'default',
        ...(complete ? { completeness: complete } : {}),
      });
      const target = this.args.service
        ? parseServiceArg(this.args.service, this.flags.namespace ?? 'default')
        : undefined;
      service = serviceFromFiles(snapshot, target);
    }
    if (!offline) {
      const { connect } = await import('../kube/client.js');
      client = await connect({
        kubeconfig: this.flags.kubeconfig,
        context: this.flags.context,
        requestTimeoutMs: this.requestTimeoutMs(),
      });
      const namespace = this.flags.namespace ?? client.namespace;
      if (files.length === 0) service = await this.liveService(client, parseServiceArg(this.args.service!, namespace));
      const { loadCluster } = await import('../sources/cluster.js');
      facts = factsFromLoad(
        await loadCluster({
          kubeconfig: this.flags.kubeconfig,
          context: this.flags.context,
          allNamespaces: true,
          requestTimeoutMs: this.requestTimeoutMs(),
          kinds: FACT_KINDS,
        }),
      );
    }

    const spec: ExposeSpec = { service: service!, ...options };
    const plan = planOrFail(spec, facts);
    let objects = plan.manifests;
    let readiness: ReadinessCheck[] | undefined;
    let failure: RuntimeError | undefined;
    try {
      if (client && dryRun !== 'client') {
        // client: print the plan, write nothing
        objects = await applyPlan(client, plan, {
          dryRun: dryRun === 'server',
          force: this.flags.force,
          forceConflicts: this.flags['force-conflicts'],
        });
        if (this.flags.wait && dryRun === 'none') {
          const ctx = this.renderContext();
          const progress = await createProgress(Boolean(process.stderr.isTTY), ctx.color);
          try {
            readiness = await waitUntilServing(client, spec, plan.manifests, { timeoutMs, progress });
          } catch (err) {
            if (!(err instanceof RuntimeError)) throw err;
            failure = err; // the objects are applied: say so, then why the wait failed
          }
        }
      }
    } finally {
      await client?.close();
    }
    const verb = 'serverside-applied';
    return {
      data: asList(objects),
      notices: plan.notes.map((n) => `Note: ${n}`),
      ...(failure ? { failure } : {}),
      renderers: {
        text: () =>
          renderActions(objects, dryRun === 'client' ? 'planned' : verb, dryRun) +
          (readiness
            ? `serving: ${readiness
                .filter((c) => c.detail !== 'present')
                .map((c) => `${c.what} ${c.detail}`)
                .join(', ')}\n`
            : ''),
        name: () => renderNames(objects),
      },
    };
  }

  private async liveService(
    client: import('../kube/client.js').KubeClient,
    target: { namespace: string; name: string },
  ): Promise<Service> {
    const { getObject } = await import('../kube/objects.js');
    const svc = await getObject(client, {
      apiVersion: 'v1',
      kind: 'Service',
      namespace: target.namespace,
      name: target.name,
    });
    if (!svc) throw new UsageError(`service "${target.name}" not found in namespace "${target.namespace}"`);
    return svc as unknown as Service;
  }
}
