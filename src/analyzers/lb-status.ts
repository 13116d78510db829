// What the load-balancer implementations write about their own work, judged against the
// configuration and cited (issue #16, point 10):
// - lb/announcer-not-eligible: MetalLB's ServiceL2Status or the holder of Cilium's L2
//   announce Lease names a node that may not announce the address by the current
//   configuration (src/discover/announcer-eligibility.ts): the status is stale, or the
//   speaker/agent there did not take the configuration; who answers ARP is in doubt.
// - bgp/not-advertised: every ServiceBGPStatus of a Service lists no peer: MetalLB
//   advertises the address to no router.
// - bgp/peer-not-established: a CiliumBGPNodeConfig reports a peer whose session is not
//   established: that node's routes (LoadBalancer addresses, Pod CIDRs) reach no router there.
// Pure: the statuses are typed facts (src/discover/metallb-status.ts, cilium-l2-lease.ts,
// cilium-bgp-status.ts).
import { announcerEligibility } from '../discover/announcer-eligibility.js';
import { reportedAnnouncer } from '../discover/announcers.js';
import { ciliumBgpPeerStates, peerDown } from '../discover/cilium-bgp-status.js';
import { ciliumL2Lease } from '../discover/cilium-l2-lease.js';
import { classifyLoadBalancer, loadBalancerAddresses } from '../discover/implementation.js';
import { serviceBgpStatuses } from '../discover/metallb-status.js';
import { serviceFacts } from '../discover/services.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { list, subjectOf } from './util.js';

const addressOf = (svc: Parameters<typeof loadBalancerAddresses>[0]): string => {
  const { assigned, requested } = loadBalancerAddresses(svc);
  const a = [...assigned, ...requested][0];
  return a ? `address ${a}` : 'the address';
};

const reportedIneligible: Analyzer = {
  name: 'lb-reported-announcer',
  check: 'lb',
  codes: ['lb/announcer-not-eligible'],
  inputs: ['snapshot'],
  description:
    "The node the implementation reports as announcer (MetalLB's ServiceL2Status, Cilium's L2 announce Lease) is one that may announce the address by the current configuration.",
  analyze(facts) {
    const out: Finding[] = [];
    for (const svc of serviceFacts(facts.ctx).latest) {
      if (svc.type !== 'LoadBalancer') continue;
      const reported = reportedAnnouncer(facts.ctx, svc.object);
      if (!reported.node || !reported.source || reported.implementation === 'kube-vip') continue;
      const e = announcerEligibility(facts.ctx, svc.object);
      const excluded = e.known ? e.excluded.find((x) => x.node === reported.node) : undefined;
      if (!excluded) continue;
      // No node at all may announce: lb/no-eligible-announcer says it, citing the status.
      if (e.eligible.length === 0) continue;
      const lease = reported.implementation === 'cilium' ? ciliumL2Lease(facts.ctx, svc.object) : undefined;
      const others = ` (the nodes that may: ${list(e.eligible, 4)})`;
      out.push(
        finding(
          'lb/announcer-not-eligible',
          subjectOf(svc.object),
          `${reported.source} names ${reported.node} as the node announcing ${addressOf(svc.object)} of Service ${svc.key}, but ${reported.node} may not announce it: ${excluded.why}${others}. The status is stale or the ${reported.implementation === 'cilium' ? 'cilium agent' : 'speaker'} there has not applied the configuration: which node answers for the address, if any, is in doubt.`,
          lease
            ? `Check the cilium agent on ${reported.node} (its log, kubectl -n ${lease.namespace} get lease ${lease.name}); deleting the Lease (kubectl -n ${lease.namespace} delete lease ${lease.name}) lets an agent on an eligible node take it.`
            : `Check the MetalLB speaker on ${reported.node} and the speakers' logs; restarting the speaker Pods makes them announce from an eligible node and rewrite the ServiceL2Status.`,
        ),
      );
    }
    return out;
  },
};

const bgpStatusNoPeer: Analyzer = {
  name: 'bgp-metallb-status',
  check: 'bgp',
  codes: ['bgp/not-advertised'],
  inputs: ['snapshot'],
  description: "MetalLB's ServiceBGPStatus of each BGP Service lists at least one peer the address is advertised to.",
  analyze(facts) {
    const out: Finding[] = [];
    for (const svc of serviceFacts(facts.ctx).latest) {
      if (svc.type !== 'LoadBalancer') continue;
      const statuses = serviceBgpStatuses(facts.ctx, svc.object);
      if (statuses.length === 0 || statuses.some((s) => s.peers.length > 0)) continue;
      if (classifyLoadBalancer(facts.ctx, svc.object).implementation !== 'metallb') continue;
      out.push(
        finding(
          'bgp/not-advertised',
          subjectOf(svc.object),
          `MetalLB announces ${addressOf(svc.object)} of Service ${svc.key} from ${list(
            statuses.map((s) => s.node),
            4,
          )}, and ${list(
            statuses.map((s) => s.ref),
            2,
          )} list${statuses.length === 1 ? 's' : ''} no peer (status.peers empty): the address is advertised to no BGP router, so clients outside cannot reach it.`,
          'Check that a BGPPeer selects these nodes (spec.nodeSelectors) and that the BGPAdvertisement that announces the pool does not limit spec.peers to peers these nodes lack; then kubectl get servicebgpstatuses -A shows the peers.',
        ),
      );
    }
    return out;
  },
};

const ciliumPeerDown: Analyzer = {
  name: 'bgp-cilium-status',
  check: 'bgp',
  codes: ['bgp/peer-not-established'],
  inputs: ['snapshot'],
  description:
    'Every BGP session a CiliumBGPNodeConfig reports (status.bgpInstances[].peers[].peeringState) is established.',
  analyze(facts) {
    const out: Finding[] = [];
    const nodes = facts.snapshot.cilium.bgpNodeConfigs;
    for (const p of ciliumBgpPeerStates(facts.ctx)) {
      if (!peerDown(p)) continue;
      const object = nodes.find((n) => n.metadata.name === p.node);
      if (!object) continue;
      const peer = `${p.peer}${p.peerAddress && p.peerAddress !== p.peer ? ` (${p.peerAddress}${p.peerASN !== undefined ? `, AS ${p.peerASN}` : ''})` : p.peerASN !== undefined ? ` (AS ${p.peerASN})` : ''}`;
      out.push(
        finding(
          'bgp/peer-not-established',
          subjectOf(object, false),
          `${p.ref} reports the BGP session of node ${p.node}${p.instance ? ` (instance ${p.instance})` : ''} with peer ${peer} as ${p.peeringState}, not established: the routes the node should advertise there (LoadBalancer addresses, Pod CIDRs) reach no router through this peer.`,
          `Check the session on both ends: the peer address and port 179 reachable from ${p.node}, the ASNs (the router must expect the node's localASN, the node the router's peerASN; an "as number mismatch" in the cilium agent's log means they are swapped), and the router's neighbor configuration for ${p.node}; cilium bgp peers shows the state live.`,
        ),
      );
    }
    return out;
  },
};

export const lbStatusAnalyzers: Analyzer[] = [reportedIneligible, bgpStatusNoPeer, ciliumPeerDown];
