// What `probe endpoints SERVICE` reports (built by src/discover/endpoints-report.ts):
// endpoints per node, the receiving nodes that drop Local-policy traffic, and each node's
// kube-proxy /healthz answer compared with the EndpointSlices.

export const ENDPOINTS_PROBE_KIND = 'EndpointsProbe';

export interface NodeHealthz {
  address: string;
  /** HTTP status, null when there was no answer. */
  status: number | null;
  localEndpoints: number | null;
  error?: string;
  /**
   * Whether the answer agrees with the EndpointSlices: localEndpoints equals the node's
   * ready endpoints (or, without a count, 200 iff there is one); null when there was no answer.
   */
  agrees: boolean | null;
  /** How long the request took (absent when the answer came from stored probe facts). */
  ms?: number;
}

export interface NodeEndpointsRow {
  node: string;
  address: string | null;
  /** The node's Ready condition; null when unknown. */
  nodeReady: boolean | null;
  ready: number;
  notReady: number;
  /** kube-proxy on this node takes the Service's external traffic (NodePort/LoadBalancer). */
  receivesTraffic: boolean;
  /** externalTrafficPolicy Local, receives traffic, and no local ready endpoint (per the EndpointSlices, or per healthz when it answered). */
  dropsTraffic: boolean;
  healthz?: NodeHealthz;
}

export interface EndpointsProbeReport {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: typeof ENDPOINTS_PROBE_KIND;
  service: { namespace: string; name: string };
  type: string;
  externalTrafficPolicy: string | null;
  healthCheckNodePort: number | null;
  from: 'endpointslices' | 'pods' | 'none';
  endpoints: { ready: number; total: number };
  /** Every node of the cluster, then nodes named by endpoints but not known as Node objects. */
  nodes: NodeEndpointsRow[];
  unassigned: { ready: number; notReady: number };
  /** Receiving nodes that drop traffic under Local policy. */
  blackholeNodes: string[];
  /** Which nodes receive and why; known false: no known implementation announces the address. */
  receivers?: { known: boolean; rule: string };
  /** Nodes whose healthz answer disagrees with the EndpointSlices. */
  healthzMismatches: string[];
  /** Whether --healthz ran. */
  healthzProbed: boolean;
  at: string;
}
