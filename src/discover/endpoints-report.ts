// What `probe endpoints SERVICE` reports: endpoints per node, for externalTrafficPolicy
// Local the receiving nodes without a local ready endpoint, and each node's healthz
// answer compared with the EndpointSlices. Pure: the healthz answers are passed in.
// Discovery, not a probe: the analyzers and the probes both read it.

import type { EndpointsProbe, HealthzAnswer } from '../model/probe-facts.js';
import type { Service } from '../model/snapshot.js';
import { type DiscoveryContext, nameOf } from './context.js';
import { endpointsByNode } from './endpoints-per-node.js';
import { nodeInternalIP, nodeReady } from './nodes.js';
import { receivingNodesOf } from './receiving-nodes.js';
import { opensNodePorts, readService, serviceFact } from './services.js';

export type { EndpointsProbeReport, NodeEndpointsRow, NodeHealthz } from '../model/endpoints-report.js';
// The report's types are model types (src/model/endpoints-report.ts): renderers and analyzers read them without the probe.
export { ENDPOINTS_PROBE_KIND } from '../model/endpoints-report.js';

import { ENDPOINTS_PROBE_KIND, type EndpointsProbeReport, type NodeEndpointsRow } from '../model/endpoints-report.js';

/** The healthz targets: the InternalIP of every node where kube-proxy serves the Service (NodePort, LoadBalancer). */
export function healthzTargets(ctx: DiscoveryContext, svc: Service): Array<{ node: string; address: string }> {
  if (!opensNodePorts(serviceFact(ctx, svc))) return [];
  return ctx.nodes.flatMap((n) => {
    const address = nodeInternalIP(n);
    return address ? [{ node: nameOf(n), address }] : [];
  });
}

export function healthCheckNodePortOf(svc: Service): number | null {
  return readService(svc).healthCheckNodePort ?? null;
}

/**
 * The report for one Service. `healthz`: the nodes' answers, from probeHealthz or from
 * stored probe facts (EndpointsProbe.answers); absent when --healthz did not run.
 */
export function buildEndpointsReport(
  ctx: DiscoveryContext,
  svc: Service,
  opts: { healthz?: ReadonlyArray<HealthzAnswer & { ms?: number }>; at: Date },
): EndpointsProbeReport {
  const s = serviceFact(ctx, svc);
  const type = s.type;
  const exposed = opensNodePorts(s);
  const etp = exposed ? s.externalTrafficPolicy : null;
  const local = etp === 'Local';
  const per = endpointsByNode(ctx, svc);
  const receivingFact = receivingNodesOf(ctx, svc);
  const receiving = new Set(receivingFact.nodes.map(nameOf));
  const healthz = new Map((opts.healthz ?? []).map((h) => [h.node, h]));
  const rows: NodeEndpointsRow[] = [];
  // Who receives is a snapshot fact (src/discover/receiving-nodes.ts). When the snapshot
  // cannot say (no known announcer, or nodes known only from stored healthz answers), the
  // nodes that were asked count: a load balancer in front sends to any of them.
  const askedReceive = (name: string, known: boolean) =>
    exposed && healthz.has(name) && (!receivingFact.known || !known);
  const names = [...ctx.nodes.map(nameOf), ...per.nodes.map((n) => n.node), ...healthz.keys()].filter(
    (n, i, all) => all.indexOf(n) === i,
  );
  for (const name of [...new Set(names)]) {
    const node = ctx.nodes.find((n) => nameOf(n) === name);
    const ep = per.nodes.find((n) => n.node === name) ?? { ready: 0, notReady: 0 };
    const h = healthz.get(name);
    let row: NodeEndpointsRow = {
      node: name,
      address: node ? (nodeInternalIP(node) ?? null) : null,
      nodeReady: node ? (nodeReady(node) ?? null) : null,
      ready: ep.ready,
      notReady: ep.notReady,
      receivesTraffic: receiving.has(name) || askedReceive(name, node !== undefined),
      dropsTraffic: false,
    };
    if (h) {
      const answered = h.status !== null;
      const agrees = !answered
        ? null
        : h.localEndpoints !== null
          ? h.localEndpoints === ep.ready
          : (h.status === 200) === ep.ready > 0;
      row = {
        ...row,
        healthz: {
          address: h.address,
          status: h.status,
          localEndpoints: h.localEndpoints,
          ...(h.error ? { error: h.error } : {}),
          agrees,
          ...(h.ms !== undefined ? { ms: h.ms } : {}),
        },
      };
    }
    // What the node does with traffic: healthz (kube-proxy's own view) when it answered, else the slices.
    const hz = row.healthz && row.healthz.status !== null ? row.healthz : undefined;
    const noLocal = hz ? hz.status === 503 || hz.localEndpoints === 0 : ep.ready === 0;
    row.dropsTraffic = local && row.receivesTraffic && noLocal;
    rows.push(row);
  }
  return {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: ENDPOINTS_PROBE_KIND,
    service: { namespace: s.namespace, name: s.name },
    type,
    externalTrafficPolicy: etp,
    healthCheckNodePort: s.healthCheckNodePort ?? null,
    from: per.from,
    endpoints: { ready: per.ready, total: per.total },
    nodes: rows,
    unassigned: per.unassigned,
    blackholeNodes: rows.filter((r) => r.dropsTraffic).map((r) => r.node),
    ...(exposed ? { receivers: { known: receivingFact.known, rule: receivingFact.rule } } : {}),
    healthzMismatches: rows.filter((r) => r.healthz?.agrees === false).map((r) => r.node),
    healthzProbed: opts.healthz !== undefined,
    at: opts.at.toISOString(),
  };
}

/** The analyzers' fact (src/model/probe-facts.ts) from a report with healthz answers. */
export function toEndpointsProbe(r: EndpointsProbeReport): EndpointsProbe {
  return {
    service: r.service,
    healthCheckNodePort: r.healthCheckNodePort,
    answers: r.nodes
      .filter((n) => n.healthz)
      .map((n) => ({
        node: n.node,
        address: n.healthz!.address,
        status: n.healthz!.status,
        localEndpoints: n.healthz!.localEndpoints,
        ...(n.healthz!.error ? { error: n.healthz!.error } : {}),
      })),
    at: r.at,
  };
}
