// Facts the probes gather from the network, in the typed shape the analyzers read.
// Probes only observe (no judgement); analyzers compare these facts with the snapshot.
// The BGP probe's facts are its BgpObservation (src/model/bgp-observation.ts).
import type { BgpObservation } from './bgp-observation.js';
import type { ReachProbe } from './reach.js';

/** Who answered ARP (IPv4) or NDP (IPv6) for one address, as seen from one interface. */
export interface ArpObservation {
  /** The address asked for (a LoadBalancer or VIP address). */
  ip: string;
  /** The interface the probe asked from. */
  interface: string;
  /** The Service the address belongs to, when the probe was run for a Service. */
  service?: { namespace: string; name: string };
  /** Every distinct MAC that answered, lower-case `aa:bb:cc:dd:ee:ff`. Empty: nobody answered. */
  macs: string[];
  /** MAC -> node name, for the MACs that belong to a known node (from the nodes' interfaces). */
  nodeOfMac: Record<string, string>;
  /** The node the implementation reports as announcer (MetalLB ServiceL2Status, kube-vip lease), when known. */
  expectedHolder?: string;
  /** How many requests were sent, and over how long. */
  requests: number;
  durationMs: number;
  /** When the observation ended (ISO 8601). */
  at: string;
}

/** One node's answer to kube-proxy's health check for a Local-policy Service (`GET :healthCheckNodePort/healthz`). */
export interface HealthzAnswer {
  node: string;
  address: string;
  /** HTTP status: 200 when the node has local endpoints, 503 when it has none; null when no answer. */
  status: number | null;
  /** `localEndpoints` from the JSON body, when the body had it. */
  localEndpoints: number | null;
  /** Why there is no answer (timeout, refused). */
  error?: string;
}

/** What `probe endpoints` saw for one Service. */
export interface EndpointsProbe {
  service: { namespace: string; name: string };
  healthCheckNodePort: number | null;
  answers: HealthzAnswer[];
  at: string;
}

/** One request sent through an exposure to an echo endpoint that reports the peer address it saw. */
export interface SourceIpProbe {
  service: { namespace: string; name: string };
  /** What the client sent to (address:port) and its own address as it left the client. */
  target: string;
  clientAddress: string;
  /** The peer address the echo saw on its TCP connection; null when the request failed. */
  seenAddress: string | null;
  /** The address carried in a PROXY protocol header the echo received, if any. */
  proxyProtocolAddress?: string | null;
  /**
   * On an L7 path (Ingress, HTTPRoute) only: the client address as the proxy forwarded it
   * (X-Forwarded-For's first entry, else X-Real-IP), null when neither header carried one.
   * Present (even null) means the path is L7: the TCP peer is the proxy, the header is the verdict.
   */
  forwardedFor?: string | null;
  /** The header forwardedFor was read from. */
  forwardedHeader?: 'X-Forwarded-For' | 'X-Real-IP';
  error?: string;
  at: string;
}

/** Every probe fact an analyzer may read; absent inputs mean the probe did not run. */
export interface ProbeFacts {
  arp?: ArpObservation[];
  bgp?: BgpObservation;
  /** Peers the BGP observation should have sessions with (from the probe's --peer flags). */
  bgpExpectedPeers?: string[];
  endpointsProbe?: EndpointsProbe[];
  sourceIpProbe?: SourceIpProbe[];
  /** What `probe reach` saw (src/model/reach.ts). */
  reachProbe?: ReachProbe[];
}
