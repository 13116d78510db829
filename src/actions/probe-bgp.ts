// `exposectl probe bgp`: listen as a passive BGP peer for --duration (or until Ctrl-C),
// then compare what the speakers advertised with the cluster through the bgp analyzer's
// expectations. The observation is kept (cli/keep-output.ts): it cannot be taken again.
import type { Finding } from '../model/finding.js';
import { type CommonFlags, loadSnapshot, missingKubeconfig } from '../sources/load.js';
import { parseDuration } from '../util/duration.js';
import { RuntimeError } from '../util/errors.js';
import { parseListen, parsePeers, parseRouterId } from './bgp-flags.js';
import { untilInterrupted } from './interrupt.js';
import type { CommandOutput, Printer } from './output.js';

export interface ProbeBgpFlags extends CommonFlags {
  listen: string;
  'local-as': number;
  'router-id'?: string;
  peer?: string[];
  duration?: string;
  compare: boolean;
  save?: string;
  'max-prefixes'?: number;
}

export async function probeBgp(f: ProbeBgpFlags, printer: Printer): Promise<CommandOutput> {
  const listen = parseListen(f.listen);
  const peers = f.peer ? parsePeers(f.peer) : [];
  if (f['router-id'] !== undefined) parseRouterId(f['router-id']);
  const durationMs = f.duration === undefined ? undefined : parseDuration(f.duration, 'duration');
  const { startBgpCollector } = await import('../probes/bgp/index.js');
  // Without any kubeconfig there is nothing to compare with: record and report, and say so.
  const noCluster = f.compare ? await missingKubeconfig(f) : undefined;
  // Read the cluster first: a cluster that cannot be read fails before anything listens.
  const snapshot = f.compare && !noCluster ? await loadSnapshot(f) : undefined;
  let collector: Awaited<ReturnType<typeof startBgpCollector>>;
  try {
    collector = await startBgpCollector({
      listen: listen.address,
      port: listen.port,
      localAs: f['local-as'],
      ...(f['router-id'] ? { routerId: f['router-id'] } : {}),
      ...(peers.length > 0 ? { peers } : {}),
      ...(f['max-prefixes'] !== undefined ? { maxPrefixes: f['max-prefixes'] } : {}),
    });
  } catch (err) {
    throw new RuntimeError(
      `cannot listen for BGP on ${f.listen}: ${(err as Error).message}`,
      listen.port < 1024 ? 'ports below 1024 need root or CAP_NET_BIND_SERVICE' : undefined,
      { cause: err },
    );
  }
  printer.note(
    `listening for BGP on ${collector.address}:${collector.port} as AS ${f['local-as']}${durationMs === undefined ? ' (Ctrl-C to stop and report)' : ` for ${f.duration}`}`,
  );
  await untilInterrupted(durationMs);
  const observation = collector.snapshot();
  await collector.stop();

  let findings: Finding[] = [];
  if (snapshot) {
    const { buildContext } = await import('../discover/index.js');
    const { bgpExpectations } = await import('../analyzers/probes.js');
    const { compareBgp } = await import('../analyzers/bgp-compare.js');
    const expectations = bgpExpectations({
      snapshot,
      ctx: buildContext(snapshot),
      probes: { bgp: observation, bgpExpectedPeers: peers },
    });
    findings = compareBgp(observation, expectations);
  }
  const { renderBgpObservation } = await import('../render/bgp-observation.js');
  return {
    data: { ...observation, findings },
    findings,
    ...(noCluster
      ? {
          notices: [
            `nothing was compared: ${noCluster}; the advertisements were only recorded (give --kubeconfig, or -f files, to compare)`,
          ],
        }
      : {}),
    renderers: { text: () => renderBgpObservation(observation, findings) },
    // The observation cannot be taken again: a failed write of stdout or --save never loses it.
    keep: { what: 'BGP observation', ...(f.save !== undefined ? { saveTo: f.save } : {}) },
  };
}
