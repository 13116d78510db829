// `describe SERVICE`: one Service's exposure end to end, as a document (-o json/yaml)
// and a kubectl-style description (render/topology/describe-text.ts). The facts come
// from the Service object, the exposures that lead to it (discovery) and its topology
// (announcers, next hops, gateways, endpoints per node, hops that lose the source IP).

import { stickinessOf, waysTo } from '../discover/affinity.js';
import { buildContext, findService } from '../discover/context.js';
import { serviceFact } from '../discover/services.js';
import type { Exposure } from '../model/exposure.js';
import type {
  DescribedDnsName,
  DescribedEndpoint,
  DescribedGateway,
  DescribedHop,
  ServiceDescription,
} from '../model/service-description.js';
import type { Snapshot } from '../model/snapshot.js';
import { lostReason, type Topology, type TopologyNode } from '../model/topology.js';
import type { ServiceRef } from './build.js';
import type { FindingsSection } from './findings.js';

export function describeService(
  snapshot: Snapshot,
  ref: ServiceRef,
  exposures: Exposure[],
  topology: Topology,
  findings: FindingsSection,
): ServiceDescription {
  const ctx = buildContext(snapshot);
  const svc = findService(ctx, ref.namespace, ref.name);
  const sf = svc ? serviceFact(ctx, svc) : undefined;
  const type = sf?.type ?? 'ClusterIP';
  const byId = new Map(topology.nodes.map((n) => [n.id, n]));
  const serviceId = `service:${ref.namespace}/${ref.name}`;

  const hops: DescribedHop[] = [];
  const gateways: DescribedGateway[] = [];
  for (const e of topology.edges) {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (!from || !to) continue;
    if (from.kind === 'address' && (to.kind === 'announcer' || to.kind === 'nexthop')) {
      hops.push({
        address: from.label,
        kind: to.kind,
        node: to.node ?? null,
        addresses: to.addresses ?? [],
        ...(to.interface ? { interface: to.interface } : {}),
        ...(to.mac ? { mac: to.mac } : {}),
        ...(to.unknown && to.details?.[0] ? { detail: to.details[0] } : {}),
      });
    }
    if ((from.kind === 'gateway' || from.kind === 'route') && e.to === serviceId) {
      const via =
        from.kind === 'route'
          ? topology.edges
              .filter((x) => x.to === from.id)
              .map((x) => byId.get(x.from))
              .filter((n): n is TopologyNode => !!n && n.kind === 'gateway')
              .map((n) => `${n.objectKind} ${n.label}${n.implementation ? ` (${n.implementation})` : ''}`)
          : [];
      gateways.push({
        kind: from.objectKind ?? from.kind,
        namespace: from.namespace,
        name: from.name ?? from.label,
        implementation: from.implementation ?? null,
        ...(from.status ? { status: from.status } : {}),
        via,
        rules: e.label ? e.label.split(', ') : [],
      });
    }
  }

  const dnsNames: DescribedDnsName[] = topology.nodes
    .filter((n) => n.kind === 'name')
    .map((n) => ({
      name: n.label,
      addresses: topology.edges
        .filter((e) => e.from === n.id)
        .flatMap((e) => byId.get(e.to)?.addresses ?? [])
        .filter((a) => (n.addresses ?? []).includes(a)),
      targets: n.addresses ?? [],
      from: (n.details?.[0] ?? '').replace(/^from /, ''),
    }));

  const reachable = reachableFrom(topology, serviceId);
  const pods = topology.nodes.filter((n) => n.kind === 'pod' && reachable.has(n.id));
  const perNode = new Map<string, DescribedEndpoint[]>();
  for (const p of pods) {
    const k = p.node ?? '<unknown>';
    let l = perNode.get(k);
    if (!l) perNode.set(k, (l = []));
    l.push({ name: p.label, addresses: p.addresses ?? [], ready: p.ready ?? null });
  }
  const known = pods.filter((p) => p.ready !== undefined);
  const endpoints =
    known.length > 0 || (pods.length === 0 && snapshot.source.kind === 'cluster')
      ? { ready: known.filter((p) => p.ready).length, total: pods.length }
      : null;

  const sourceIpLost = topology.edges
    .filter((e) => e.sourceIpLost)
    .map((e) => {
      const from = byId.get(e.from);
      const to = byId.get(e.to);
      return { hop: `${from ? shortName(from) : e.from} -> ${to ? shortName(to) : e.to}`, reason: lostReason(e) };
    });

  return {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: 'ServiceDescription',
    service: ref,
    type,
    clusterIPs: sf?.clusterIPs ?? [],
    selector: sf?.selector ?? {},
    ports: (sf?.declaredPorts ?? []).map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: p.port ?? null,
      protocol: p.protocol,
      ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
      ...(typeof p.nodePort === 'number' ? { nodePort: p.nodePort } : {}),
    })),
    externalTrafficPolicy:
      sf && (type === 'LoadBalancer' || type === 'NodePort' || sf.externalIPs.length > 0)
        ? sf.externalTrafficPolicy
        : null,
    sessionAffinity: sf?.traffic.sessionAffinity ?? 'None',
    exposures,
    ...(dnsNames.length > 0 ? { dnsNames } : {}),
    hops,
    gateways,
    endpoints,
    endpointsByNode: [...perNode.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([node, eps]) => ({ node, endpoints: eps })),
    sourceIpLost,
    affinity: affinityLines(ctx, ref),
    findings: findings.findings,
    ...(findings.note ? { findingsNote: findings.note } : {}),
  };
}

/** One line per way in: the exposing object, its STICKY value, and the setting that decides it (or what breaks it). */
function affinityLines(ctx: ReturnType<typeof buildContext>, ref: ServiceRef): ServiceDescription['affinity'] {
  return waysTo(ctx, ref.namespace, ref.name).map((w) => {
    const sticky = stickinessOf(w);
    const picker = w.hops.find((h) => h.picksPod);
    const detail =
      sticky === 'broken'
        ? `${[...new Set(w.problems.map((p) => `affinity/${p.kind}`))].join(', ')} (exposectl diagnose affinity ${ref.namespace}/${ref.name})`
        : picker
          ? `${picker.setting} at ${picker.label}`
          : 'no hop picks the Pod in the input';
    return { via: `${w.via.kind.toLowerCase()}/${w.via.name}`, sticky, detail };
  });
}

function shortName(n: TopologyNode): string {
  switch (n.kind) {
    case 'address':
      return `address ${n.label}`;
    case 'announcer':
      return `announcer ${n.label}`;
    case 'nexthop':
      return `next hop ${n.label}`;
    case 'gateway':
    case 'route':
      return `${n.objectKind} ${n.label}`;
    case 'service':
      return `Service ${n.label}`;
    default:
      return n.label;
  }
}

/** The nodes reachable from `from` (the Pods of this Service, not those of a gateway workload). */
function reachableFrom(t: Topology, from: string): Set<string> {
  const out = new Map<string, string[]>();
  for (const e of t.edges) {
    let l = out.get(e.from);
    if (!l) out.set(e.from, (l = []));
    l.push(e.to);
  }
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    for (const next of out.get(stack.pop()!) ?? [])
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
  }
  return seen;
}
