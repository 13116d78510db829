// Who receives the traffic for a LoadBalancer address: the node that answers ARP/NDP
// (L2) or the BGP next hops. Facts, in order of trust:
// - L2: MetalLB ServiceL2Status (node and interfaces), the holder of Cilium's L2 announce Lease, kube-vip's kube-vip.io/vipHost
//   annotation on the Service; else one node elected among the candidates (the nodes
//   with a ready endpoint under externalTrafficPolicy Local, else every node).
// - BGP: MetalLB ServiceBGPStatus (node and peers); else the nodes with a ready
//   endpoint under Local (MetalLB and Cilium advertise only from them), else every node.
// Only nodes that may announce the address (src/discover/announcer-eligibility.ts) are
// named: a status naming another node is stale, and is not drawn. Pure.
import { announcerEligibility, mayAnnounce } from '../discover/announcer-eligibility.js';
import { ciliumL2Lease } from '../discover/cilium-l2-lease.js';
import { annotationsOf, type DiscoveryContext, nameOf } from '../discover/context.js';
import type { EndpointFacts } from '../discover/endpoints.js';
import { metallbPeerTexts } from '../discover/metallb-peers.js';
import { serviceBgpStatuses, serviceL2Statuses } from '../discover/metallb-status.js';
import { serviceFact } from '../discover/services.js';
import type { Service } from '../model/snapshot.js';

export interface Hop {
  /** Node name, or undefined for a placeholder (the input does not say which node). */
  node?: string;
  interface?: string;
  mac?: string;
  peers?: string[];
  /** Placeholders: the candidates, one line. */
  detail?: string;
  /** For a collapsed "every node" hop: how many nodes. */
  count?: number;
}

/** More next hops than this are drawn as one "N nodes" hop. */
export const MAX_NEXT_HOPS = 6;

function candidates(ctx: DiscoveryContext, svc: Service, facts: EndpointFacts): string[] {
  const local = serviceFact(ctx, svc).externalTrafficPolicy === 'Local';
  const may = (n: string) => mayAnnounce(ctx, svc, n);
  if (local && facts.readyNodes.size > 0) return [...facts.readyNodes].filter(may).sort();
  return ctx.nodes.map(nameOf).filter(may);
}

/** The placeholder when no node may announce: what the snapshot says instead of a node. */
function noCandidate(ctx: DiscoveryContext, svc: Service): string {
  if (ctx.nodes.length === 0) return 'nodes not in the input';
  return announcerEligibility(ctx, svc).known
    ? 'no node may announce it (lb/no-eligible-announcer)'
    : 'no candidate node';
}

export function l2Hops(ctx: DiscoveryContext, svc: Service, facts: EndpointFacts): Hop[] {
  const out: Hop[] = [];
  for (const s of serviceL2Statuses(ctx, svc)) {
    if (!mayAnnounce(ctx, svc, s.node)) continue;
    out.push({ node: s.node, ...(s.interfaces.length > 0 ? { interface: s.interfaces.join(',') } : {}) });
  }
  const lease = ciliumL2Lease(ctx, svc);
  if (out.length === 0 && lease?.holder && mayAnnounce(ctx, svc, lease.holder)) out.push({ node: lease.holder });
  if (out.length > 0) return out;
  const vipHost = annotationsOf(svc)['kube-vip.io/vipHost'];
  if (vipHost && mayAnnounce(ctx, svc, vipHost)) return [{ node: vipHost }];
  const c = candidates(ctx, svc, facts);
  return [{ detail: c.length > 0 ? `one elected among ${summarise(c)}` : noCandidate(ctx, svc) }];
}

export function bgpHops(ctx: DiscoveryContext, svc: Service, facts: EndpointFacts): Hop[] {
  const out: Hop[] = [];
  for (const s of serviceBgpStatuses(ctx, svc)) {
    if (!mayAnnounce(ctx, svc, s.node)) continue;
    out.push({ node: s.node, ...(s.peers.length > 0 ? { peers: s.peers } : {}) });
  }
  if (out.length > 0) return out;
  const c = candidates(ctx, svc, facts);
  if (c.length === 0)
    return [{ detail: ctx.nodes.length === 0 ? 'every speaker node (nodes not in the input)' : noCandidate(ctx, svc) }];
  if (c.length > MAX_NEXT_HOPS) return [{ detail: summarise(c), count: c.length }];
  return c.map((node) => ({ node }));
}

/** BGP peers the cluster talks to (MetalLB BGPPeer), for the address's details. */
export function bgpPeers(ctx: DiscoveryContext): string[] {
  return metallbPeerTexts(ctx);
}

function summarise(names: string[]): string {
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
