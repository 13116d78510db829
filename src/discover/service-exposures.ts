// Exposures made by a Service: NodePort, LoadBalancer (l2/bgp/loadbalancer) and
// externalIPs. Pure.
//
// - type NodePort -> one `nodeport` row; addresses are the nodes' ExternalIPs (or
//   InternalIPs when a node has none), empty when the snapshot has no Nodes.
// - type LoadBalancer -> one row whose mode is the announcement (l2, bgp, or
//   loadbalancer when unknown) and whose ports carry the nodePorts the Service also
//   opens; no separate nodeport row (the nodePorts are how the LB reaches the nodes).
// - spec.externalIPs, on any type -> an extra `externalip` row: that path is routed by
//   the network to a node and needs nothing from an LB implementation, so it is listed
//   on its own rather than folded into the Service's other row.
// - ClusterIP (without externalIPs), headless and ExternalName Services expose nothing.
import type { Exposure, ExposurePort } from '../model/exposure.js';
import type { Service } from '../model/snapshot.js';
import { appendAll } from '../util/arrays.js';
import { announcerGap, announcerGapText } from './announcer-eligibility.js';
import {
  arr,
  type DiscoveryContext,
  nameOf,
  nsOf,
  portNumber,
  rec,
  specOf,
  statusOf,
  str,
  targetPortOf,
  uniq,
} from './context.js';
import { type EndpointFacts, serviceEndpoints } from './endpoints.js';
import { classifyLoadBalancer, loadBalancerAddresses } from './implementation.js';
import { invalidServiceValues } from './invalid-values.js';
import { serviceSourceIP } from './source-ip.js';
import { judgeEndpoints, StatusBuilder } from './status.js';

export function servicePorts(svc: Service, withNodePorts: boolean): ExposurePort[] {
  const out: ExposurePort[] = [];
  for (const p of arr(specOf(svc).ports).map(rec)) {
    const number = portNumber(p.port);
    if (number === undefined) continue; // the API server would reject it
    const port: ExposurePort = { port: number, protocol: str(p.protocol) || 'TCP' };
    const nodePort = portNumber(p.nodePort);
    if (withNodePorts && nodePort !== undefined) port.nodePort = nodePort;
    port.targetPort = targetPortOf(p.targetPort) ?? number;
    out.push(port);
  }
  return out;
}

/** Whether the object carries live status (from a cluster, or exported with `kubectl get -o yaml`). */
function hasLiveLbStatus(ctx: DiscoveryContext, svc: Service): boolean {
  return ctx.live || 'loadBalancer' in statusOf(svc);
}

export function serviceExposures(ctx: DiscoveryContext, svc: Service): Exposure[] {
  const type = str(specOf(svc).type) ?? 'ClusterIP';
  const ns = nsOf(svc);
  const name = nameOf(svc);
  const service = { namespace: ns, name };
  const out: Exposure[] = [];
  let facts: EndpointFacts | undefined;
  const endpoints = () => (facts ??= serviceEndpoints(ctx, svc));
  // Values the API server rejects (from files): the Service would never be created.
  const rejected = invalidServiceValues(svc).map((v) => `the API server rejects the Service: ${v}`);

  if (type === 'NodePort') {
    const b = new StatusBuilder();
    appendAll(b.broken, rejected);
    judgeEndpoints(b, endpoints(), undefined, ctx.live);
    judgeLocalPolicy(ctx, svc, endpoints(), b);
    out.push({
      namespace: ns,
      name,
      kind: 'Service',
      service,
      mode: 'nodeport',
      implementation: null,
      addresses: [...ctx.nodePortAddresses],
      ports: servicePorts(svc, true),
      endpoints: endpoints().endpoints,
      sourceIP: serviceSourceIP(svc),
      ...b.result(),
    });
  } else if (type === 'LoadBalancer') {
    const b = new StatusBuilder();
    appendAll(b.broken, rejected);
    const lb = classifyLoadBalancer(ctx, svc);
    const { assigned, requested } = loadBalancerAddresses(svc);
    const live = hasLiveLbStatus(ctx, svc);
    appendAll(b.broken, lb.problems);
    const gap = announcerGap(ctx, svc);
    if (gap) b.broken.push(announcerGapText(gap));
    let addresses = assigned;
    if (live && assigned.length === 0) {
      b.pending.push(
        requested.length > 0
          ? `address ${requested.join(', ')} requested, not assigned yet`
          : 'no address assigned yet',
      );
    } else if (!live && assigned.length === 0) {
      addresses = requested;
      b.unknown.push(
        requested.length > 0
          ? 'requested address, not confirmed (no status in the input)'
          : 'address assigned at creation (no status in the input)',
      );
    }
    judgeEndpoints(b, endpoints(), undefined, ctx.live);
    appendAll(b.notes, lb.notes);
    const result = b.result();
    // Notes (several candidates, announced both ways) matter whatever the status; hints
    // (no implementation found, ...) explain a status other than ready.
    const extra = result.status === 'ready' ? [] : [...lb.notes, ...lb.hints];
    const reason = [result.reason, ...extra].filter(Boolean).join('; ') || undefined;
    out.push({
      namespace: ns,
      name,
      kind: 'Service',
      service,
      mode: lb.mode,
      implementation: lb.implementation,
      addresses,
      ports: servicePorts(svc, specOf(svc).allocateLoadBalancerNodePorts !== false),
      endpoints: endpoints().endpoints,
      sourceIP: serviceSourceIP(svc),
      status: result.status,
      ...(reason ? { reason } : {}),
    });
  }

  const externalIPs = arr(specOf(svc).externalIPs).filter((a): a is string => typeof a === 'string' && a !== '');
  if (externalIPs.length > 0 && type !== 'ExternalName') {
    const b = new StatusBuilder();
    appendAll(b.broken, rejected);
    judgeEndpoints(b, endpoints(), undefined, ctx.live);
    out.push({
      namespace: ns,
      name,
      kind: 'Service',
      service,
      mode: 'externalip',
      implementation: null,
      addresses: uniq(externalIPs),
      ports: servicePorts(svc, false),
      endpoints: endpoints().endpoints,
      sourceIP: serviceSourceIP(svc),
      ...b.result(),
    });
  }
  return out;
}

/**
 * externalTrafficPolicy Local on a NodePort: every node opens the port, and nodes
 * without a local ready endpoint drop what they receive. Judged only when the nodes
 * and the endpoints' nodes are known.
 */
function judgeLocalPolicy(ctx: DiscoveryContext, svc: Service, facts: EndpointFacts, b: StatusBuilder): void {
  if (specOf(svc).externalTrafficPolicy !== 'Local' || !ctx.nodesKnown || ctx.nodes.length === 0) return;
  if (!facts.endpoints || facts.endpoints.ready === 0 || facts.readyNodes.size === 0) return;
  const without = ctx.nodes.filter((n) => !facts.readyNodes.has(nameOf(n)));
  if (without.length > 0) {
    b.degraded.push(
      `externalTrafficPolicy Local: ${without.length} of ${ctx.nodes.length} nodes have no ready endpoint and drop NodePort traffic`,
    );
  }
}
