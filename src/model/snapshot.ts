// One typed view of the objects that matter for exposure, read either from a live
// cluster or from manifest files. Analyzers, discovery and renderers only see this.
import type {
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Ingress,
  V1IngressClass,
  V1Node,
  V1Pod,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { KubeObject, Origin } from './kube-object.js';

/** Object types from @kubernetes/client-node, re-shaped as plain JSON (what files and the API both give). */
type Plain<T> = Omit<T, 'metadata'> & { apiVersion: string; kind: string; metadata: KubeObject['metadata'] };

export type Service = Plain<V1Service>;
export type EndpointSlice = Plain<V1EndpointSlice>;
export type Pod = Plain<V1Pod>;
export type Node = Plain<V1Node>;
export type Ingress = Plain<V1Ingress>;
export type IngressClass = Plain<V1IngressClass>;
export type Workload = Plain<V1DaemonSet> | Plain<V1Deployment> | Plain<V1StatefulSet>;
/** Secrets are kept as metadata and type only: their data is never read or stored. */
export type SecretRef = KubeObject & { type?: string };

/** Custom resources (Gateway API, MetalLB, Cilium, kube-vip) stay loosely typed JSON. */
export type Custom = KubeObject;

export interface SnapshotSource {
  kind: 'cluster' | 'files';
  /** Server URL and context for a cluster; the paths given with -f for files. */
  description: string;
}

/**
 * How much of the world an input of files stands for (--input-complete): `auto` applies
 * the rule of src/discover/completeness.ts, `all` takes the input as the whole cluster,
 * `none` proves no absence (only what is present is judged).
 */
export const INPUT_COMPLETENESS = ['auto', 'all', 'none'] as const;
export type InputCompleteness = (typeof INPUT_COMPLETENESS)[number];

/** What an input of files held, recorded while reading it: what its absences can prove. */
export interface InputInventory {
  /**
   * For each kind exposectl reads ("group/Kind", "/Service" for the core group), the
   * namespaces its objects are in ('' for cluster-scoped kinds): every object read,
   * including those dropped as irrelevant (ConfigMaps other than the ones kept).
   */
  kinds: Map<string, Set<string>>;
  /** A `kubectl get -o yaml|json` export (a `kind: List` document) was read. */
  export: boolean;
  completeness: InputCompleteness;
}

export interface Snapshot {
  source: SnapshotSource;
  services: Service[];
  endpointSlices: EndpointSlice[];
  pods: Pod[];
  nodes: Node[];
  ingresses: Ingress[];
  ingressClasses: IngressClass[];
  /** DaemonSets, Deployments and StatefulSets (discovery keeps those with hostNetwork or hostPort). */
  workloads: Workload[];
  secrets: SecretRef[];
  /** kube-vip keeps its address ranges in a ConfigMap (kube-system/kubevip); other ConfigMaps are dropped. */
  configMaps: Custom[];
  gatewayClasses: Custom[];
  gateways: Custom[];
  /** HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute: told apart by `kind`. */
  routes: Custom[];
  referenceGrants: Custom[];
  metallb: {
    ipAddressPools: Custom[];
    l2Advertisements: Custom[];
    bgpAdvertisements: Custom[];
    bgpPeers: Custom[];
    communities: Custom[];
    bfdProfiles: Custom[];
    serviceL2Statuses: Custom[];
    serviceBGPStatuses: Custom[];
  };
  cilium: {
    loadBalancerIPPools: Custom[];
    bgpPeeringPolicies: Custom[];
    bgpClusterConfigs: Custom[];
    bgpAdvertisements: Custom[];
    l2AnnouncementPolicies: Custom[];
    /** The Leases (coordination.k8s.io) Cilium elects each Service's L2 announcer with: cilium-l2announce-<namespace>-<name>. */
    l2AnnounceLeases: Custom[];
    /** CiliumBGPNodeConfig: per node, the BGP instances and their peers' state (status) the agent writes. */
    bgpNodeConfigs: Custom[];
  };
  /** Calico in BGP mode (crd.projectcalico.org/v1): what it advertises, to whom, and its address pools. */
  calico: {
    bgpConfigurations: Custom[];
    bgpPeers: Custom[];
    ipPools: Custom[];
  };
  /** Istio's edge gateway (networking.istio.io): Gateways and the VirtualServices bound to them. */
  istio: {
    gateways: Custom[];
    virtualServices: Custom[];
  };
  /** external-dns's DNSEndpoint objects (externaldns.k8s.io): names and the targets they point at. */
  externalDns: { dnsEndpoints: Custom[] };
  /** Multus (k8s.cni.cncf.io/v1): the secondary networks (macvlan, ipvlan, ...) Pods attach to. */
  multus: { networkAttachmentDefinitions: Custom[] };
  /** Emissary-ingress (getambassador.io): Mappings (routes to Services) and Hosts (names, TLS). */
  emissary: { mappings: Custom[]; hosts: Custom[] };
  /** Where each object was read from (files only), keyed by the object itself. */
  origins: WeakMap<object, Origin>;
  /** Files only: what the input held, for judging absences (src/discover/completeness.ts). */
  inventory?: InputInventory;
}

/** Every object of the snapshot that a finding can be about (the kinds the analyzers read), in one list. */
export function snapshotObjects(snapshot: Snapshot): KubeObject[] {
  return [
    ...snapshot.services,
    ...snapshot.endpointSlices,
    ...snapshot.pods,
    ...snapshot.nodes,
    ...snapshot.ingresses,
    ...snapshot.ingressClasses,
    ...snapshot.workloads,
    ...snapshot.secrets,
    ...snapshot.configMaps,
    ...snapshot.gatewayClasses,
    ...snapshot.gateways,
    ...snapshot.routes,
    ...snapshot.referenceGrants,
    ...Object.values(snapshot.metallb).flat(),
    ...Object.values(snapshot.cilium).flat(),
  ] as KubeObject[];
}

export function emptySnapshot(source: SnapshotSource): Snapshot {
  return {
    source,
    services: [],
    endpointSlices: [],
    pods: [],
    nodes: [],
    ingresses: [],
    ingressClasses: [],
    workloads: [],
    secrets: [],
    configMaps: [],
    gatewayClasses: [],
    gateways: [],
    routes: [],
    referenceGrants: [],
    metallb: {
      ipAddressPools: [],
      l2Advertisements: [],
      bgpAdvertisements: [],
      bgpPeers: [],
      communities: [],
      bfdProfiles: [],
      serviceL2Statuses: [],
      serviceBGPStatuses: [],
    },
    cilium: {
      loadBalancerIPPools: [],
      bgpPeeringPolicies: [],
      bgpClusterConfigs: [],
      bgpAdvertisements: [],
      l2AnnouncementPolicies: [],
      l2AnnounceLeases: [],
      bgpNodeConfigs: [],
    },
    calico: { bgpConfigurations: [], bgpPeers: [], ipPools: [] },
    istio: { gateways: [], virtualServices: [] },
    externalDns: { dnsEndpoints: [] },
    multus: { networkAttachmentDefinitions: [] },
    emissary: { mappings: [], hosts: [] },
    origins: new WeakMap(),
  };
}
