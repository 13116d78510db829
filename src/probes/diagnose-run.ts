// Runs the probes `diagnose --probe` planned and returns their facts for the analyzers:
// the passive BGP peer listens while ARP, healthz, reach and the source-IP echo run; the signal
// (Ctrl-C) stops them all, and the echo objects are removed before this returns.
import type { DiscoveryContext } from '../discover/context.js';
import { findService } from '../discover/context.js';
import type { KubeClient } from '../kube/client.js';
import type { ProbeFacts, SourceIpProbe } from '../model/probe-facts.js';
import type { ProbeInput } from '../model/probe-names.js';
import { ArpProbeError } from './arp/errors.js';
import type { BgpCollector } from './bgp/collector.js';
import { gatherArp, gatherHealthz } from './diagnose-gather.js';

/** A probe that could not run: a bad input (usage) or the machine/network refused (runtime). */
export class ProbeRunError extends Error {
  constructor(
    message: string,
    readonly usage: boolean,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ProbeRunError';
  }
}

export interface ProbeRunOptions {
  service?: { namespace: string; name: string } | undefined;
  arp?: { interface: string; count: number };
  bgp?: {
    address: string;
    port: number;
    localAs: number;
    peers: string[];
    durationMs: number /** --bgp-listen and --bgp-duration as given, for messages. */;
    label: string;
    durationText: string;
  };
  echo?: { timeoutMs: number; image: string; connect: () => Promise<KubeClient> };
  /** Each ARP reply window, /healthz answer and echo request. */
  timeoutMs: number;
  signal: AbortSignal;
  progress: (line: string) => void;
}

export interface ProbeRunResult {
  probes: ProbeFacts;
  notices: string[];
  /** A probe that should have run could not (the echo was not reachable, objects were left). */
  failed: boolean;
}

export async function runDiagnoseProbes(
  run: readonly ProbeInput[],
  ctx: DiscoveryContext,
  o: ProbeRunOptions,
): Promise<ProbeRunResult> {
  const probes: ProbeFacts = {};
  const notices: string[] = [];
  let failed = false;
  let collector: BgpCollector | undefined;
  const scope = o.service ? { service: o.service } : {};
  try {
    const bgpUntil = Date.now() + (o.bgp?.durationMs ?? 0);
    if (run.includes('bgp') && o.bgp) {
      const { startBgpCollector } = await import('./bgp/collector.js');
      try {
        collector = await startBgpCollector({
          listen: o.bgp.address,
          port: o.bgp.port,
          localAs: o.bgp.localAs,
          ...(o.bgp.peers.length > 0 ? { peers: o.bgp.peers } : {}),
        });
      } catch (err) {
        throw new ProbeRunError(
          `--probe: cannot listen for BGP on ${o.bgp.label}: ${(err as Error).message}`,
          false,
          o.bgp.port < 1024 ? 'ports below 1024 need root or CAP_NET_BIND_SERVICE' : undefined,
          { cause: err },
        );
      }
      o.progress(
        `--probe: listening for BGP on ${collector.address}:${collector.port} as AS ${o.bgp.localAs} for ${o.bgp.durationText}`,
      );
    }
    if (run.includes('arp') && o.arp) {
      try {
        probes.arp = await gatherArp(ctx, {
          interface: o.arp.interface,
          count: o.arp.count,
          timeoutMs: o.timeoutMs,
          ...scope,
          signal: o.signal,
        });
      } catch (e) {
        if (e instanceof ArpProbeError)
          throw new ProbeRunError(`--probe: ${e.message}`, e.kind === 'invalid-input', e.hint, { cause: e });
        throw e;
      }
      if (probes.arp.length === 0) notices.push('--probe: no L2 LoadBalancer address to ask ARP for');
    }
    if (run.includes('endpointsProbe'))
      probes.endpointsProbe = await gatherHealthz(ctx, { timeoutMs: o.timeoutMs, ...scope });
    if (run.includes('reachProbe') && !o.signal.aborted) {
      // Every way into the Service(s) in scope, tried once each from here (probe reach).
      const { gatherReach } = await import('./reach/index.js');
      probes.reachProbe = await gatherReach(ctx, { timeoutMs: o.timeoutMs, ...scope, signal: o.signal });
      if (probes.reachProbe.length === 0) notices.push('--probe: no Service with a way in from outside to try (reach)');
    }
    if (run.includes('sourceIpProbe') && o.service && o.echo && !o.signal.aborted) {
      const r = await proveSourceIp(ctx, o.service, o.echo, o);
      if (r.notice) notices.push(r.notice);
      if (r.probe) probes.sourceIpProbe = [r.probe];
      failed ||= r.failed;
    }
    if (collector) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.max(0, bgpUntil - Date.now()));
        function done() {
          clearTimeout(t);
          resolve();
        }
        o.signal.addEventListener('abort', done, { once: true });
      });
      probes.bgp = collector.snapshot();
      probes.bgpExpectedPeers = o.bgp?.peers ?? [];
    }
  } finally {
    await collector?.stop();
  }
  return { probes, notices, failed };
}

/** The source-IP proof: mirror the exposure with an echo, ask it, always clean up. */
async function proveSourceIp(
  ctx: DiscoveryContext,
  service: { namespace: string; name: string },
  echo: NonNullable<ProbeRunOptions['echo']>,
  o: ProbeRunOptions,
): Promise<{ probe?: SourceIpProbe; notice?: string; failed: boolean }> {
  const { planSourceIpEcho, runSourceIpEcho } = await import('./source-ip/index.js');
  const { randomBytes } = await import('node:crypto');
  const svc = findService(ctx, service.namespace, service.name);
  if (!svc)
    return {
      notice: `--probe: source-ip not probed: Service ${service.namespace}/${service.name} not found`,
      failed: true,
    };
  const plan = planSourceIpEcho(ctx, svc, { id: randomBytes(3).toString('hex'), image: echo.image });
  if (plan.via === 'none') return { notice: `--probe: source-ip not probed: ${plan.reason}`, failed: false };
  for (const n of plan.notes) o.progress(`source-ip probe: ${n}`);
  const client = await echo.connect();
  try {
    const r = await runSourceIpEcho(client, plan, {
      timeoutMs: echo.timeoutMs,
      requestTimeoutMs: o.timeoutMs,
      signal: o.signal,
      onProgress: o.progress,
    });
    const leftover = r.leftover.length > 0 ? `delete by hand: ${r.leftover.join('; ')}` : '';
    if (r.probe.seenAddress === null) {
      return {
        probe: r.probe,
        notice: `Warning: --probe: source-ip not proven: ${r.probe.error ?? 'no answer'}${leftover ? `; ${leftover}` : ''}`,
        failed: !o.signal.aborted,
      };
    }
    return {
      probe: r.probe,
      ...(leftover ? { notice: `Warning: --probe: ${leftover}` } : {}),
      failed: leftover !== '',
    };
  } finally {
    await client.close();
  }
}
