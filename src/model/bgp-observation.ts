// What the passive BGP probe observes (`probe bgp -o json`, the facts `diagnose bgp --probe`
// judges): per peer, the session state and the routes received. Plain JSON types, here so
// that analyzers and renderers read them without the probe (src/probes/bgp/ fills them).

export type AddressFamily = 'ipv4' | 'ipv6';

export type Origin = 'igp' | 'egp' | 'incomplete';

export type AsPathSegmentType = 'set' | 'sequence' | 'confed-sequence' | 'confed-set';

export interface AsPathSegment {
  type: AsPathSegmentType;
  asns: number[];
}

export type BgpState = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';

/** One route of the Adj-RIB-In, JSON-serialisable. */
export interface BgpRoute {
  family: AddressFamily;
  prefix: string;
  nextHop: string;
  /** IPv6 only: the link-local next hop sent beside the global one (RFC 2545). */
  nextHopLinkLocal?: string;
  /** `65001 65002 {65003}`; empty for a route of the peer's own AS (iBGP origin). */
  asPath: string;
  asPathSegments: AsPathSegment[];
  origin?: Origin;
  med?: number;
  localPref?: number;
  /** RFC 1997, `ASN:VALUE`. */
  communities: string[];
  /** RFC 8092, `GLOBAL:LOCAL1:LOCAL2`. */
  largeCommunities: string[];
  atomicAggregate?: boolean;
  aggregator?: { asn: number; address: string };
  /** Optional attributes this probe does not interpret, value in hex. */
  unknownAttributes?: Array<{ flags: number; type: number; value: string }>;
  receivedAt: string;
}

export interface BgpNotificationRecord {
  direction: 'sent' | 'received';
  code: number;
  subcode: number;
  codeName: string;
  subcodeName: string;
  /** NOTIFICATION data in hex. */
  data: string;
  /** Shutdown communication (RFC 8203) or what the probe found wrong. */
  reason?: string;
  at: string;
}

export interface PeerCapabilities {
  fourOctetAs: boolean;
  routeRefresh: boolean;
  extendedMessage: boolean;
  gracefulRestart: boolean;
  /** Multiprotocol families the peer advertised, e.g. `ipv4-unicast`. */
  families: string[];
  /** Capability codes received that this probe does not interpret. */
  other: number[];
}

export interface BgpStateChange {
  at: string;
  from: BgpState;
  to: BgpState;
}

export interface BgpPeerObservation {
  address: string;
  /** Named in the collector's expected peers. */
  expected: boolean;
  state: BgpState;
  remoteAs: number | null;
  routerId: string | null;
  /** Negotiated hold time in seconds. */
  holdTime: number | null;
  capabilities: PeerCapabilities | null;
  /** When the current session became Established; null when it is not. */
  establishedAt: string | null;
  /** TCP connections accepted from this peer. */
  connections: number;
  /** Sessions that reached Established. */
  establishedCount: number;
  /** The latest NOTIFICATION sent or received. */
  lastNotification: BgpNotificationRecord | null;
  /** Why the latest closed session closed. */
  lastCloseReason: string | null;
  lastClosedAt: string | null;
  /** RFC 7606 errors (treat-as-withdraw, attribute discard) in the current session. */
  updateErrors: number;
  lastUpdateError: string | null;
  endOfRib: AddressFamily[];
  /** The Adj-RIB-In of the current session, IPv4 then IPv6, sorted by prefix. */
  routes: BgpRoute[];
  /** The latest state changes, oldest first (at most 50). */
  history: BgpStateChange[];
}

export interface BgpObservation {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'BgpObservation';
  listen: { address: string; port: number };
  localAs: number;
  routerId: string;
  startedAt: string;
  capturedAt: string;
  peers: BgpPeerObservation[];
  /** Connections refused because the address is not an expected peer (latest 50). */
  rejected: Array<{ address: string; at: string; reason: string }>;
}
