// Which probes `diagnose --probe` runs, and on what: only the facts the selected analyzers
// read; a probe whose flags are missing is a usage error when its check was asked for by
// name, otherwise a notice that it was skipped and why. The targets (which Services'
// addresses to ask ARP for, which Services' /healthz) come from the snapshot. Pure.

import type { DiscoveryContext } from '../discover/context.js';
import { nameOf, nsOf } from '../discover/context.js';
import { healthCheckNodePortOf } from '../discover/endpoints-report.js';
import { classifyLoadBalancer } from '../discover/implementation.js';
import { serviceFact } from '../discover/services.js';
import { PROBE_INPUTS, type ProbeInput } from '../model/probe-names.js';
import type { Service } from '../model/snapshot.js';
import { serviceArpAddress } from './arp/nodes.js';

export { PROBE_INPUTS, PROBE_NAMES, type ProbeInput } from '../model/probe-names.js';

export interface ProbeSettings {
  interface?: string | undefined;
  bgpListen?: string | undefined;
  bgpLocalAs?: number | undefined;
  /** A SERVICE was given (the echo proof is about one Service). */
  service: boolean;
  /** Facts come from -f files (no cluster to deploy the echo to). */
  files: boolean;
}

export interface ProbePlan {
  run: ProbeInput[];
  /** Probes the analyzers would read but that cannot run, and the reason (the missing flag). */
  skipped: Array<{ input: ProbeInput; reason: string }>;
}

/** What keeps a probe from running with these settings, or undefined when it can run. */
export function probeBlocker(input: ProbeInput, s: ProbeSettings): string | undefined {
  switch (input) {
    case 'arp':
      return s.interface
        ? undefined
        : '--interface IF is missing (the interface on the segment where the LoadBalancer addresses are announced)';
    case 'bgp': {
      const missing = [
        ...(s.bgpListen ? [] : ['--bgp-listen ADDR[:PORT]']),
        ...(s.bgpLocalAs !== undefined ? [] : ['--bgp-local-as N']),
      ];
      return missing.length === 0
        ? undefined
        : `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing (the passive BGP peer the speakers connect to)`;
    }
    case 'sourceIpProbe':
      if (!s.service)
        return "a SERVICE argument is missing (the echo proof sends a request through one Service's exposure)";
      return s.files ? 'it needs a live cluster to deploy the echo to, not -f files' : undefined;
    default:
      return undefined;
  }
}

/** The probes to run for the inputs the selected analyzers need (`needed`, snapshot excluded). */
export function planProbes(needed: readonly string[], s: ProbeSettings): ProbePlan {
  const plan: ProbePlan = { run: [], skipped: [] };
  for (const input of PROBE_INPUTS.filter((i) => needed.includes(i))) {
    const reason = probeBlocker(input, s);
    if (reason) plan.skipped.push({ input, reason });
    else plan.run.push(input);
  }
  return plan;
}

function scoped(services: readonly Service[], target?: { namespace: string; name: string }): Service[] {
  // The last version of each Service wins (files may hold alternatives).
  const byKey = new Map<string, Service>();
  for (const s of services) byKey.set(`${nsOf(s)}/${nameOf(s)}`, s);
  return [...byKey.values()].filter((s) => !target || (nsOf(s) === target.namespace && nameOf(s) === target.name));
}

/** The LoadBalancer Services whose IPv4 address someone should answer ARP for (not BGP-announced ones). */
export function arpTargets(
  ctx: DiscoveryContext,
  target?: { namespace: string; name: string },
): Array<{ service: Service; ip: string }> {
  return scoped(ctx.snapshot.services, target).flatMap((service) => {
    if (serviceFact(ctx, service).type !== 'LoadBalancer') return [];
    const ip = serviceArpAddress(service);
    if (!ip || classifyLoadBalancer(ctx, service).mode === 'bgp') return [];
    return [{ service, ip }];
  });
}

/** The Local-policy Services kube-proxy serves a /healthz for (they have a healthCheckNodePort). */
export function healthzServices(ctx: DiscoveryContext, target?: { namespace: string; name: string }): Service[] {
  return scoped(ctx.snapshot.services, target).filter(
    (s) => serviceFact(ctx, s).externalTrafficPolicy === 'Local' && healthCheckNodePortOf(s) !== null,
  );
}
