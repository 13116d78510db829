// `exposectl probe endpoints SERVICE`: endpoints per node from the snapshot, each node's
// kube-proxy /healthz answer (--healthz), and the local-policy judgement over both.
import { localPolicyBlackholeFindings } from '../analyzers/probe-endpoints.js';
import { buildContext } from '../discover/context.js';
import * as ep from '../probes/endpoints/index.js';
import { renderEndpointsReport } from '../render/endpoints-report.js';
import { type CommonFlags, loadSnapshot } from '../sources/load.js';
import { parseDuration } from '../util/duration.js';
import type { CommandOutput } from './output.js';
import { resolveServiceArg, scopedTo, serviceIn } from './service-arg.js';

export interface ProbeEndpointsFlags extends CommonFlags {
  healthz: boolean;
  timeout: string;
  concurrency: number;
}

export async function probeEndpoints(serviceArg: string, f: ProbeEndpointsFlags): Promise<CommandOutput> {
  const timeoutMs = parseDuration(f.timeout, 'timeout');
  const files = (f.filename ?? []).length > 0;
  const ref = await resolveServiceArg(serviceArg, f);
  const snapshot = await loadSnapshot(scopedTo(f, ref));
  const svc = serviceIn(snapshot, ref, f);
  const ctx = buildContext(snapshot);
  const warnings: string[] = [];
  let healthz: Awaited<ReturnType<typeof ep.probeHealthz>> | undefined;
  if (f.healthz) {
    const port = ep.healthCheckNodePortOf(svc);
    const targets = ep.healthzTargets(ctx, svc);
    if (port === null) {
      warnings.push(
        `--healthz: Service ${ref.namespace}/${ref.name} has no healthCheckNodePort (kube-proxy serves a per-Service /healthz only for LoadBalancer Services with externalTrafficPolicy Local${files ? '; in files, spec.healthCheckNodePort is set by the API server' : ''}): not asked`,
      );
    } else if (targets.length === 0) {
      warnings.push(
        `--healthz: no node with an address is known${files ? ' (the files hold no Node objects)' : ''}: not asked`,
      );
    } else {
      healthz = await ep.probeHealthz(targets, port, { timeoutMs, concurrency: f.concurrency });
    }
  }
  const report = ep.buildEndpointsReport(ctx, svc, { ...(healthz ? { healthz } : {}), at: new Date() });
  const findings = localPolicyBlackholeFindings(report);
  return {
    data: { ...report, findings },
    warnings,
    findings,
    renderers: { text: () => renderEndpointsReport(report, findings) },
  };
}
