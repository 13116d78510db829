// The document of `describe SERVICE` (-o json/yaml): one Service's exposure end to end.
// Built by src/topology/describe.ts, rendered by src/render/topology/describe-text.ts.
import type { Exposure, ServiceRef, Sticky } from './exposure.js';
import type { Finding } from './finding.js';

export interface DescribedPort {
  name?: string;
  port: number | null;
  protocol: string;
  targetPort?: number | string;
  nodePort?: number;
}

export interface DescribedHop {
  address: string;
  kind: 'announcer' | 'nexthop';
  node: string | null;
  addresses: string[];
  interface?: string;
  mac?: string;
  detail?: string;
}

export interface DescribedGateway {
  kind: string;
  namespace: string | null;
  name: string;
  implementation: string | null;
  status?: string;
  /** Route -> parent Gateways; Ingress/Gateway -> [] */
  via: string[];
  /** Host/path -> port of the backend edge. */
  rules: string[];
}

export interface DescribedDnsName {
  name: string;
  /** The addresses of the exposures it points at (what the topology draws after it). */
  addresses: string[];
  /** Every target the record holds. */
  targets: string[];
  /** Where it comes from (`Service shop/web (annotation external-dns.kubernetes.io/hostname)`). */
  from: string;
}

export interface DescribedEndpoint {
  name: string;
  addresses: string[];
  ready: boolean | null;
}

export interface ServiceDescription {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'ServiceDescription';
  service: ServiceRef;
  type: string;
  clusterIPs: string[];
  selector: Record<string, string>;
  ports: DescribedPort[];
  externalTrafficPolicy: string | null;
  sessionAffinity: string;
  exposures: Exposure[];
  /** DNS names (external-dns) that lead to the exposures' addresses; absent when none. */
  dnsNames?: DescribedDnsName[];
  hops: DescribedHop[];
  gateways: DescribedGateway[];
  endpoints: { ready: number; total: number } | null;
  endpointsByNode: Array<{ node: string; endpoints: DescribedEndpoint[] }>;
  /** Where the client's source IP is lost on the way in ("" when nowhere). */
  sourceIpLost: Array<{ hop: string; reason: string }>;
  /** Stickiness of each way in (src/discover/affinity.ts): what keeps a client on one Pod, or the code that says where it breaks. */
  affinity: Array<{ via: string; sticky: Sticky; detail: string }>;
  findings: Finding[] | null;
  findingsNote?: string;
}
