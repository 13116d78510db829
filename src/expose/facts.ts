// The facts expose's pre-flight checks need, from a live read of the whole cluster.
// A kind the user may not list is not known to be empty: its facts stay undefined, so
// the checks that need it are skipped with a note instead of failing falsely.
import { factsFromSnapshot, type ExposeFacts } from '../modes/index.js';
import type { ClusterLoad } from '../sources/cluster.js';

const FACT_OF_KIND: Record<string, keyof ExposeFacts> = {
  Service: 'services', Node: 'nodes', IngressClass: 'ingressClasses', Secret: 'secrets', GatewayClass: 'gatewayClasses',
  Gateway: 'gateways', IPAddressPool: 'pools', L2Advertisement: 'l2Advertisements', BGPAdvertisement: 'bgpAdvertisements',
  BGPPeer: 'bgpPeers', DaemonSet: 'hostWorkloads', Deployment: 'hostWorkloads', StatefulSet: 'hostWorkloads',
};

export function factsFromLoad(load: Pick<ClusterLoad, 'snapshot' | 'unreadable'>): ExposeFacts {
  const facts = factsFromSnapshot(load.snapshot);
  for (const { kind } of load.unreadable) {
    const field = FACT_OF_KIND[kind];
    if (field) delete facts[field];
  }
  return facts;
}
