// The facts expose's pre-flight checks need, from a live read of the whole cluster.
// A kind the user may not list is not known to be empty: its facts stay undefined, so
// the checks that need it are skipped with a note instead of failing falsely.

import { KINDS, type KindInfo } from '../kube/kinds.js';
import { type ExposeFacts, factsFromSnapshot } from '../modes/index.js';
import type { ClusterLoad } from '../sources/cluster.js';

const FACT_OF_KIND: Record<string, keyof ExposeFacts> = {
  Service: 'services',
  Node: 'nodes',
  IngressClass: 'ingressClasses',
  Secret: 'secrets',
  GatewayClass: 'gatewayClasses',
  Gateway: 'gateways',
  IPAddressPool: 'pools',
  L2Advertisement: 'l2Advertisements',
  BGPAdvertisement: 'bgpAdvertisements',
  BGPPeer: 'bgpPeers',
  BGPConfiguration: 'calico',
  IPPool: 'calico',
  DaemonSet: 'hostWorkloads',
  Deployment: 'hostWorkloads',
  StatefulSet: 'hostWorkloads',
};

/**
 * The kinds the checks look at, and so all that expose reads: not EndpointSlices, Pods,
 * Ingresses or ConfigMaps, which on a cluster of 10,000 Services are most of the bytes.
 */
export const FACT_KINDS: readonly KindInfo[] = KINDS.filter((k) => k.kind in FACT_OF_KIND);

export function factsFromLoad(load: Pick<ClusterLoad, 'snapshot' | 'unreadable'>): ExposeFacts {
  const facts = factsFromSnapshot(load.snapshot);
  for (const { kind } of load.unreadable) {
    const field = FACT_OF_KIND[kind];
    if (field) delete facts[field];
  }
  return facts;
}
