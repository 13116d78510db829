import { Args, Flags } from '@oclif/core';
import type { CommandOutput } from '../../actions/output.js';
import { BaseCommand, failOnFlag, outputFlag } from '../../cli/base-command.js';

export default class ProbeArp extends BaseCommand<typeof ProbeArp> {
  static override summary =
    'Ask who answers ARP for a LoadBalancer address: every MAC, mapped to its node, compared with the announcer.';
  static override description =
    `Sends ARP requests for the address out of --interface with arping and records EVERY MAC that answers during the whole --count x --timeout window (not just the first), maps each MAC to a node (by asking the nodes' own addresses, and the MAC the implementation reports, e.g. kube-vip's kube-vip.io/hwaddr), and compares the answer with the announcer the cluster reports (MetalLB ServiceL2Status, kube-vip's kube-vip.io/vipHost). Findings: arp/no-reply, arp/multiple-replies, arp/holder-mismatch.

SERVICE (NAME or NAMESPACE/NAME) probes the Service's LoadBalancer IPv4 address; --ip probes any address (the cluster, or the -f files, are then read only to map MACs to nodes and to find the Service that owns the address; without them the probe still runs).

--watch keeps asking (one request per --interval) until Ctrl-C or --duration and prints, with timestamps, who answers, each change of the answering MAC with the failover time (from the last reply of the old holder to the first reply of the new one), silences, and each gratuitous ARP for the address (listened for with tcpdump when it is installed), then a summary. With -o json the output is NDJSON: one event object per line (type holder, no-reply or gratuitous), the last line the ArpWatch summary.

Run it on a host of the segment where the address is announced (a node, a router, a jump host): ARP does not cross routers. It needs arping (Debian package arping, or iputils-arping) and the privilege to send raw frames: root or CAP_NET_RAW.

Exit status: 0 when the probe ran, whatever it found (unless --fail-on), 1 when it could not run (arping missing, no privilege, no such interface, cluster unreachable), 2 for a bad flag, address or interface name, 3 with --fail-on SEVERITY and a finding at or above it.`;
  static override examples = [
    {
      description: 'Who answers for the address of Service web, asked from eth0',
      command: '<%= config.bin %> <%= command.id %> web --interface eth0',
    },
    {
      description: 'Any address, 5 requests listening 500 ms each, as JSON',
      command:
        '<%= config.bin %> <%= command.id %> --ip 198.51.100.10 --interface eth0 --count 5 --timeout 500ms -o json',
    },
    {
      description: 'Watch a failover (Ctrl-C to stop): holder changes, gratuitous ARP, timings',
      command: 'sudo <%= config.bin %> <%= command.id %> shop/web --interface bond0 --watch --interval 200ms',
    },
    {
      description: 'In CI: fail when nobody or more than one host answers',
      command: '<%= config.bin %> <%= command.id %> web --interface eth0 --fail-on error',
    },
    {
      description: 'Map MACs to the nodes of manifest files instead of a cluster',
      command: '<%= config.bin %> <%= command.id %> --ip 198.51.100.10 --interface eth0 -f nodes.yaml',
    },
  ];

  static override args = {
    service: Args.string({
      description: 'The Service whose LoadBalancer address to probe: NAME or NAMESPACE/NAME (or use --ip).',
      required: false,
    }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
    ip: Flags.string({ summary: "Probe this IPv4 address instead of a Service's." }),
    interface: Flags.string({
      char: 'i',
      summary: 'The interface to send ARP requests from (on the segment of the address).',
      required: true,
    }),
    count: Flags.integer({ char: 'c', summary: 'ARP requests to send.', default: 3, min: 1, max: 1000 }),
    timeout: Flags.string({ summary: 'How long to listen for replies after each request.', default: '1s' }),
    watch: Flags.boolean({
      char: 'w',
      summary: 'Keep asking and report holder changes, failover times and gratuitous ARP until Ctrl-C or --duration.',
      default: false,
    }),
    interval: Flags.string({ summary: 'With --watch: time between requests.', default: '500ms' }),
    duration: Flags.string({ summary: 'With --watch: stop after this long (default: until Ctrl-C).' }),
    netns: Flags.string({ summary: 'Send from inside this network namespace (ip netns exec).' }),
    'resolve-nodes': Flags.boolean({
      summary: "Ask the nodes' addresses for their MACs to map answering MACs to nodes.",
      default: true,
      allowNo: true,
    }),
    'fail-on': failOnFlag('none', 'default none: a probe reports, it does not fail'),
  };

  protected async execute(): Promise<CommandOutput> {
    const { probeArpAction } = await import('../../actions/probe-arp.js');
    return probeArpAction(this.args.service, this.flags, this.printer());
  }
}
