import { Args, Flags } from '@oclif/core';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand, failOnFlag, outputFlag } from '../cli/base-command.js';
import { diagnoseProbeFlags } from '../cli/diagnose-flags.js';
import { CHECKS } from '../model/checks.js';
import { ECHO_IMAGE } from '../model/probe-names.js';

export default class Diagnose extends BaseCommand<typeof Diagnose> {
  static override summary = 'Find what is wrong with exposures, why, and exactly what to change.';
  static override description =
    `Runs the analyzers over the objects of the cluster (or of files with -f) and reports findings with stable codes (exposectl.dev codes such as source-ip/etp-cluster, lb/no-pool): each names its subject, says what happens to traffic, and gives the fix as a concrete change.

CHECK limits the run to one family: ${CHECKS.join(', ')} (or "all"). A single word that is no check is the SERVICE: "diagnose web" runs every check on the path of web. SERVICE (NAME or NAMESPACE/NAME) limits the findings to the objects on that Service's path: the Service, the Ingresses, routes, Gateways and gateways in front of it, their controllers, its address pools. "diagnose source-ip SERVICE" follows the path and names every hop that replaces the client address. "diagnose affinity SERVICE" follows every way to the Service for sticky sessions: each hop, what it keys stickiness on (client address, cookie, nothing), which hop picks the Pod, and where the stickiness breaks (affinity/* codes; -o json adds the ways as the report's affinity field).

From files (-f), a missing object is a finding only where the files are complete for its kind, and the finding says "not in the input": a kind the files hold is complete in the namespaces where they hold it (a chart with Secrets in shop says nothing of Secrets elsewhere), and a kubectl get -o yaml|json export (kind: List) or files with Nodes are complete for every kind (except Pods, Services, EndpointSlices and ConfigMaps when they hold none: every cluster has some, so the export left them out). --input-complete=all takes the files as the whole cluster, --input-complete=none judges only what is present.

Probe-based codes (arp/*, bgp/*, the healthz view of endpoints/local-policy-blackhole, reach/*, and the source-IP proof) need facts from the network: --probe runs only the probes the selected check needs. ARP asks who answers for each L2 LoadBalancer address from --interface; BGP listens as a passive peer (--bgp-listen, --bgp-local-as) for --bgp-duration; healthz asks each node's kube-proxy healthCheckNodePort of Local-policy Services; reach tries every way in of the Services in scope (SERVICE, or every Service with a way in from outside) once from here, each within --probe-timeout, as "probe reach" does. A probe whose flags are missing is an error (exit 2) when its check is named ("diagnose arp --probe" without --interface), and is skipped with a notice otherwise.

"diagnose source-ip SERVICE --probe" proves where the client address goes: it deploys a temporary echo Pod (${ECHO_IMAGE} netexec, --echo-image to change it) and exposes it the same way as SERVICE without touching SERVICE: a temporary Service of the same type, externalTrafficPolicy, loadBalancerClass and pool annotations (or, for a Service reached through an Ingress or HTTPRoute, a temporary Ingress/HTTPRoute on the same class or Gateway with a host of its own), all labelled app.kubernetes.io/managed-by=exposectl. Once the mirror has an address and a ready endpoint (--echo-timeout), it sends GET /clientip through it, compares the address the echo saw with its own source address, names the hop that rewrote it, and always deletes the temporary objects (also on failure and Ctrl-C). Exposures it cannot mirror (a hostNetwork gateway whose config exposectl does not own, externalIPs) are reported as not probed, with the reason. Run it from where clients come from: the proof is about the path from this host.

Exit status: 0 without findings at or above --fail-on (default error), 3 with, 1 when the facts could not be read or a probe could not run (the echo was not reachable), 2 for a bad CHECK, flag or input, 130 when interrupted (the echo objects are removed first).`;
  static override examples = [
    { description: 'Everything wrong in the current namespace', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Every check on the path of Service web', command: '<%= config.bin %> <%= command.id %> web' },
    {
      description: 'Where does the client IP of Service web get lost?',
      command: '<%= config.bin %> <%= command.id %> source-ip web',
    },
    {
      description: 'Where do sticky sessions of Service web break? Each hop and what it keys stickiness on',
      command: '<%= config.bin %> <%= command.id %> affinity web',
    },
    {
      description: "The same from files, as JSON (the ways are in the report's affinity field)",
      command: '<%= config.bin %> <%= command.id %> affinity shop/cart -f examples/sticky -o json',
    },
    {
      description: 'Every check for one Service, from files',
      command: '<%= config.bin %> <%= command.id %> all shop/web -f deploy/',
    },
    {
      description:
        'Take the files as the whole cluster: a Service, Secret or IngressClass they name and lack is an error ("not in the input")',
      command: '<%= config.bin %> <%= command.id %> -f examples/demo --input-complete=all',
    },
    {
      description: 'Lint manifests in CI: fail on warnings, annotate the pull request',
      command: '<%= config.bin %> <%= command.id %> -f deploy/ --fail-on warning -o github',
    },
    {
      description:
        'Prove it: send a request through the exposure of web to a temporary echo, and name the hop that lost the client IP',
      command: '<%= config.bin %> <%= command.id %> source-ip web --probe',
    },
    {
      description: 'Who answers ARP for every L2 address, from eth0',
      command: 'sudo <%= config.bin %> <%= command.id %> arp --probe --interface eth0',
    },
    {
      description: 'Listen 20 s as a passive BGP peer and compare what the speakers advertise',
      command:
        '<%= config.bin %> <%= command.id %> bgp --probe --bgp-listen 192.0.2.10:1179 --bgp-local-as 64500 --bgp-duration 20s',
    },
    {
      description: 'Calico in BGP mode: LoadBalancer addresses outside the BGPConfiguration ranges, or with no BGPPeer',
      command: '<%= config.bin %> <%= command.id %> bgp -f examples/calico-bgp',
    },
    {
      description: 'SARIF for code scanning, ignoring one accepted finding',
      command:
        '<%= config.bin %> <%= command.id %> -f deploy/ -o sarif --ignore source-ip/etp-cluster=shop/web > exposectl.sarif',
    },
  ];

  static override args = {
    check: Args.string({
      description: `The check to run: ${CHECKS.join(', ')}, or all (default). A word that is none of them is the SERVICE.`,
      required: false,
    }),
    service: Args.string({
      description: 'Only findings on the path of this Service: NAME or NAMESPACE/NAME.',
      required: false,
    }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'sarif', 'github']),
    'fail-on': failOnFlag('error', 'none: never'),
    ignore: Flags.string({
      summary: 'Drop findings of CODE (or CHECK/*), optionally only about one object: CODE=NAMESPACE/NAME.',
      multiple: true,
    }),
    ...diagnoseProbeFlags,
    verbose: Flags.boolean({
      char: 'v',
      summary: 'Say on stderr which analyzers ran and which were skipped, and why.',
      default: false,
    }),
  };

  protected async execute(): Promise<CommandOutput> {
    const { diagnose } = await import('../actions/diagnose.js');
    return diagnose(this.args, this.flags, this.printer(), this.config.version);
  }
}
