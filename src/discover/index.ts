// Discovery: Snapshot -> Exposure[], one row per object that makes a Service or a
// workload reachable from outside the cluster. Pure and deterministic: no I/O, rows
// sorted by namespace, name, kind, then mode (a Service's LoadBalancer row before its
// externalip row); objects read twice (files) keep the order they were read in.
import { type Exposure, MODES } from '../model/exposure.js';
import type { Snapshot } from '../model/snapshot.js';
import { buildContext, cmp } from './context.js';
import { gatewayExposures } from './gateway-exposures.js';
import { hostExposure } from './host-exposures.js';
import { ingressExposure } from './ingress-exposures.js';
import { serviceExposures } from './service-exposures.js';
import { appendAll } from '../util/arrays.js';
import { exposureSticky } from './affinity.js';
import { calicoExposures, withCalicoRows } from './calico.js';
import { istioExposures } from './istio.js';

// Building blocks for describe, topology and the analyzers (same rules as the list).
export {
  advertisementSelectsPool, ciliumPoolRanges, classifyLoadBalancer, kubeVipAnnouncers, kubeVipRanges,
  loadBalancerAddresses, metallbPoolRanges, type KubeVipAnnouncer, type LoadBalancerAddresses, type LoadBalancerClassification,
} from './implementation.js';
export { serviceEndpoints, workloadEndpoints, workloadPods, type EndpointCount, type EndpointFacts } from './endpoints.js';
export { buildContext, defineFacts, findService, nodeAddresses, type DiscoveryContext } from './context.js';
export { readService, serviceFact, serviceFacts, type ServiceFact, type ServicePortFact } from './services.js';
export { nodePortFacts, type NodePortFacts } from './node-ports.js';
export { endpointsByNode, type NodeEndpoints, type ServiceEndpointsByNode } from './endpoints-per-node.js';
export { receivingNodes, receivingNodesOf, type ReceivingNodes } from './receiving-nodes.js';
export { reportedAnnouncer, type ReportedAnnouncer } from './announcers.js';
export { metallbFacts, poolAdmits, poolOwns, readPool, sharingConflicts, shareCandidateOf, type MetalLbFacts, type PoolFact } from './metallb.js';
export { schedulableNodes, imageImplementation } from './host-exposures.js';
export { ingressImplementation } from './ingress-facts.js';
export { gatewayImplementation } from './gateway-exposures.js';
export { anyRangeContains, capacity, parseAddress, parseAddressEntry, parseRange, rangeContains, rangesContain, rangesOverlap, type AddressRange } from './ip.js';
export { labelSelectorMatches, mapSelects } from './selectors.js';

export function discoverExposures(snapshot: Snapshot): Exposure[] {
  const ctx = buildContext(snapshot);
  const out: Exposure[] = [];
  for (const svc of snapshot.services) appendAll(out, serviceExposures(ctx, svc));
  for (const ing of snapshot.ingresses) out.push(ingressExposure(ctx, ing));
  appendAll(out, gatewayExposures(ctx));
  appendAll(out, istioExposures(ctx));
  for (const w of snapshot.workloads) {
    const e = hostExposure(ctx, w);
    if (e) out.push(e);
  }
  // STICKY: stickiness along each way in (affinity.ts), the same facts `diagnose affinity` judges.
  return sortExposures(out.map((e) => ({ ...e, sticky: exposureSticky(ctx, e) })));
  return sortExposures(withCalicoRows(out, calicoExposures(ctx)));
}

export function sortExposures(items: Exposure[]): Exposure[] {
  return [...items].sort((a, b) =>
    cmp(a.namespace ?? '', b.namespace ?? '')
    || cmp(a.name, b.name)
    || cmp(a.kind, b.kind)
    || MODES.indexOf(a.mode) - MODES.indexOf(b.mode));
}
