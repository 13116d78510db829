// `exposectl probe arp [SERVICE | --ip]`: who answers ARP for a LoadBalancer address, each
// MAC mapped to a node and held against the announcer the cluster reports (judged by
// src/analyzers/probe-arp.ts); --watch streams holder changes through the Printer.
import { addressSubject, arpFindings } from '../analyzers/probe-arp.js';
import { buildContext, nameOf, nsOf } from '../discover/context.js';
import { classifyLoadBalancer, loadBalancerAddresses } from '../discover/implementation.js';
import type { Service, Snapshot } from '../model/snapshot.js';
import type { ArpProbeError } from '../probes/arp/errors.js';
import * as arp from '../probes/arp/index.js';
import { type CommonFlags, loadSnapshot } from '../sources/load.js';
import { parseDuration } from '../util/duration.js';
import { ExposectlError, RuntimeError, UsageError } from '../util/errors.js';
import { whileInterruptible } from './interrupt.js';
import type { CommandOutput, Printer } from './output.js';
import {
  type ArpWatchReport,
  buildArpReport,
  renderArpReport,
  renderWatchEvent,
  renderWatchSummary,
} from './probe-arp-report.js';
import { resolveServiceArg, scopedTo, serviceIn } from './service-arg.js';

export interface ProbeArpFlags extends CommonFlags {
  output: string;
  ip?: string;
  interface: string;
  count: number;
  timeout: string;
  watch: boolean;
  interval: string;
  duration?: string;
  netns?: string;
  'resolve-nodes': boolean;
}

interface Target {
  ip: string;
  service: { namespace: string; name: string } | null;
  announcer: arp.Announcer | null;
  nodeTargets: Array<{ node: string; address: string }>;
  localPolicy: boolean;
  mode?: 'l2' | 'bgp' | 'loadbalancer';
}

export async function probeArpAction(
  serviceArg: string | undefined,
  f: ProbeArpFlags,
  printer: Printer,
): Promise<CommandOutput> {
  if ((serviceArg === undefined) === (f.ip === undefined)) {
    throw new UsageError(serviceArg === undefined ? 'give a SERVICE or --ip' : 'give either SERVICE or --ip, not both');
  }
  const timeoutMs = parseDuration(f.timeout, 'timeout');
  const intervalMs = parseDuration(f.interval, 'interval');
  const durationMs = f.duration !== undefined ? parseDuration(f.duration, 'duration') : undefined;
  if (!f.watch && f.duration !== undefined) throw new UsageError('--duration is for --watch');
  try {
    arp.validateInterface(f.interface);
    if (f.ip !== undefined) arp.validateIPv4(f.ip);
    if (f.netns !== undefined) arp.validateNetns(f.netns);
  } catch (e) {
    throw probeError(e);
  }

  // The facts: the Service (and its address), its announcer, the nodes.
  const { target, warnings } = await findTarget(serviceArg, f);
  try {
    if (f.watch) return await watch(f, target, { intervalMs, durationMs, warnings }, printer);
    const result = await arp.probeArp({
      ip: target.ip,
      interface: f.interface,
      count: f.count,
      timeoutMs,
      ...(f.netns ? { netns: f.netns } : {}),
    });
    const answering = result.replies.map((r) => r.mac);
    const nodes =
      answering.length > 0 && f['resolve-nodes']
        ? await arp.resolveNodeMacs(target.nodeTargets, {
            interface: f.interface,
            timeoutMs: Math.min(timeoutMs, 500),
            wanted: new Set(answering),
            ...(f.netns ? { netns: f.netns } : {}),
          })
        : [];
    const nodeOfMac = arp.mapMacsToNodes(answering, nodes, target.announcer ?? undefined);
    const observation = arp.toArpObservation(result, {
      nodeOfMac,
      expectedHolder: target.announcer?.node ?? null,
      ...(target.service ? { service: target.service } : {}),
    });
    const findings = arpFindings(observation, {
      subject: target.service ? { kind: 'Service', ...target.service } : addressSubject(target.ip),
      implementation: target.announcer?.implementation ?? null,
      localPolicy: target.localPolicy,
      ...(target.mode ? { mode: target.mode } : {}),
    });
    const report = buildArpReport(result, {
      service: target.service,
      announcer: target.announcer,
      nodes,
      nodeOfMac,
      findings,
    });
    return { data: report, warnings, findings, renderers: { text: () => renderArpReport(report) } };
  } catch (e) {
    throw probeError(e);
  }
}

async function watch(
  f: ProbeArpFlags,
  target: Target,
  o: { intervalMs: number; durationMs: number | undefined; warnings: string[] },
  printer: Printer,
): Promise<CommandOutput> {
  const json = f.output === 'json';
  // Map MACs as they appear: resolve the nodes' MACs once, up front.
  const nodes =
    f['resolve-nodes'] && target.nodeTargets.length > 0
      ? await arp.resolveNodeMacs(target.nodeTargets, {
          interface: f.interface,
          timeoutMs: 300,
          ...(f.netns ? { netns: f.netns } : {}),
        })
      : [];
  const nodeOfMac: Record<string, string> = {};
  const mapMac = (m: string) => {
    if (!(m in nodeOfMac)) Object.assign(nodeOfMac, arp.mapMacsToNodes([m], nodes, target.announcer ?? undefined));
  };
  // Live streaming: one line per event (NDJSON with -o json), through the CLI's printer.
  for (const w of o.warnings.splice(0)) printer.note(`Warning: ${w}`);
  const summary = await whileInterruptible((signal) =>
    arp.watchArp({
      ip: target.ip,
      interface: f.interface,
      intervalMs: o.intervalMs,
      ...(o.durationMs !== undefined ? { durationMs: o.durationMs } : {}),
      ...(f.netns ? { netns: f.netns } : {}),
      signal,
      onStart: (info) => {
        if (info.reason) printer.note(`Warning: ${info.reason}`);
        if (!json)
          printer.note(
            `Watching who answers ARP for ${target.ip} on ${f.interface}${o.durationMs !== undefined ? ` for ${o.durationMs} ms` : ' (Ctrl-C to stop)'}...`,
          );
      },
      onEvent: (e) => {
        if (e.type === 'holder') e.to.forEach(mapMac);
        if (e.type === 'gratuitous') mapMac(e.mac);
        if (json)
          printer.line(
            JSON.stringify({
              ...e,
              nodes: Object.fromEntries(
                [...(e.type === 'holder' ? [...e.from, ...e.to] : e.type === 'gratuitous' ? [e.mac] : e.from)]
                  .filter((m) => nodeOfMac[m])
                  .map((m) => [m, nodeOfMac[m]]),
              ),
            }),
          );
        else printer.line(renderWatchEvent(e, nodeOfMac));
      },
    }),
  );
  const report: ArpWatchReport = {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: 'ArpWatch',
    service: target.service,
    ...summary,
    nodeOfMac,
  };
  // -o json: the summary is the stream's last line, so the whole output is NDJSON.
  return {
    data: report,
    renderers: { text: () => renderWatchSummary(report), json: () => JSON.stringify(report) },
  };
}

/** ArpProbeError -> the contract's exit codes: bad input 2; could not run 1. */
function probeError(e: unknown): unknown {
  if (e instanceof ExposectlError) return e;
  if (e instanceof Error && e.name === 'ArpProbeError') {
    const pe = e as ArpProbeError;
    return pe.kind === 'invalid-input'
      ? new UsageError(pe.message, pe.hint, { cause: e })
      : new RuntimeError(pe.message, pe.hint, { cause: e });
  }
  return e;
}

async function findTarget(
  serviceArg: string | undefined,
  f: ProbeArpFlags,
): Promise<{ target: Target; warnings: string[] }> {
  const warnings: string[] = [];
  const files = (f.filename ?? []).length > 0;
  let snapshot: Snapshot | undefined;
  let service: Service | undefined;
  if (serviceArg !== undefined) {
    const ref = await resolveServiceArg(serviceArg, f);
    snapshot = await loadSnapshot(scopedTo(f, ref));
    service = serviceIn(snapshot, ref, f);
  } else {
    // --ip: the cluster (or files) only helps to name nodes and the owning Service.
    try {
      snapshot = await loadSnapshot(f);
    } catch (e) {
      if (files) throw e;
      warnings.push(
        `cluster not read (${e instanceof Error ? e.message : String(e)}): MACs are not mapped to nodes and there is no announcer to compare with`,
      );
    }
  }
  const ctx = snapshot ? buildContext(snapshot) : undefined;
  let ip = f.ip;
  if (service) {
    ip = arp.serviceArpAddress(service);
    if (!ip) {
      throw new RuntimeError(
        `Service ${nsOf(service)}/${nameOf(service)} has no IPv4 LoadBalancer address to probe (type ${service.spec?.type ?? 'ClusterIP'}${service.spec?.type === 'LoadBalancer' ? ', address pending' : ''})`,
        'give the address with --ip, or check why it has none: exposectl diagnose lb SERVICE',
      );
    }
  } else if (ctx && ip) {
    service = snapshot!.services.find((s) => loadBalancerAddresses(s).assigned.includes(ip!));
  }
  const announcer = ctx && service ? arp.announcerOf(ctx, service) : null;
  const mode =
    ctx && service && service.spec?.type === 'LoadBalancer' ? classifyLoadBalancer(ctx, service).mode : undefined;
  if (mode === 'bgp')
    warnings.push(
      `Service ${nsOf(service!)}/${nameOf(service!)} is announced with BGP, not ARP: nobody is expected to answer ARP for ${ip} (exposectl probe bgp checks the routes); a host that answers is still a conflict`,
    );
  let nodeTargets = ctx ? arp.nodeIPv4Addresses(ctx.nodes) : [];
  if (announcer?.node)
    nodeTargets = [
      ...nodeTargets.filter((t) => t.node === announcer.node),
      ...nodeTargets.filter((t) => t.node !== announcer.node),
    ];
  return {
    warnings,
    target: {
      ip: arp.validateIPv4(ip!),
      service: service ? { namespace: nsOf(service), name: nameOf(service) } : null,
      announcer,
      nodeTargets,
      localPolicy: service?.spec?.externalTrafficPolicy === 'Local',
      ...(mode ? { mode } : {}),
    },
  };
}
