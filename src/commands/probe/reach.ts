import { Args, Flags } from '@oclif/core';
import type { CommandOutput } from '../../actions/output.js';
import { BaseCommand, failOnFlag, outputFlag } from '../../cli/base-command.js';
import { ECHO_IMAGE } from '../../model/probe-names.js';

export default class ProbeReach extends BaseCommand<typeof ProbeReach> {
  static override summary =
    'Try every way in of an exposure from here: connected, refused, timed out or reset, latency, HTTP status, TLS; which Pods answered.';
  static override description =
    `For a SERVICE (NAME or NAMESPACE/NAME), the ways in come from the cluster (or -f files), as list shows them: every node address for its nodePorts (NodePort; a LoadBalancer's too with --node-ports), each LoadBalancer address and externalIP, every node of a hostNetwork gateway (HAProxy, nginx) that forwards to it, each Ingress host and path that sends to it (http on port 80 with the Host header; https on 443 with the host as TLS server name when a TLS section holds it), and the listeners of the Gateways its routes attach to. Targets may also be given as ADDRESS:PORT (a TCP connection; an HTTP GET with --http) or http(s):// URLs; with targets only, no cluster and no kubeconfig are read.

Each way in is tried --count times (at most --concurrency tries at a time, each within --timeout): the TCP connection (connected, refused, timed out, reset, unreachable) and its latency; for https the TLS handshake (protocol, certificate subject and names, issuer, validity, trusted or not, whether it names the host); for http(s) one GET (status). The ways in of a Service are http(s) when the port name says so (http, http-*, https, https-*), the Ingress or the listener protocol does; others are TCP unless --http.

With --count N (N > 1) and a SERVICE, the same N requests also go through the source-ip probe's echo mirror (as "diagnose source-ip --probe" makes it): 2 to 5 temporary echo Pods (${ECHO_IMAGE} netexec, --echo-image to change it) exposed the same way as SERVICE without touching it (a Service of the same type, traffic policy, sessionAffinity and pool, or an Ingress/HTTPRoute on the same class or Gateway with a host of its own), each answering GET /hostname with its name: the "Pods through an echo mirror" line shows which Pods answered and how often (the spread, and with sessionAffinity ClientIP whether one client stayed on one Pod). It waits for the mirror up to --echo-timeout and always deletes the temporary objects (also on failure and Ctrl-C); --no-mirror leaves the cluster untouched. Explicit targets and -f files have no mirror: then only outcomes and statuses are counted, and Pods are named only from answers that name them (an echo answering {"pod": ...}, agnhost netexec /hostname, traefik/whoami).

Findings: reach/refused, reach/timed-out, reach/reset, reach/unreachable, reach/no-answer, reach/intermittent, reach/tls-name-mismatch, reach/tls-expired, reach/tls-untrusted, reach/http-error, reach/not-sticky (exposectl codes reach).

Exit status: 0 when the probe ran, whatever it found (unless --fail-on), 1 when the Service or the cluster could not be read or there was no way in to try, 2 for a bad flag or target, 3 with --fail-on SEVERITY and a finding at or above it.`;
  static override examples = [
    { description: 'Every way in of Service web, from here', command: '<%= config.bin %> <%= command.id %> web' },
    {
      description: 'Addresses given, no cluster needed: a node port and an Ingress host over TLS',
      command: '<%= config.bin %> <%= command.id %> 192.0.2.11:30080 https://shop.example.com/ --timeout 2s',
    },
    {
      description:
        'Twenty requests per way in, and twenty through a temporary echo mirror: which Pods answered (spread, stickiness), as JSON',
      command: '<%= config.bin %> <%= command.id %> shop/web --count 20 --http -o json',
    },
    {
      description: 'Twenty tries per way in without creating anything in the cluster',
      command: '<%= config.bin %> <%= command.id %> shop/web --count 20 --no-mirror',
    },
    {
      description: 'In CI: exit 3 when a way in fails',
      command: '<%= config.bin %> <%= command.id %> web --timeout 1s --fail-on error',
    },
  ];

  // SERVICE and targets, in any number: read from this.words.
  static override strict = false;
  static override args = {
    target: Args.string({
      description: 'SERVICE (NAME or NAMESPACE/NAME), ADDRESS:PORT ([ADDRESS]:PORT for IPv6), or an http(s):// URL.',
    }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
    count: Flags.integer({ summary: 'Tries per way in.', default: 1, min: 1, max: 1000 }),
    timeout: Flags.string({ summary: 'How long each try may take (connection, TLS and answer).', default: '3s' }),
    concurrency: Flags.integer({ summary: 'Tries in flight at once.', default: 8, min: 1, max: 64 }),
    http: Flags.boolean({ summary: 'Send an HTTP GET on ways in whose protocol is not known (TCP).', default: false }),
    path: Flags.string({ summary: 'The request path of http(s) ways in that have none of their own (default /).' }),
    ca: Flags.string({ summary: 'A PEM file of CA certificates to trust for https, besides the system ones.' }),
    'node-ports': Flags.boolean({
      summary: "Also try a LoadBalancer Service's nodePorts on every node.",
      default: false,
    }),
    mirror: Flags.boolean({
      summary:
        'With --count > 1 and a SERVICE: also send the requests through a temporary echo mirror, to name the Pods that answer.',
      default: true,
      allowNo: true,
    }),
    'echo-timeout': Flags.string({
      summary: 'How long to wait for the echo mirror to be reachable with every echo Pod ready.',
      default: '90s',
    }),
    'echo-image': Flags.string({
      summary: 'The echo image of the mirror (agnhost netexec: GET /hostname answers the Pod name).',
      default: ECHO_IMAGE,
    }),
    'fail-on': failOnFlag('none', 'default none: a probe reports, it does not fail'),
  };

  protected async execute(): Promise<CommandOutput> {
    const { probeReachAction } = await import('../../actions/probe-reach.js');
    return probeReachAction(this.words, this.flags);
  }
}
