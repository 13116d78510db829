// `diagnose --probe`: which probes the selected analyzers need (usage errors first, before
// anything is read or sent), and running them with the flags' settings. Ctrl-C stops them
// after the temporary echo objects are removed.
import type { DiscoveryContext } from '../discover/context.js';
import type { Check } from '../model/checks.js';
import { PROBE_NAMES, type ProbeInput } from '../model/probe-names.js';
import { validateInterface } from '../probes/arp/validate.js';
import { type ProbePlan, planProbes } from '../probes/diagnose-plan.js';
import type { ProbeRunError, ProbeRunResult } from '../probes/diagnose-run.js';
import type { CommonFlags } from '../sources/load.js';
import { requestTimeoutMs } from '../sources/load.js';
import { parseDuration } from '../util/duration.js';
import { ExposectlError, RuntimeError, UsageError } from '../util/errors.js';
import { parseListen, parsePeers } from './bgp-flags.js';
import { whileInterruptible } from './interrupt.js';
import type { ServiceRef } from './service-arg.js';

export interface ProbeFlags extends CommonFlags {
  probe: boolean;
  interface?: string;
  'arp-count': number;
  'bgp-listen'?: string;
  'bgp-local-as'?: number;
  'bgp-peer'?: string[];
  'bgp-duration': string;
  'probe-timeout': string;
  'echo-timeout': string;
  'echo-image': string;
}

export function probeName(input: string): string {
  return PROBE_NAMES[input as ProbeInput] ?? input;
}

/** The probes to run (undefined without --probe); a probe flag without --probe, a bad value, or a missing flag of a named check is exit 2. */
export function planDiagnoseProbes(
  f: ProbeFlags,
  needed: string[],
  check: Check | undefined,
  hasService: boolean,
): ProbePlan | undefined {
  const probeFlags = ['interface', 'bgp-listen', 'bgp-local-as', 'bgp-peer'] as const;
  if (!f.probe) {
    const given = probeFlags.filter((k) => f[k] !== undefined);
    if (given.length > 0)
      throw new UsageError(
        `--${given[0]} is for --probe`,
        `add --probe to gather facts from the network: exposectl diagnose ${check ?? 'all'} --probe --${given[0]} ...`,
      );
    return undefined;
  }
  for (const k of ['bgp-duration', 'probe-timeout', 'echo-timeout'] as const) parseDuration(f[k], k);
  if (f['bgp-listen'] !== undefined) parseListen(f['bgp-listen']);
  if (f['bgp-listen'] !== undefined || f['bgp-peer'] !== undefined) parsePeers(f['bgp-peer'] ?? [], 'bgp-peer');
  if (f.interface !== undefined) {
    try {
      validateInterface(f.interface);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const files = (f.filename ?? []).length > 0;
  const plan = planProbes(needed, {
    interface: f.interface,
    bgpListen: f['bgp-listen'],
    bgpLocalAs: f['bgp-local-as'],
    service: hasService,
    files,
  });
  // A check named on the command line must be proven: its missing probe flag is a usage error.
  const blocking = check ? plan.skipped.find((s) => s.input !== 'endpointsProbe') : undefined;
  if (blocking)
    throw new UsageError(
      `--probe: check ${check} needs the ${probeName(blocking.input)} probe, but ${blocking.reason}`,
    );
  return plan;
}

/** Runs the planned probes (src/probes/diagnose-run.ts); progress lines go to `note`. */
export async function runPlannedProbes(
  f: ProbeFlags,
  run: ProbeInput[],
  ctx: DiscoveryContext,
  service: ServiceRef | undefined,
  note: (line: string) => void,
): Promise<ProbeRunResult> {
  const listen = f['bgp-listen'] !== undefined ? parseListen(f['bgp-listen']) : undefined;
  // Loaded here, not at start-up: the probes and the API client are for --probe only.
  const { runDiagnoseProbes } = await import('../probes/diagnose-run.js');
  try {
    return await whileInterruptible(async (signal) => {
      const result = await runDiagnoseProbes(run, ctx, {
        service,
        ...(f.interface ? { arp: { interface: f.interface, count: f['arp-count'] } } : {}),
        ...(listen && f['bgp-local-as'] !== undefined
          ? {
              bgp: {
                ...listen,
                localAs: f['bgp-local-as'],
                peers: f['bgp-peer'] ?? [],
                durationMs: parseDuration(f['bgp-duration'], 'bgp-duration'),
                label: f['bgp-listen']!,
                durationText: f['bgp-duration'],
              },
            }
          : {}),
        echo: {
          timeoutMs: parseDuration(f['echo-timeout'], 'echo-timeout'),
          image: f['echo-image'],
          connect: async () =>
            (await import('../kube/client.js')).connect({
              kubeconfig: f.kubeconfig,
              context: f.context,
              requestTimeoutMs: requestTimeoutMs(f),
            }),
        },
        timeoutMs: parseDuration(f['probe-timeout'], 'probe-timeout'),
        signal,
        progress: note,
      });
      if (signal.aborted)
        throw new ExposectlError('interrupted: the probes were stopped (temporary echo objects were removed)', 130);
      return result;
    });
  } catch (e) {
    if (e instanceof Error && e.name === 'ProbeRunError') {
      const pe = e as ProbeRunError;
      throw pe.usage
        ? new UsageError(pe.message, pe.hint, { cause: e })
        : new RuntimeError(pe.message, pe.hint, { cause: e });
    }
    throw e;
  }
}
