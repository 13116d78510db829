// The network facts `diagnose --probe` gathers with the existing probes: ARP answers for
// the L2 LoadBalancer addresses, and each node's kube-proxy /healthz for Local-policy
// Services. Facts only (the analyzers judge them); the targets come from diagnose-plan.
import type { DiscoveryContext } from '../discover/context.js';
import { nameOf, nsOf } from '../discover/context.js';
import {
  buildEndpointsReport,
  healthCheckNodePortOf,
  healthzTargets,
  toEndpointsProbe,
} from '../discover/endpoints-report.js';
import type { ArpObservation, EndpointsProbe } from '../model/probe-facts.js';
import { announcerOf, mapMacsToNodes, nodeIPv4Addresses, toArpObservation } from './arp/nodes.js';
import { probeArp, resolveNodeMacs } from './arp/run.js';
import { arpTargets, healthzServices } from './diagnose-plan.js';
import { probeHealthz } from './endpoints/healthz.js';

export async function gatherArp(
  ctx: DiscoveryContext,
  o: {
    interface: string;
    count: number;
    timeoutMs: number;
    service?: { namespace: string; name: string };
    signal?: AbortSignal;
  },
): Promise<ArpObservation[]> {
  const out: ArpObservation[] = [];
  const nodes = nodeIPv4Addresses(ctx.nodes);
  for (const { service, ip } of arpTargets(ctx, o.service)) {
    if (o.signal?.aborted) break;
    const result = await probeArp({
      ip,
      interface: o.interface,
      count: o.count,
      timeoutMs: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const answering = result.replies.map((r) => r.mac);
    const announcer = announcerOf(ctx, service);
    const ordered = announcer.node
      ? [...nodes.filter((n) => n.node === announcer.node), ...nodes.filter((n) => n.node !== announcer.node)]
      : nodes;
    const macs =
      answering.length > 0
        ? await resolveNodeMacs(ordered, {
            interface: o.interface,
            timeoutMs: Math.min(o.timeoutMs, 500),
            wanted: new Set(answering),
            ...(o.signal ? { signal: o.signal } : {}),
          })
        : [];
    out.push(
      toArpObservation(result, {
        nodeOfMac: mapMacsToNodes(answering, macs, announcer),
        expectedHolder: announcer.node,
        service: { namespace: nsOf(service), name: nameOf(service) },
      }),
    );
  }
  return out;
}

export async function gatherHealthz(
  ctx: DiscoveryContext,
  o: { timeoutMs: number; service?: { namespace: string; name: string } },
): Promise<EndpointsProbe[]> {
  const out: EndpointsProbe[] = [];
  for (const svc of healthzServices(ctx, o.service)) {
    const targets = healthzTargets(ctx, svc);
    if (targets.length === 0) continue;
    const answers = await probeHealthz(targets, healthCheckNodePortOf(svc)!, {
      timeoutMs: o.timeoutMs,
      concurrency: 8,
    });
    out.push(toEndpointsProbe(buildEndpointsReport(ctx, svc, { healthz: answers, at: new Date() })));
  }
  return out;
}
