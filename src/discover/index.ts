// Discovery: Snapshot -> Exposure[], one row per object that makes a Service or a
// workload reachable from outside the cluster. Pure and deterministic: no I/O, rows
// sorted by namespace, name, kind, then mode (a Service's LoadBalancer row before its
// externalip row); objects read twice (files) keep the order they were read in.
import { type Exposure, MODES } from '../model/exposure.js';
import type { Snapshot } from '../model/snapshot.js';
import { appendAll } from '../util/arrays.js';
import { exposureSticky } from './affinity.js';
import { calicoExposures, withCalicoRows } from './calico.js';
import { buildContext, cmp, type DiscoveryContext } from './context.js';
import { emissaryExposures } from './emissary.js';
import { exposureDnsNames } from './external-dns.js';
import { gatewayExposures } from './gateway-exposures.js';
import { gatewaySourceIP } from './gateway-source-ip.js';
import { hostExposure } from './host-exposures.js';
import { ingressExposure } from './ingress-exposures.js';
import { istioExposures } from './istio.js';
import { multusExposures } from './multus.js';
import { serviceExposures } from './service-exposures.js';

export { type ReportedAnnouncer, reportedAnnouncer } from './announcers.js';
export { buildContext, type DiscoveryContext, defineFacts, findService, nodeAddresses } from './context.js';
export {
  type EndpointCount,
  type EndpointFacts,
  serviceEndpoints,
  workloadEndpoints,
  workloadPods,
} from './endpoints.js';
export { endpointsByNode, type NodeEndpoints, type ServiceEndpointsByNode } from './endpoints-per-node.js';
export { gatewayImplementation } from './gateway-exposures.js';
export { imageImplementation, schedulableNodes } from './host-exposures.js';
// Building blocks for describe, topology and the analyzers (same rules as the list).
export {
  advertisementSelectsPool,
  ciliumPoolRanges,
  classifyLoadBalancer,
  type KubeVipAnnouncer,
  kubeVipAnnouncers,
  kubeVipRanges,
  type LoadBalancerAddresses,
  type LoadBalancerClassification,
  loadBalancerAddresses,
  metallbPoolRanges,
} from './implementation.js';
export { ingressImplementation } from './ingress-facts.js';
export {
  type AddressRange,
  anyRangeContains,
  capacity,
  parseAddress,
  parseAddressEntry,
  parseRange,
  rangeContains,
  rangesContain,
  rangesOverlap,
} from './ip.js';
export {
  type MetalLbFacts,
  metallbFacts,
  type PoolFact,
  poolAdmits,
  poolOwns,
  readPool,
  shareCandidateOf,
  sharingConflicts,
} from './metallb.js';
export { type NodePortFacts, nodePortFacts } from './node-ports.js';
export { type ReceivingNodes, receivingNodes, receivingNodesOf } from './receiving-nodes.js';
export { labelSelectorMatches, mapSelects } from './selectors.js';
export { readService, type ServiceFact, type ServicePortFact, serviceFact, serviceFacts } from './services.js';

export function discoverExposures(snapshot: Snapshot): Exposure[] {
  const ctx = buildContext(snapshot);
  const out: Exposure[] = [];
  for (const svc of snapshot.services) appendAll(out, serviceExposures(ctx, svc));
  for (const ing of snapshot.ingresses) out.push(ingressExposure(ctx, ing));
  appendAll(out, gatewayExposures(ctx));
  appendAll(out, istioExposures(ctx));
  appendAll(out, multusExposures(ctx));
  appendAll(out, emissaryExposures(ctx));
  for (const w of snapshot.workloads) {
    const e = hostExposure(ctx, w);
    // an HAProxy/nginx gateway: what its backends see (PROXY protocol, X-Forwarded-For or not)
    if (e) out.push({ ...e, sourceIP: gatewaySourceIP(ctx, w) ?? e.sourceIP });
  }
  // STICKY: stickiness along each way in (affinity.ts), the same facts `diagnose affinity` judges.
  return sortExposures(
    withCalicoRows(out, calicoExposures(ctx)).map((e) => withDnsNames(ctx, { ...e, sticky: exposureSticky(ctx, e) })),
  );
}

/** DNS-NAMES: the names external-dns publishes for the row (external-dns.ts), when there are any. */
function withDnsNames(ctx: DiscoveryContext, e: Exposure): Exposure {
  const names = exposureDnsNames(ctx, e);
  return names.length > 0 ? { ...e, dnsNames: names } : e;
}

export function sortExposures(items: Exposure[]): Exposure[] {
  return [...items].sort(
    (a, b) =>
      cmp(a.namespace ?? '', b.namespace ?? '') ||
      cmp(a.name, b.name) ||
      cmp(a.kind, b.kind) ||
      MODES.indexOf(a.mode) - MODES.indexOf(b.mode),
  );
}
