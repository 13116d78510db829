import { Flags } from '@oclif/core';
import type { CommandOutput } from '../../actions/output.js';
import { BaseCommand, failOnFlag, outputFlag } from '../../cli/base-command.js';

export default class ProbeBgp extends BaseCommand<typeof ProbeBgp> {
  static override summary =
    'A passive BGP peer: records what speakers and routers advertise, and compares it with the cluster.';
  static override description =
    `Listens for BGP sessions (it never connects out) and accepts speakers such as MetalLB, kube-vip, Cilium or a router. For each peer it records the session state, the prefixes it advertises with next hops, AS path, communities and large communities (IPv4 and IPv6, 4-octet AS numbers). A malformed message closes that session with the right NOTIFICATION; the probe keeps serving the others.

It runs for --duration, or until Ctrl-C, then reports. Without any kubeconfig (and no -f) it only records, and says that nothing was compared. With a cluster (or -f files) it also compares: every LoadBalancer address announced in BGP mode must be advertised (bgp/not-advertised), every --peer must have an established session (bgp/session-down), and with externalTrafficPolicy Local no next hop may be a node without a ready endpoint (bgp/nexthop-without-endpoints). Use --no-compare to only record.

The observation cannot be taken again, so it is never lost to a failed write: when stdout cannot be written (a reader that left, a full disk) or --save FILE cannot be, it is saved as JSON to a file in the temporary directory, and the error (exit 1) names the failed write and that file.

Configure the speakers to peer with the probe's address and port (port 179 needs root or CAP_NET_BIND_SERVICE). Exit status: 0 when the probe ran (unless --fail-on), 1 when it could not listen, read the cluster or write the observation, 2 for bad flags, 3 with --fail-on and a finding at or above it.`;
  static override examples = [
    {
      description: 'Listen for 60 s on a spare port, compare with the live cluster',
      command: 'sudo <%= config.bin %> <%= command.id %> --listen 192.0.2.10 --local-as 64500 --duration 60s',
    },
    {
      description: 'Expect two speakers; fail a CI job when one has no session',
      command:
        '<%= config.bin %> <%= command.id %> --listen 192.0.2.10:1179 --local-as 64500 --peer 192.0.2.11 --peer 192.0.2.12 --duration 30s --fail-on error',
    },
    {
      description: 'Refuse a full table by mistake: at most 1000 prefixes per peer',
      command:
        '<%= config.bin %> <%= command.id %> --listen 192.0.2.10:1179 --local-as 64500 --max-prefixes 1000 --duration 30s',
    },
    {
      description: 'Read the routes as text, and keep the observation as JSON for later',
      command:
        '<%= config.bin %> <%= command.id %> --listen 192.0.2.10:1179 --local-as 64500 --duration 60s --save bgp-observation.json',
    },
    {
      description: 'Only record what is advertised, as JSON',
      command:
        '<%= config.bin %> <%= command.id %> --listen [::]:1179 --local-as 4200000000 --duration 20s --no-compare -o json',
    },
  ];

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
    listen: Flags.string({
      summary: 'Address and port to listen on: ADDRESS[:PORT] (default port 179).',
      required: true,
    }),
    'local-as': Flags.integer({
      summary: "The probe's AS number (1..4294967295).",
      required: true,
      min: 1,
      max: 4294967295,
    }),
    'router-id': Flags.string({ summary: "The probe's BGP identifier (default: the listen address when it is IPv4)." }),
    peer: Flags.string({ summary: 'A peer that must connect (repeatable); others are then refused.', multiple: true }),
    duration: Flags.string({ summary: 'How long to listen before reporting (e.g. 30s, 5m); default: until Ctrl-C.' }),
    compare: Flags.boolean({
      summary: 'Compare with the cluster (or -f files); --no-compare only records.',
      default: true,
      allowNo: true,
    }),
    'fail-on': failOnFlag('none'),
    save: Flags.string({
      summary: 'Also save the observation as JSON to this file (the -o json document), whatever -o is.',
    }),
    'max-prefixes': Flags.integer({
      summary:
        'Per peer: end the session (Cease / Maximum Number of Prefixes Reached, RFC 4486) when it sends more prefixes than this.',
      min: 1,
      max: 4294967295,
    }),
  };

  protected async execute(): Promise<CommandOutput> {
    const { probeBgp } = await import('../../actions/probe-bgp.js');
    return probeBgp(this.flags, this.printer());
  }
}
