// What `probe reach` tries and sees: the ways into an exposure (targets), each try's
// outcome (TCP, TLS, HTTP), and with --count which Pods answered. The probe fills these
// (src/probes/reach/), the reach analyzer judges them (src/analyzers/probe-reach.ts), the
// renderer prints them. Types only.

export const REACH_PROBE_KIND = 'ReachProbe';

/** How the target leads into the exposure (planned from the snapshot), or `explicit` for a command-line target. */
export type ReachVia = 'explicit' | 'nodeport' | 'loadbalancer' | 'externalip' | 'hostnetwork' | 'ingress' | 'gateway';

export interface ReachTarget {
  /** What the user wrote, or the way in as planned (`node-1 192.0.2.11:30080`). */
  label: string;
  /** Where to connect: an IP address or a host name. */
  address: string;
  port: number;
  /** tcp: connect only; http/https: one GET. */
  scheme: 'tcp' | 'http' | 'https';
  /** Host header (http, https) and TLS server name (https). */
  host?: string;
  /** Request path (http, https). */
  path?: string;
  via?: ReachVia;
  /** The object that makes this way in (Service, Ingress, Gateway, the gateway workload). */
  object?: { kind: string; namespace: string | null; name: string };
  /** The node the address belongs to (node ports, hostNetwork gateways). */
  node?: string;
  /**
   * For a node port of an externalTrafficPolicy Local Service: the node's ready endpoints
   * (kube-proxy drops the traffic on a node that has none).
   */
  localEndpoints?: number;
}

export type ReachOutcome = 'connected' | 'refused' | 'timed-out' | 'reset' | 'unreachable' | 'error';

export interface TlsDetails {
  protocol: string | null;
  /** The certificate chains to a trusted CA (Node's bundle, or --ca). */
  trusted: boolean;
  /** Why it is not trusted (e.g. CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT). */
  trustError: string | null;
  /** The certificate names the host the client asked for (null: no name to check, an address). */
  nameMatches: boolean | null;
  subject: string | null;
  altNames: string[];
  issuer: string | null;
  validFrom: string | null;
  validTo: string | null;
}

export interface ReachAttempt {
  target: ReachTarget;
  outcome: ReachOutcome;
  /** Milliseconds to the TCP connection (null when it was not made). */
  connectMs: number | null;
  totalMs: number;
  /** The client's own address on the connection. */
  localAddress: string | null;
  tls?: TlsDetails;
  http?: { status: number | null; body: string };
  error?: string;
}

/** One target tried --count times: the first try in full, the outcomes of all, and who answered. */
export interface ReachResult {
  target: ReachTarget;
  /** The first try (its TLS details, HTTP status, error). */
  first: Omit<ReachAttempt, 'target'>;
  /** How many tries ended how. */
  outcomes: Partial<Record<ReachOutcome, number>>;
  /** HTTP statuses over all tries ("200": 9, "502": 1). */
  statuses: Record<string, number>;
  /** Latency to the TCP connection over the tries that connected: min, median, max (ms). */
  connectMs: { min: number; median: number; max: number } | null;
  /** The Pods that answered (from the echo's answer), with how many answers each. */
  pods: Record<string, number>;
  /** Answers that named no Pod (not an echo, or not HTTP). */
  unnamed: number;
}

/**
 * With --count N on a Service: the same N requests sent through the source-ip probe's echo
 * mirror (echo Pods exposed the same way as the Service, src/probes/source-ip/mirror.ts),
 * whose answers name the Pod (netexec /hostname): the spread, and whether one client stays
 * on one Pod, whatever the Service's own Pods answer.
 */
export interface ReachMirror {
  /** What the mirror reproduces ("LoadBalancer Service, externalTrafficPolicy Cluster"); null when none was made. */
  mirrors: string | null;
  /** Where the requests went (ADDRESS:PORT, with the Host of an Ingress or HTTPRoute mirror); null when never reachable. */
  target: string | null;
  /** Echo Pods behind the mirror. */
  replicas: number;
  requests: number;
  /** Echo Pods that answered, with how many answers each. */
  pods: Record<string, number>;
  /** Requests that got no answer naming an echo Pod. */
  unanswered: number;
  /** Why no Pod could be named (explicit targets, not mirrorable, never reachable); null when the requests ran. */
  error: string | null;
  /** Temporary objects that could not be deleted (delete them by hand). */
  leftover: string[];
}

export interface ReachProbe {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: typeof REACH_PROBE_KIND;
  /** The Service the ways in were planned for; null for explicit targets only. */
  service: { namespace: string; name: string } | null;
  /** The Service's sessionAffinity ClientIP (stickiness expected across tries), when known. */
  sticky: boolean | null;
  /** The Service's ready endpoints, when a Service was probed (kube-proxy rejects connections to a Service without any). */
  readyEndpoints: number | null;
  /** The Service's Pods the snapshot knows (names): what an echo answer is matched against. */
  knownPods: string[] | null;
  count: number;
  timeoutMs: number;
  /** Ways in that could not be planned (no address yet, no node known), in words. */
  skipped: string[];
  results: ReachResult[];
  /** With --count > 1: the requests through the echo mirror (or why there were none); null otherwise. */
  mirror?: ReachMirror | null;
  /** When the tries started, and ended (ISO 8601). */
  startedAt: string;
  at: string;
}
