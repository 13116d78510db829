// An Exposure: one object that makes a Service (or a workload) reachable from outside
// the cluster. This is the item of `list -o json` (the ExposureList contract).
export const EXPOSURE_API_VERSION = 'exposectl.dev/v1alpha1';
/** v1alpha2 adds the mode `lan` (Pods on the LAN through Multus macvlan/ipvlan). */
export const EXPOSURE_API_VERSION_V1ALPHA2 = 'exposectl.dev/v1alpha2';

/** The modes of v1alpha1, in their order: a consumer written for v1alpha1 knows these. */
export const V1ALPHA1_MODES = [
  'nodeport',
  'l2',
  'bgp',
  'loadbalancer',
  'ingress',
  'gateway',
  'hostnetwork',
  'hostport',
  'externalip',
] as const;

export const MODES = [...V1ALPHA1_MODES, 'lan'] as const;
export type Mode = (typeof MODES)[number];

/**
 * The apiVersion of an ExposureList: v1alpha1 while every row has a v1alpha1 mode, so that
 * consumers of v1alpha1 keep reading exactly what they were promised; v1alpha2 as soon as a
 * row has a mode v1alpha1 does not know (`lan`), so that they see a version they do not
 * know rather than a value they do not expect.
 */
export function exposureListApiVersion(items: readonly Pick<Exposure, 'mode'>[]): ExposureList['apiVersion'] {
  return items.every((e) => (V1ALPHA1_MODES as readonly string[]).includes(e.mode))
    ? EXPOSURE_API_VERSION
    : EXPOSURE_API_VERSION_V1ALPHA2;
}

export type SourceIP = 'preserved' | 'lost' | 'unknown';
/** How a client keeps its Pod on this way in (`list -o wide` STICKY): keyed on its address, on a cookie (or header), not at all, or set and undone on the way. */
export type Sticky = 'client-ip' | 'cookie' | 'none' | 'broken';
export type ExposureStatus = 'ready' | 'pending' | 'degraded' | 'broken' | 'unknown';

export interface ExposurePort {
  port: number;
  protocol: string;
  nodePort?: number;
  targetPort?: number | string;
  /** For L7 exposures (Ingress, routes): host and path that select this backend. */
  name?: string;
}

export interface ServiceRef {
  namespace: string;
  name: string;
}

export interface Exposure {
  /** Namespace of the exposing object; null for cluster-scoped objects. */
  namespace: string | null;
  name: string;
  kind: string;
  service: ServiceRef | null;
  mode: Mode;
  implementation: string | null;
  addresses: string[];
  ports: ExposurePort[];
  endpoints: { ready: number; total: number } | null;
  sourceIP: SourceIP;
  status: ExposureStatus;
  /** Stickiness along this way in (src/discover/affinity.ts); absent in documents written before it existed. */
  sticky?: Sticky;
  /** Extra facts for humans (why the status, hosts of an Ingress, ...). Optional in the schema. */
  hosts?: string[];
  reason?: string;
  /** DNS names external-dns publishes for this way in (src/discover/external-dns.ts); absent when none. */
  dnsNames?: string[];
}

export interface ExposureList {
  apiVersion: typeof EXPOSURE_API_VERSION | typeof EXPOSURE_API_VERSION_V1ALPHA2;
  kind: 'ExposureList';
  items: Exposure[];
}
