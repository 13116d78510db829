import { Args, Flags } from '@oclif/core';
import { BaseCommand, outputFlag } from '../../cli/base-command.js';
import { parseDuration } from '../../cli/duration.js';
import { EXIT, ExposectlError, RuntimeError, UsageError } from '../../cli/errors.js';
import type { CommandOutput } from '../../cli/output.js';
import type { Finding } from '../../model/finding.js';
import type { Service, Snapshot } from '../../model/snapshot.js';
import type { ArpProbeError } from '../../probes/arp/errors.js';
import { FAIL_ON, meetsFailOn } from '../../cli/fail-on.js';


export default class ProbeArp extends BaseCommand<typeof ProbeArp> {
  static override summary = 'Ask who answers ARP for a LoadBalancer address: every MAC, mapped to its node, compared with the announcer.';
  static override description = `Sends ARP requests for the address out of --interface with arping and records EVERY MAC that answers during the whole --count x --timeout window (not just the first), maps each MAC to a node (by asking the nodes' own addresses, and the MAC the implementation reports, e.g. kube-vip's kube-vip.io/hwaddr), and compares the answer with the announcer the cluster reports (MetalLB ServiceL2Status, kube-vip's kube-vip.io/vipHost). Findings: arp/no-reply, arp/multiple-replies, arp/holder-mismatch.

SERVICE (NAME or NAMESPACE/NAME) probes the Service's LoadBalancer IPv4 address; --ip probes any address (the cluster, or the -f files, are then read only to map MACs to nodes and to find the Service that owns the address; without them the probe still runs).

--watch keeps asking (one request per --interval) until Ctrl-C or --duration and prints, with timestamps, who answers, each change of the answering MAC with the failover time (from the last reply of the old holder to the first reply of the new one), silences, and each gratuitous ARP for the address (listened for with tcpdump when it is installed), then a summary. With -o json the output is NDJSON: one event object per line (type holder, no-reply or gratuitous), the last line the ArpWatch summary.

Run it on a host of the segment where the address is announced (a node, a router, a jump host): ARP does not cross routers. It needs arping (Debian package arping, or iputils-arping) and the privilege to send raw frames: root or CAP_NET_RAW.

Exit status: 0 when the probe ran, whatever it found (unless --fail-on), 1 when it could not run (arping missing, no privilege, no such interface, cluster unreachable), 2 for a bad flag, address or interface name, 3 with --fail-on SEVERITY and a finding at or above it.`;
  static override examples = [
    { description: 'Who answers for the address of Service web, asked from eth0', command: '<%= config.bin %> <%= command.id %> web --interface eth0' },
    { description: 'Any address, 5 requests listening 500 ms each, as JSON', command: '<%= config.bin %> <%= command.id %> --ip 198.51.100.10 --interface eth0 --count 5 --timeout 500ms -o json' },
    { description: 'Watch a failover (Ctrl-C to stop): holder changes, gratuitous ARP, timings', command: 'sudo <%= config.bin %> <%= command.id %> shop/web --interface bond0 --watch --interval 200ms' },
    { description: 'In CI: fail when nobody or more than one host answers', command: '<%= config.bin %> <%= command.id %> web --interface eth0 --fail-on error' },
    { description: 'Map MACs to the nodes of manifest files instead of a cluster', command: '<%= config.bin %> <%= command.id %> --ip 198.51.100.10 --interface eth0 -f nodes.yaml' },
  ];

  static override args = {
    service: Args.string({ description: 'The Service whose LoadBalancer address to probe: NAME or NAMESPACE/NAME (or use --ip).', required: false }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
    ip: Flags.string({ summary: 'Probe this IPv4 address instead of a Service\'s.' }),
    interface: Flags.string({ char: 'i', summary: 'The interface to send ARP requests from (on the segment of the address).', required: true }),
    count: Flags.integer({ char: 'c', summary: 'ARP requests to send.', default: 3, min: 1, max: 1000 }),
    timeout: Flags.string({ summary: 'How long to listen for replies after each request.', default: '1s' }),
    watch: Flags.boolean({ char: 'w', summary: 'Keep asking and report holder changes, failover times and gratuitous ARP until Ctrl-C or --duration.', default: false }),
    interval: Flags.string({ summary: 'With --watch: time between requests.', default: '500ms' }),
    duration: Flags.string({ summary: 'With --watch: stop after this long (default: until Ctrl-C).' }),
    netns: Flags.string({ summary: 'Send from inside this network namespace (ip netns exec).' }),
    'resolve-nodes': Flags.boolean({ summary: 'Ask the nodes\' addresses for their MACs to map answering MACs to nodes.', default: true, allowNo: true }),
    'fail-on': Flags.string({ summary: 'Exit 3 when a finding has this severity or a worse one (default none: a probe reports, it does not fail).', options: [...FAIL_ON], default: 'none' }),
  };

  protected async execute(): Promise<CommandOutput> {
    const arp = await import('../../probes/arp/index.js');
    const f = this.flags;
    if ((this.args.service === undefined) === (f.ip === undefined)) {
      throw new UsageError(this.args.service === undefined ? 'give a SERVICE or --ip' : 'give either SERVICE or --ip, not both');
    }
    const timeoutMs = parseDuration(f.timeout, 'timeout');
    const intervalMs = parseDuration(f.interval, 'interval');
    const durationMs = f.duration !== undefined ? parseDuration(f.duration, 'duration') : undefined;
    if (!f.watch && (f.duration !== undefined)) throw new UsageError('--duration is for --watch');
    try {
      arp.validateInterface(f.interface);
      if (f.ip !== undefined) arp.validateIPv4(f.ip);
      if (f.netns !== undefined) arp.validateNetns(f.netns);
    } catch (e) {
      throw this.probeError(e);
    }

    // The facts: the Service (and its address), its announcer, the nodes.
    const { target, warnings } = await this.target(arp);
    const warn = [...warnings];

    try {
      if (f.watch) return await this.watch(arp, target, { intervalMs, durationMs, warnings: warn });
      const result = await arp.probeArp({ ip: target.ip, interface: f.interface, count: f.count, timeoutMs, ...(f.netns ? { netns: f.netns } : {}) });
      const answering = result.replies.map((r) => r.mac);
      const nodes = answering.length > 0 && f['resolve-nodes'] ? await arp.resolveNodeMacs(target.nodeTargets, {
        interface: f.interface, timeoutMs: Math.min(timeoutMs, 500), wanted: new Set(answering), ...(f.netns ? { netns: f.netns } : {}),
      }) : [];
      const nodeOfMac = arp.mapMacsToNodes(answering, nodes, target.announcer ?? undefined);
      const observation = arp.toArpObservation(result, { nodeOfMac, expectedHolder: target.announcer?.node ?? null, ...(target.service ? { service: target.service } : {}) });
      const findings = arp.arpFindings(observation, {
        subject: target.service ? { kind: 'Service', ...target.service } : arp.addressSubject(target.ip),
        implementation: target.announcer?.implementation ?? null, localPolicy: target.localPolicy, ...(target.mode ? { mode: target.mode } : {}),
      });
      const report = arp.buildArpReport(result, { service: target.service, announcer: target.announcer, nodes, nodeOfMac, findings });
      return { data: report, warnings: warn, ...this.exitFor(findings), renderers: { text: () => arp.renderArpReport(report) } };
    } catch (e) {
      throw this.probeError(e);
    }
  }

  private async watch(arp: typeof import('../../probes/arp/index.js'), target: Target, o: { intervalMs: number; durationMs: number | undefined; warnings: string[] }): Promise<CommandOutput> {
    const f = this.flags;
    const json = f.output === 'json';
    // Map MACs as they appear: resolve the nodes' MACs once, up front.
    const nodes = f['resolve-nodes'] && target.nodeTargets.length > 0
      ? await arp.resolveNodeMacs(target.nodeTargets, { interface: f.interface, timeoutMs: 300, ...(f.netns ? { netns: f.netns } : {}) })
      : [];
    const nodeOfMac: Record<string, string> = {};
    const mapMac = (m: string) => {
      if (!(m in nodeOfMac)) Object.assign(nodeOfMac, arp.mapMacsToNodes([m], nodes, target.announcer ?? undefined));
    };
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Live streaming is the one place a command prints: one line per event (NDJSON with -o json).
    const write = (line: string) => process.stdout.write(`${line}\n`);
    for (const w of o.warnings.splice(0)) process.stderr.write(`Warning: ${w}\n`);
    try {
      const summary = await arp.watchArp({
        ip: target.ip, interface: f.interface, intervalMs: o.intervalMs, ...(o.durationMs !== undefined ? { durationMs: o.durationMs } : {}),
        ...(f.netns ? { netns: f.netns } : {}), signal: controller.signal,
        onStart: (info) => {
          if (info.reason) process.stderr.write(`Warning: ${info.reason}\n`);
          if (!json) process.stderr.write(`Watching who answers ARP for ${target.ip} on ${f.interface}${o.durationMs !== undefined ? ` for ${o.durationMs} ms` : ' (Ctrl-C to stop)'}...\n`);
        },
        onEvent: (e) => {
          if (e.type === 'holder') e.to.forEach(mapMac);
          if (e.type === 'gratuitous') mapMac(e.mac);
          if (json) write(JSON.stringify({ ...e, nodes: Object.fromEntries([...(e.type === 'holder' ? [...e.from, ...e.to] : e.type === 'gratuitous' ? [e.mac] : e.from)].filter((m) => nodeOfMac[m]).map((m) => [m, nodeOfMac[m]])) }));
          else write(arp.renderWatchEvent(e, nodeOfMac));
        },
      });
      const report: import('../../probes/arp/index.js').ArpWatchReport = { apiVersion: 'exposectl.dev/v1alpha1', kind: 'ArpWatch', service: target.service, ...summary, nodeOfMac };
      // -o json: the summary is the stream's last line, so the whole output is NDJSON.
      return { data: report, renderers: { text: () => arp.renderWatchSummary(report), json: () => JSON.stringify(report) } };
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }

  private exitFor(findings: Finding[]): { exitCode?: number } {
    const failOn = this.flags['fail-on'] as (typeof FAIL_ON)[number];
    return meetsFailOn(findings, failOn) ? { exitCode: EXIT.findings } : {};
  }

  /** ArpProbeError -> the contract's exit codes: bad input 2; could not run 1. */
  private probeError(e: unknown): unknown {
    if (e instanceof ExposectlError) return e;
    if (e instanceof Error && e.name === 'ArpProbeError') {
      const pe = e as ArpProbeError;
      return pe.kind === 'invalid-input' ? new UsageError(pe.message, pe.hint, { cause: e }) : new RuntimeError(pe.message, pe.hint, { cause: e });
    }
    return e;
  }

  private async target(arp: typeof import('../../probes/arp/index.js')): Promise<{ target: Target; warnings: string[] }> {
    const f = this.flags;
    const warnings: string[] = [];
    const files = (f.filename ?? []).length > 0;
    let snapshot: Snapshot | undefined;
    let service: Service | undefined;
    const { buildContext, nameOf, nsOf } = await import('../../discover/context.js');
    if (this.args.service !== undefined) {
      const { contextNamespace } = await import('../../kube/kubeconfig.js');
      const { parseServiceArg, serviceNotFound } = await import('../../topology/service-arg.js');
      const ref = parseServiceArg(this.args.service, f.namespace ?? contextNamespace({ kubeconfig: f.kubeconfig, context: f.context }), f.namespace);
      if (!f['all-namespaces']) this.flags.namespace = ref.namespace;
      snapshot = await this.loadSnapshot();
      service = [...snapshot.services].reverse().find((s) => nsOf(s) === ref.namespace && nameOf(s) === ref.name);
      if (!service) throw serviceNotFound(ref, files ? 'files' : 'cluster');
    } else {
      // --ip: the cluster (or files) only helps to name nodes and the owning Service.
      try {
        snapshot = await this.loadSnapshot();
      } catch (e) {
        if (files) throw e;
        warnings.push(`cluster not read (${e instanceof Error ? e.message : String(e)}): MACs are not mapped to nodes and there is no announcer to compare with`);
      }
    }
    const ctx = snapshot ? buildContext(snapshot) : undefined;
    const { classifyLoadBalancer, loadBalancerAddresses } = await import('../../discover/implementation.js');
    let ip = f.ip;
    if (service) {
      ip = arp.serviceArpAddress(service);
      if (!ip) {
        throw new RuntimeError(`Service ${nsOf(service)}/${nameOf(service)} has no IPv4 LoadBalancer address to probe (type ${service.spec?.type ?? 'ClusterIP'}${service.spec?.type === 'LoadBalancer' ? ', address pending' : ''})`,
          'give the address with --ip, or check why it has none: exposectl diagnose lb SERVICE');
      }
    } else if (ctx && ip) {
      service = snapshot!.services.find((s) => loadBalancerAddresses(s).assigned.includes(ip!));
    }
    const announcer = ctx && service ? arp.announcerOf(ctx, service) : null;
    const mode = ctx && service && service.spec?.type === 'LoadBalancer' ? classifyLoadBalancer(ctx, service).mode : undefined;
    if (mode === 'bgp') warnings.push(`Service ${nsOf(service!)}/${nameOf(service!)} is announced with BGP, not ARP: nobody is expected to answer ARP for ${ip} (exposectl probe bgp checks the routes); a host that answers is still a conflict`);
    let nodeTargets = ctx ? arp.nodeIPv4Addresses(ctx.nodes) : [];
    if (announcer?.node) nodeTargets = [...nodeTargets.filter((t) => t.node === announcer.node), ...nodeTargets.filter((t) => t.node !== announcer.node)];
    return {
      warnings,
      target: {
        ip: arp.validateIPv4(ip!),
        service: service ? { namespace: nsOf(service), name: nameOf(service) } : null,
        announcer, nodeTargets,
        localPolicy: service?.spec?.externalTrafficPolicy === 'Local',
        ...(mode ? { mode } : {}),
      },
    };
  }
}

interface Target {
  ip: string;
  service: { namespace: string; name: string } | null;
  announcer: import('../../probes/arp/index.js').Announcer | null;
  nodeTargets: Array<{ node: string; address: string }>;
  localPolicy: boolean;
  mode?: 'l2' | 'bgp' | 'loadbalancer';
}
