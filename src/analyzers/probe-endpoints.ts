// Judgement over an endpoints probe's report (the probe only observes):
// endpoints/local-policy-blackhole for the receiving nodes that drop a Local-policy
// Service's traffic. Pure; the local-policy analyzer (endpoints.ts) and the
// `probe endpoints` action both judge with it.

import type { EndpointsProbeReport } from '../model/endpoints-report.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';

const list = (xs: string[], max = 6) =>
  xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;

export function localPolicyBlackholeFindings(r: EndpointsProbeReport): Finding[] {
  if (r.externalTrafficPolicy !== 'Local' || r.blackholeNodes.length === 0) return [];
  // No ready endpoint anywhere is endpoints/none-ready's finding, not a per-node blackhole.
  if (r.endpoints.ready === 0 && !r.nodes.some((n) => n.healthz?.status === 200)) return [];
  const { namespace, name } = r.service;
  const dropping = r.nodes.filter((n) => n.dropsTraffic);
  const byHealthz = dropping.filter((n) => n.healthz && n.healthz.status !== null);
  const addrs = dropping.map((n) => n.address).filter((a): a is string => !!a);
  const withEndpoints = r.nodes.filter((n) => n.ready > 0).map((n) => n.node);
  const how =
    byHealthz.length === dropping.length
      ? `their kube-proxy health check (port ${r.healthCheckNodePort ?? '?'}/healthz) answers ${byHealthz.some((n) => n.healthz!.status !== 503) ? 'no local endpoint' : '503 (no local endpoint)'}`
      : `they run no ready Pod of the Service (ready endpoints on ${withEndpoints.length > 0 ? list(withEndpoints) : 'no known node'})`;
  const stale = byHealthz.filter((n) => n.ready > 0).map((n) => n.node);
  // Judged from the snapshot: say why these nodes receive (e.g. the ServiceL2Status or Lease naming the announcer).
  const why = byHealthz.length < dropping.length && r.receivers?.known ? `; ${r.receivers.rule}` : '';
  return [
    finding(
      'endpoints/local-policy-blackhole',
      { kind: 'Service', namespace, name },
      `Service ${namespace}/${name} (${r.type}) has externalTrafficPolicy Local and ${dropping.length} node(s) that receive its traffic (${list(dropping.map((n) => n.node))}${addrs.length > 0 ? `: ${list(addrs)}` : ''})${why} drop it because ${how}${stale.length > 0 ? `; on ${list(stale)} the EndpointSlices list a ready endpoint that kube-proxy does not count (kube-proxy not synced?)` : ''}.`,
      r.type === 'NodePort'
        ? `Send clients only to nodes with a ready Pod (a load balancer in front that checks them), run a Pod on every node (DaemonSet, or topology spread), or set spec.externalTrafficPolicy: Cluster on ${namespace}/${name} (trade-off: the client IP is then lost).`
        : `Make the announcer send ${namespace}/${name}'s address only to nodes with a ready Pod (MetalLB does so for Local, Cilium's L2 announcer from 1.20.2; kube-vip: svc_election), run a Pod on ${list(dropping.map((n) => n.node))}, or set spec.externalTrafficPolicy: Cluster (trade-off: the client IP is then lost).`,
    ),
  ];
}
