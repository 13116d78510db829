// The BGP next hops of an address Calico advertises, as Calico's BIRD sets them: with
// externalTrafficPolicy Local, the /32 (/128) only from nodes that host a ready endpoint;
// with Cluster, every node running calico-node advertises (the range, aggregated, or each
// LoadBalancer /32 when serviceLoadBalancerAggregation is Disabled). Pure.
import type { CalicoBgp } from '../discover/calico.js';
import { calicoPeerTexts } from '../discover/calico.js';
import { type DiscoveryContext, nameOf } from '../discover/context.js';
import type { EndpointFacts } from '../discover/endpoints.js';
import { serviceFact } from '../discover/services.js';
import type { Service } from '../model/snapshot.js';
import { type Hop, MAX_NEXT_HOPS } from './hops.js';

export function calicoHops(ctx: DiscoveryContext, bgp: CalicoBgp, svc: Service, facts: EndpointFacts): Hop[] {
  const peers = calicoPeerTexts(bgp);
  const withPeers = (h: Hop): Hop => (peers.length > 0 ? { ...h, peers } : h);
  const local = serviceFact(ctx, svc).externalTrafficPolicy === 'Local';
  if (local) {
    const nodes = [...facts.readyNodes].sort();
    if (nodes.length === 0) {
      return [
        {
          detail: facts.endpoints
            ? 'no node advertises it: no ready endpoint (externalTrafficPolicy Local)'
            : 'the nodes with a ready endpoint (endpoints not in the input)',
        },
      ];
    }
    return nodes.length > MAX_NEXT_HOPS
      ? [withPeers({ detail: `/32 from ${nodes.length} nodes with a ready endpoint`, count: nodes.length })]
      : nodes.map((node) => withPeers({ node, detail: '/32 (node has a ready endpoint)' }));
  }
  const all = ctx.nodes.map(nameOf);
  const what = bgp.aggregation ? 'the Service range' : 'a /32 per address';
  if (all.length === 0) return [withPeers({ detail: `every calico-node advertises ${what} (nodes not in the input)` })];
  if (all.length > MAX_NEXT_HOPS) return [withPeers({ detail: `every node advertises ${what}`, count: all.length })];
  return all.map((node) => withPeers({ node }));
}
