// Which nodes receive a Service's external traffic, and so which ones drop it under
// externalTrafficPolicy Local when they have no local ready endpoint. Pure.
//
// kube-proxy opens a NodePort Service's nodePort on every node, and with Local policy
// drops what a node without a local endpoint receives ("has no local endpoints"). A
// LoadBalancer address reaches only the nodes its announcer sends it to, and the
// announcers follow Local: MetalLB (L2 and BGP) and Cilium announce from nodes with a
// ready local endpoint (Cilium's L2 announcer from 1.20.2), cloud load balancers check healthCheckNodePort, kube-vip elects
// among such nodes with svc_election. kube-vip without svc_election holds the address on
// its leader, any node it runs on. Without a known implementation the announcer is not
// known: only the nodes' own health answers (probe endpoints --healthz) say who receives.
// Only the nodes that may announce the address at all (announcer-eligibility.ts) receive it.
import type { Node, Service } from '../model/snapshot.js';
import { announcerEligibility } from './announcer-eligibility.js';
import { reportedAnnouncer } from './announcers.js';
import { type DiscoveryContext, nameOf } from './context.js';
import { endpointsByNode } from './endpoints-per-node.js';
import { classifyLoadBalancer, kubeVipAnnouncers } from './implementation.js';
import { serviceFact } from './services.js';

export interface ReceivingNodes {
  nodes: Node[];
  /** Why these nodes, in a few words (for reports). */
  rule: string;
  /** False when the snapshot does not say who announces the address (no known implementation). */
  known: boolean;
}

export function receivingNodesOf(ctx: DiscoveryContext, svc: Service): ReceivingNodes {
  const s = serviceFact(ctx, svc);
  if (s.type === 'NodePort')
    return { nodes: ctx.nodes, rule: 'kube-proxy opens the nodePort on every node', known: true };
  if (s.type !== 'LoadBalancer')
    return { nodes: [], rule: `a ${s.type} Service receives no external traffic`, known: true };
  const eligibility = announcerEligibility(ctx, svc);
  const mayAnnounce = (n: Node) => !eligibility.known || eligibility.eligible.includes(nameOf(n));
  const eligibleNodes = ctx.nodes.filter(mayAnnounce);
  const among = eligibility.known && eligibility.excluded.length > 0 ? ' among the nodes that may announce it' : '';
  if (s.externalTrafficPolicy !== 'Local')
    return { nodes: eligibleNodes, rule: `the announcer may send the address to any node${among}`, known: true };
  const announcer = reportedAnnouncer(ctx, svc);
  if (announcer.node && eligibleNodes.some((n) => nameOf(n) === announcer.node)) {
    return {
      nodes: ctx.nodes.filter((n) => nameOf(n) === announcer.node),
      rule: `${announcer.source} names the announcing node`,
      known: true,
    };
  }
  const implementation = classifyLoadBalancer(ctx, svc).implementation;
  if (implementation === null)
    return { nodes: [], rule: 'no known implementation announces the address', known: false };
  if (implementation === 'kube-vip' && !kubeVipAnnouncers(ctx).some((a) => a.election)) {
    return {
      nodes: eligibleNodes,
      rule: `kube-vip without svc_election holds the address on its leader, any node${among}`,
      known: true,
    };
  }
  // Cilium before 1.20.2 elects its L2 announcer without looking at Local (announcer-eligibility.ts).
  if (implementation === 'cilium' && eligibility.known && !eligibility.followsLocal) {
    return {
      nodes: eligibleNodes,
      rule: `${eligibility.notes[0] ?? 'Cilium elects the announcer without looking at local endpoints'}: any node${among}`,
      known: true,
    };
  }
  const withEndpoint = new Set(
    endpointsByNode(ctx, svc)
      .nodes.filter((n) => n.ready > 0)
      .map((n) => n.node),
  );
  return {
    nodes: eligibleNodes.filter((n) => withEndpoint.has(nameOf(n))),
    rule: `${implementation} announces a Local Service's address only from nodes with a ready endpoint${among}`,
    known: true,
  };
}

/** The nodes that receive the Service's external traffic (see receivingNodesOf). */
export function receivingNodes(ctx: DiscoveryContext, svc: Service): Node[] {
  return receivingNodesOf(ctx, svc).nodes;
}
