import { Flags } from '@oclif/core';
import { isIP, isIPv4 } from 'node:net';
import { BaseCommand, outputFlag } from '../../cli/base-command.js';
import { parseDuration } from '../../cli/duration.js';
import { EXIT, UsageError } from '../../cli/errors.js';
import type { CommandOutput } from '../../cli/output.js';
import type { Finding } from '../../model/finding.js';
import type { BgpObservation } from '../../probes/bgp/index.js';
import { renderBgpObservation } from '../../render/bgp-observation.js';
import { FAIL_ON, meetsFailOn } from '../../cli/fail-on.js';
import { missingKubeconfig } from '../../cli/runtime.js';


/** "192.0.2.1", "192.0.2.1:1179", "[2001:db8::1]:1179", "::" -> address and port (179 by default). */
export function parseListen(text: string): { address: string; port: number } {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d+))?$/.exec(text);
  const v6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/.test(text) ? [text, text, undefined] : null;
  const m = bracketed ?? v4 ?? v6;
  const port = m?.[2] === undefined ? 179 : Number(m[2]);
  // The patterns only shape the text: 1.2.3.999 or ":::" must not reach the resolver.
  if (!m || isIP(m[1]!) === 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--listen ${JSON.stringify(text)} is not ADDRESS[:PORT]`, 'e.g. --listen 192.0.2.10:1179 or --listen [::]:179');
  }
  return { address: m[1]!, port };
}

/** --peer values: IPv4 or IPv6 addresses (a peer is matched by its connection's address). */
export function parsePeers(values: readonly string[], flag = 'peer'): string[] {
  for (const v of values) {
    if (isIP(v) === 0) throw new UsageError(`--${flag} ${JSON.stringify(v)} is not an IP address`, `give the address the speaker connects from, e.g. --${flag} 192.0.2.11`);
  }
  return [...values];
}

/** --router-id: a non-zero IPv4 address (the BGP identifier is 4 bytes). */
export function parseRouterId(text: string): string {
  if (!isIPv4(text) || text === '0.0.0.0') throw new UsageError(`--router-id ${JSON.stringify(text)} is not a non-zero IPv4 address`, 'e.g. --router-id 192.0.2.10');
  return text;
}

export default class ProbeBgp extends BaseCommand<typeof ProbeBgp> {
  static override summary = 'A passive BGP peer: records what speakers and routers advertise, and compares it with the cluster.';
  static override description = `Listens for BGP sessions (it never connects out) and accepts speakers such as MetalLB, kube-vip, Cilium or a router. For each peer it records the session state, the prefixes it advertises with next hops, AS path, communities and large communities (IPv4 and IPv6, 4-octet AS numbers). A malformed message closes that session with the right NOTIFICATION; the probe keeps serving the others.

It runs for --duration, or until Ctrl-C, then reports. Without any kubeconfig (and no -f) it only records, and says that nothing was compared. With a cluster (or -f files) it also compares: every LoadBalancer address announced in BGP mode must be advertised (bgp/not-advertised), every --peer must have an established session (bgp/session-down), and with externalTrafficPolicy Local no next hop may be a node without a ready endpoint (bgp/nexthop-without-endpoints). Use --no-compare to only record.

The observation cannot be taken again, so it is never lost to a failed write: when stdout cannot be written (a reader that left, a full disk) or --save FILE cannot be, it is saved as JSON to a file in the temporary directory, and the error (exit 1) names the failed write and that file.

Configure the speakers to peer with the probe's address and port (port 179 needs root or CAP_NET_BIND_SERVICE). Exit status: 0 when the probe ran (unless --fail-on), 1 when it could not listen, read the cluster or write the observation, 2 for bad flags, 3 with --fail-on and a finding at or above it.`;
  static override examples = [
    { description: 'Listen for 60 s on a spare port, compare with the live cluster', command: 'sudo <%= config.bin %> <%= command.id %> --listen 192.0.2.10 --local-as 64500 --duration 60s' },
    { description: 'Expect two speakers; fail a CI job when one has no session', command: '<%= config.bin %> <%= command.id %> --listen 192.0.2.10:1179 --local-as 64500 --peer 192.0.2.11 --peer 192.0.2.12 --duration 30s --fail-on error' },
    { description: 'Refuse a full table by mistake: at most 1000 prefixes per peer', command: '<%= config.bin %> <%= command.id %> --listen 192.0.2.10:1179 --local-as 64500 --max-prefixes 1000 --duration 30s' },
    { description: 'Read the routes as text, and keep the observation as JSON for later', command: '<%= config.bin %> <%= command.id %> --listen 192.0.2.10:1179 --local-as 64500 --duration 60s --save bgp-observation.json' },
    { description: 'Only record what is advertised, as JSON', command: '<%= config.bin %> <%= command.id %> --listen [::]:1179 --local-as 4200000000 --duration 20s --no-compare -o json' },
  ];

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
    listen: Flags.string({ summary: 'Address and port to listen on: ADDRESS[:PORT] (default port 179).', required: true }),
    'local-as': Flags.integer({ summary: "The probe's AS number (1..4294967295).", required: true, min: 1, max: 4294967295 }),
    'router-id': Flags.string({ summary: "The probe's BGP identifier (default: the listen address when it is IPv4)." }),
    peer: Flags.string({ summary: 'A peer that must connect (repeatable); others are then refused.', multiple: true }),
    duration: Flags.string({ summary: 'How long to listen before reporting (e.g. 30s, 5m); default: until Ctrl-C.' }),
    compare: Flags.boolean({ summary: 'Compare with the cluster (or -f files); --no-compare only records.', default: true, allowNo: true }),
    'fail-on': Flags.string({ summary: 'Exit 3 when a finding has this severity or a worse one.', options: [...FAIL_ON], default: 'none' }),
    save: Flags.string({ summary: 'Also save the observation as JSON to this file (the -o json document), whatever -o is.' }),
    'max-prefixes': Flags.integer({ summary: 'Per peer: end the session (Cease / Maximum Number of Prefixes Reached, RFC 4486) when it sends more prefixes than this.', min: 1, max: 4294967295 }),
  };

  protected async execute(): Promise<CommandOutput> {
    const f = this.flags;
    const listen = parseListen(f.listen);
    const peers = f.peer ? parsePeers(f.peer) : [];
    if (f['router-id'] !== undefined) parseRouterId(f['router-id']);
    const durationMs = f.duration === undefined ? undefined : parseDuration(f.duration, 'duration');
    const { startBgpCollector, compareBgp } = await import('../../probes/bgp/index.js');
    // Without any kubeconfig there is nothing to compare with: record and report, and say so.
    const noCluster = f.compare ? await missingKubeconfig(f) : undefined;
    // Read the cluster first: a cluster that cannot be read fails before anything listens.
    const snapshot = f.compare && !noCluster ? await this.loadSnapshot() : undefined;
    let collector;
    try {
      collector = await startBgpCollector({
        listen: listen.address, port: listen.port, localAs: f['local-as'],
        ...(f['router-id'] ? { routerId: f['router-id'] } : {}),
        ...(peers.length > 0 ? { peers } : {}),
        ...(f['max-prefixes'] !== undefined ? { maxPrefixes: f['max-prefixes'] } : {}),
      });
    } catch (err) {
      const { RuntimeError } = await import('../../cli/errors.js');
      throw new RuntimeError(`cannot listen for BGP on ${f.listen}: ${(err as Error).message}`, listen.port < 1024 ? 'ports below 1024 need root or CAP_NET_BIND_SERVICE' : undefined, { cause: err });
    }
    process.stderr.write(`listening for BGP on ${collector.address}:${collector.port} as AS ${f['local-as']}${durationMs === undefined ? ' (Ctrl-C to stop and report)' : ` for ${f.duration}`}\n`);
    await waitFor(durationMs);
    const observation: BgpObservation = collector.snapshot();
    await collector.stop();

    let findings: Finding[] = [];
    if (snapshot) {
      const { buildContext } = await import('../../discover/index.js');
      const { bgpExpectations } = await import('../../analyzers/probes.js');
      const expectations = bgpExpectations({ snapshot, ctx: buildContext(snapshot), probes: { bgp: observation, bgpExpectedPeers: peers } });
      findings = compareBgp(observation, expectations);
    }
    const failOn = f['fail-on'] as (typeof FAIL_ON)[number];
    const failed = meetsFailOn(findings, failOn);
    return {
      data: { ...observation, findings },
      ...(noCluster ? { notices: [`nothing was compared: ${noCluster}; the advertisements were only recorded (give --kubeconfig, or -f files, to compare)`] } : {}),
      ...(failed ? { exitCode: EXIT.findings } : {}),
      renderers: { text: () => renderBgpObservation(observation, findings) },
      // The observation cannot be taken again: a failed write of stdout or --save never loses it.
      keep: { what: 'BGP observation', ...(f.save !== undefined ? { saveTo: f.save } : {}) },
    };
  }
}

/** Resolves after ms, or on the first Ctrl-C / SIGTERM when ms is undefined (or earlier). */
function waitFor(ms: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      if (timer) clearTimeout(timer);
      resolve();
    };
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
