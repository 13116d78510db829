// What the BGP probe saw (its observation, model/bgp-observation.ts), held against what
// the cluster says should be announced: bgp/session-down, bgp/not-advertised,
// bgp/nexthop-without-endpoints. The probe observes; this judges. Pure: no I/O.
import { anyRangeContains, formatIP, parseIP } from '../discover/ip.js';
import type { BgpObservation, BgpPeerObservation, BgpRoute } from '../model/bgp-observation.js';
import type { Finding } from '../model/finding.js';

export type { BgpExpectations } from '../model/bgp-expectations.js';

import type { BgpExpectations } from '../model/bgp-expectations.js';

/** One text per address (IPv4-mapped IPv6 as IPv4, IPv6 as RFC 5952), to match peers and next hops; other text as is. */
function normalizeAddress(text: string): string {
  const ip = parseIP(text);
  return ip ? formatIP(ip) : text;
}

/** True when `address` lies inside `prefix` (same family). */
const prefixContains = (prefix: string, address: string): boolean => anyRangeContains([prefix], address);

const CHECK = 'bgp';

export function compareBgp(observation: BgpObservation, expectations: BgpExpectations): Finding[] {
  const findings: Finding[] = [];
  const established = observation.peers.filter((p) => p.state === 'Established');

  // bgp/session-down
  const byAddress = new Map(observation.peers.map((p) => [normalizeAddress(p.address), p]));
  for (const raw of [...new Set(expectations.expectedPeers.map(normalizeAddress))].sort()) {
    const peer = byAddress.get(raw);
    if (peer?.state === 'Established') continue;
    findings.push(sessionDown(raw, peer, observation));
  }

  // Node of each next hop address.
  const nodeOf = new Map<string, string>();
  for (const [node, addrs] of Object.entries(expectations.nodeAddresses)) {
    for (const a of addrs) nodeOf.set(normalizeAddress(a), node);
  }

  const services = [...expectations.loadBalancerAddresses].sort(
    (a, b) =>
      cmp(a.service.namespace, b.service.namespace) || cmp(a.service.name, b.service.name) || cmp(a.address, b.address),
  );
  for (const lb of services) {
    const subject = { kind: 'Service', namespace: lb.service.namespace, name: lb.service.name };
    const svc = `${lb.service.namespace}/${lb.service.name}`;
    const address = normalizeAddress(lb.address);
    const matches: Array<{ peer: BgpPeerObservation; route: BgpRoute }> = [];
    for (const peer of established) {
      const route = longestMatch(peer.routes, address);
      if (route) matches.push({ peer, route });
    }

    // bgp/not-advertised
    if (matches.length === 0) {
      const seen =
        established.length === 0
          ? 'no BGP peer has an established session with the probe'
          : `none of the ${established.length} established peer(s) (${established.map((p) => p.address).join(', ')}) advertises a route covering it`;
      findings.push({
        code: 'bgp/not-advertised',
        severity: 'error',
        check: CHECK,
        subject,
        message: `LoadBalancer address ${address} of Service ${svc} is not advertised over BGP: ${seen}, so routers have no route to it and clients' traffic to ${address} is dropped or sent elsewhere.`,
        fix:
          lb.implementation === 'calico'
            ? `Calico should advertise ${address} (BGPConfiguration default ${lb.range ?? 'Service ranges'}) from ${lb.localPolicy ? 'the nodes with a ready endpoint (externalTrafficPolicy Local)' : 'every node'}: check that a Calico BGPPeer has this router's address as spec.peerIP and its AS as spec.asNumber, that calico-node's BIRD has the session Established (calicoctl node status or birdcl show protocols), and that no BGPFilter on the peer rejects the route.`
            : `Make the BGP speakers announce ${address}/${address.includes(':') ? 128 : 32}: with MetalLB, add a BGPAdvertisement that selects the IPAddressPool holding ${address} (and, if it uses nodeSelectors or peers, that they match the speaker nodes and this peer); check that the speaker pods run on nodes with ready endpoints${lb.localPolicy ? ' (externalTrafficPolicy Local announces only from those nodes)' : ''} and that their BGPPeer sessions are established.`,
      });
      continue;
    }

    // bgp/nexthop-without-endpoints
    if (!lb.localPolicy) continue;
    const ready = new Set(lb.nodesWithReadyEndpoints);
    const reported = new Set<string>();
    for (const { peer, route } of matches) {
      for (const hop of [route.nextHop, route.nextHopLinkLocal].filter((h): h is string => !!h)) {
        const node = nodeOf.get(normalizeAddress(hop));
        if (!node || ready.has(node)) continue;
        const key = `${node}|${hop}`;
        if (reported.has(key)) continue;
        reported.add(key);
        findings.push({
          code: 'bgp/nexthop-without-endpoints',
          severity: 'warning',
          check: CHECK,
          subject,
          message: `Peer ${peer.address} routes ${address} (${route.prefix}) to next hop ${hop}, node ${node}, which has no ready endpoint of Service ${svc}; with externalTrafficPolicy Local, kube-proxy on ${node} drops the traffic the router sends there (${ready.size === 0 ? 'no node has a ready endpoint' : `nodes with endpoints: ${[...ready].sort().join(', ')}`}).`,
          fix:
            lb.implementation === 'calico'
              ? `Calico advertises the /32 of a Local Service only from nodes with a ready endpoint: the route via ${node} is stale or comes from an aggregated range; check calico-node on ${node} sees the EndpointSlices, that serviceLoadBalancerAggregation does not hide the /32, or run a ready Pod of ${svc} on ${node}.`
              : `Stop announcing ${address} from ${node}: the speaker there should withdraw it when ${node} has no ready endpoint (MetalLB does so for externalTrafficPolicy Local; check that the speaker on ${node} runs a current version and sees the EndpointSlices), or run a ready Pod of ${svc} on ${node}, or set externalTrafficPolicy: Cluster if keeping the client source IP is not needed.`,
        });
      }
    }
  }
  return findings;
}

function sessionDown(address: string, peer: BgpPeerObservation | undefined, o: BgpObservation): Finding {
  const listen = `${o.listen.address}:${o.listen.port}`;
  let seen: string;
  let fix: string;
  if (!peer || peer.connections === 0) {
    seen = `it never connected to the probe listening on ${listen}`;
    fix = `Configure ${address} with a BGP neighbor pointing at the probe (address ${o.listen.address === '0.0.0.0' || o.listen.address === '::' ? 'of this host' : o.listen.address}, port ${o.listen.port}, remote AS ${o.localAs}) and check that nothing between them blocks TCP port ${o.listen.port}.`;
  } else {
    const n = peer.lastNotification;
    const why = n
      ? `last NOTIFICATION ${n.direction} ${n.direction === 'sent' ? 'to' : 'from'} it: ${n.codeName} / ${n.subcodeName}${n.reason ? ` (${n.reason})` : ''}`
      : peer.lastCloseReason
        ? `last close: ${peer.lastCloseReason}`
        : 'no NOTIFICATION recorded';
    seen = `the session is ${peer.state} after ${peer.connections} connection(s); ${why}`;
    fix = n
      ? notificationFix(n.code, n.subcode, address, o.localAs)
      : `Check the BGP daemon on ${address} (its logs and neighbor state) and the path to ${listen}.`;
  }
  return {
    code: 'bgp/session-down',
    severity: 'error',
    check: CHECK,
    subject: { kind: 'BGPPeer', namespace: null, name: address },
    message: `Expected BGP peer ${address} has no established session: ${seen}. Routes it should announce are not received, so traffic to the addresses it should announce is not routed through it.`,
    fix,
  };
}

function notificationFix(code: number, subcode: number, address: string, localAs: number): string {
  if (code === 2 && subcode === 2)
    return `Make the AS numbers agree: the speaker on ${address} must use the AS the probe expects, and peer with the probe as remote AS ${localAs}.`;
  if (code === 2 && subcode === 6) return `Set the hold time on ${address} to 0 or at least 3 seconds.`;
  if (code === 2 && subcode === 3)
    return `Give the speaker on ${address} a non-zero BGP router ID distinct from the probe's.`;
  if (code === 2)
    return `Fix the OPEN parameters of ${address} (BGP version 4, AS number, hold time, router ID, capabilities).`;
  if (code === 3)
    return `The speaker on ${address} sent a malformed UPDATE: upgrade or fix it; its log shows the route that was rejected.`;
  if (code === 4)
    return `Keepalives from ${address} stopped arriving: check the daemon on ${address} is running and the network path is not dropping packets.`;
  if (code === 6)
    return `The speaker on ${address} or the probe closed the session administratively: check ${address}'s neighbor configuration and that the speaker is running.`;
  return `Check the BGP daemon on ${address}, its logs and neighbor state.`;
}

function longestMatch(routes: BgpRoute[], address: string): BgpRoute | undefined {
  let best: BgpRoute | undefined;
  let bestLength = -1;
  for (const r of routes) {
    const length = Number(r.prefix.slice(r.prefix.lastIndexOf('/') + 1));
    if (length > bestLength && prefixContains(r.prefix, address)) {
      best = r;
      bestLength = length;
    }
  }
  return best;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
