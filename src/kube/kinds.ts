// The kinds exposectl reads, where each lands in the Snapshot, and how to list it
// from the API server. The file reader and the cluster reader share this table, so
// both produce the same snapshot for the same objects.
import type { KubeObject } from '../model/kube-object.js';
import type { Snapshot } from '../model/snapshot.js';

/** Cilium names the Lease that elects a Service's L2 announcer cilium-l2announce-<namespace>-<name> (pkg/l2announcer). */
export const CILIUM_L2_LEASE_PREFIX = 'cilium-l2announce-';

export interface KindInfo {
  group: string;
  kind: string;
  /** API versions to try for a live list, preferred first. */
  versions: string[];
  plural: string;
  namespaced: boolean;
  /** Put a decoded object into its place in the snapshot. */
  add(snapshot: Snapshot, object: KubeObject): void;
  /** Optional filter: objects of this kind that do not matter are dropped. */
  keep?(object: KubeObject): boolean;
  /** Optional reduction applied before add(): what is kept of an object (Secrets lose their data). */
  strip?(object: KubeObject): KubeObject;
  /** Live lists only: a field selector that does the keep() filtering on the server. */
  fieldSelector?: string;
  /** Live lists only: page size when objects may be big (ConfigMaps hold up to 1 MiB); default 500. */
  pageSize?: number;
  /** Live lists only: ask for metadata only (PartialObjectMetadataList); the data never leaves the server. */
  metadataOnly?: boolean;
  /**
   * Live lists only: cluster-wide configuration kept in some namespace (MetalLB pools and
   * advertisements in metallb-system, kube-vip's ConfigMap in kube-system). Listed in all
   * namespaces even when a namespace is selected, because it decides how the selected
   * namespace's Services are exposed.
   */
  clusterWide?: boolean;
  /**
   * Live lists only: what a 403 on this kind means. 'fail' (default): a clear error; kept
   * for the built-in kinds that Kubernetes' `view` role grants (Services, EndpointSlices,
   * Pods, Ingresses, workloads), without which nothing can be told. 'skip': kinds a
   * read-only or namespace-scoped user often may not list (Nodes, classes, Secrets, and
   * every custom resource: `view` covers CRDs only when their installer aggregates it);
   * the kind is left empty and reported as unreadable, so the rest still works.
   */
  onForbidden?: 'fail' | 'skip';
}

/**
 * ConfigMaps that decide how traffic is exposed: kube-vip's address ranges (`kubevip`),
 * gateway configurations (an HAProxy or nginx config file, as a hostNetwork gateway
 * mounts it), and ingress-nginx's controller settings and TCP/UDP services. Others
 * (application settings, dashboards) are dropped.
 */
export function keepConfigMap(o: KubeObject): boolean {
  if (o.metadata.name === 'kubevip') return true;
  const data = o.data !== null && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : {};
  const labels = o.metadata.labels ?? {};
  if (labels['app.kubernetes.io/name'] === 'ingress-nginx' || labels['app.kubernetes.io/part-of'] === 'ingress-nginx')
    return true;
  if (/^(tcp|udp)-services$/.test(o.metadata.name ?? '')) return true;
  if (
    ['use-proxy-protocol', 'use-forwarded-headers', 'compute-full-forwarded-for', 'proxy-real-ip-cidr'].some(
      (k) => k in data,
    )
  )
    return true;
  return Object.entries(data).some(
    ([file, text]) =>
      typeof text === 'string' &&
      (/^haproxy.*\.cfg$|^nginx.*\.conf$/.test(file) ||
        (/\.(cfg|conf)$/.test(file) && /^\s*(frontend|backend|listen)\s+\S+|^\s*(stream|http)\s*\{/m.test(text))),
  );
}

const push = (pick: (s: Snapshot) => KubeObject[]) => (s: Snapshot, o: KubeObject) => {
  pick(s).push(o);
};

/** A Secret reduced to apiVersion, kind, name, namespace and type; returned as is when already reduced. */
function stripSecret(o: KubeObject): KubeObject {
  const reduced =
    Object.keys(o).every((k) => k === 'apiVersion' || k === 'kind' || k === 'metadata' || k === 'type') &&
    Object.keys(o.metadata).every((k) => k === 'name' || k === 'namespace');
  if (reduced) return o;
  const type = o.type;
  const metadata: KubeObject['metadata'] = { name: o.metadata.name };
  if (o.metadata.namespace !== undefined) metadata.namespace = o.metadata.namespace;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata, ...(typeof type === 'string' ? { type } : {}) };
}

export const KINDS: readonly KindInfo[] = [
  {
    group: '',
    kind: 'Service',
    versions: ['v1'],
    plural: 'services',
    namespaced: true,
    add: push((s) => s.services as KubeObject[]),
  },
  {
    group: 'discovery.k8s.io',
    kind: 'EndpointSlice',
    versions: ['v1'],
    plural: 'endpointslices',
    namespaced: true,
    add: push((s) => s.endpointSlices as KubeObject[]),
  },
  {
    group: '',
    kind: 'Pod',
    versions: ['v1'],
    plural: 'pods',
    namespaced: true,
    add: push((s) => s.pods as KubeObject[]),
  },
  {
    group: '',
    kind: 'Node',
    versions: ['v1'],
    plural: 'nodes',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.nodes as KubeObject[]),
  },
  {
    group: 'networking.k8s.io',
    kind: 'Ingress',
    versions: ['v1'],
    plural: 'ingresses',
    namespaced: true,
    add: push((s) => s.ingresses as KubeObject[]),
  },
  {
    group: 'networking.k8s.io',
    kind: 'IngressClass',
    versions: ['v1'],
    plural: 'ingressclasses',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.ingressClasses as KubeObject[]),
  },
  {
    group: 'apps',
    kind: 'DaemonSet',
    versions: ['v1'],
    plural: 'daemonsets',
    namespaced: true,
    add: push((s) => s.workloads as KubeObject[]),
  },
  {
    group: 'apps',
    kind: 'Deployment',
    versions: ['v1'],
    plural: 'deployments',
    namespaced: true,
    add: push((s) => s.workloads as KubeObject[]),
  },
  {
    group: 'apps',
    kind: 'StatefulSet',
    versions: ['v1'],
    plural: 'statefulsets',
    namespaced: true,
    add: push((s) => s.workloads as KubeObject[]),
  },
  {
    group: '',
    kind: 'Secret',
    versions: ['v1'],
    plural: 'secrets',
    namespaced: true,
    metadataOnly: true,
    onForbidden: 'skip',
    // Keep only what identifies a Secret; never its data (add() strips too, so no caller can store data by mistake).
    strip: stripSecret,
    add: (s, o) => {
      s.secrets.push(stripSecret(o));
    },
  },
  {
    group: '',
    kind: 'ConfigMap',
    versions: ['v1'],
    plural: 'configmaps',
    namespaced: true,
    // No field selector: keepConfigMap looks at data and labels, so the filtering is done here.
    keep: keepConfigMap,
    clusterWide: true,
    onForbidden: 'skip',
    pageSize: 100,
    add: push((s) => s.configMaps),
  },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'GatewayClass',
    versions: ['v1', 'v1beta1'],
    plural: 'gatewayclasses',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.gatewayClasses),
  },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    versions: ['v1', 'v1beta1'],
    plural: 'gateways',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.gateways),
  },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'HTTPRoute',
    versions: ['v1', 'v1beta1'],
    plural: 'httproutes',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.routes),
  },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'GRPCRoute',
    versions: ['v1'],
    plural: 'grpcroutes',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.routes),
  },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'TCPRoute',
    versions: ['v1', 'v1alpha2'],
    plural: 'tcproutes',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.routes),
  },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'TLSRoute',
    versions: ['v1', 'v1alpha3', 'v1alpha2'],
    plural: 'tlsroutes',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.routes),
  },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'UDPRoute',
    versions: ['v1', 'v1alpha2'],
    plural: 'udproutes',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.routes),
  },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'ReferenceGrant',
    versions: ['v1', 'v1beta1'],
    plural: 'referencegrants',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.referenceGrants),
  },
  {
    group: 'metallb.io',
    kind: 'IPAddressPool',
    versions: ['v1beta1'],
    plural: 'ipaddresspools',
    namespaced: true,
    clusterWide: true,
    onForbidden: 'skip',
    add: push((s) => s.metallb.ipAddressPools),
  },
  {
    group: 'metallb.io',
    kind: 'L2Advertisement',
    versions: ['v1beta1'],
    plural: 'l2advertisements',
    namespaced: true,
    clusterWide: true,
    onForbidden: 'skip',
    add: push((s) => s.metallb.l2Advertisements),
  },
  {
    group: 'metallb.io',
    kind: 'BGPAdvertisement',
    versions: ['v1beta1'],
    plural: 'bgpadvertisements',
    namespaced: true,
    clusterWide: true,
    onForbidden: 'skip',
    add: push((s) => s.metallb.bgpAdvertisements),
  },
  {
    group: 'metallb.io',
    kind: 'BGPPeer',
    versions: ['v1beta2', 'v1beta1'],
    plural: 'bgppeers',
    namespaced: true,
    clusterWide: true,
    onForbidden: 'skip',
    add: push((s) => s.metallb.bgpPeers),
  },
  {
    group: 'metallb.io',
    kind: 'Community',
    versions: ['v1beta1'],
    plural: 'communities',
    namespaced: true,
    clusterWide: true,
    onForbidden: 'skip',
    add: push((s) => s.metallb.communities),
  },
  {
    group: 'metallb.io',
    kind: 'BFDProfile',
    versions: ['v1beta1'],
    plural: 'bfdprofiles',
    namespaced: true,
    clusterWide: true,
    onForbidden: 'skip',
    add: push((s) => s.metallb.bfdProfiles),
  },
  {
    group: 'metallb.io',
    kind: 'ServiceL2Status',
    versions: ['v1beta1'],
    plural: 'servicel2statuses',
    namespaced: true,
    clusterWide: true,
    onForbidden: 'skip',
    add: push((s) => s.metallb.serviceL2Statuses),
  },
  {
    group: 'metallb.io',
    kind: 'ServiceBGPStatus',
    versions: ['v1beta1'],
    plural: 'servicebgpstatuses',
    namespaced: true,
    clusterWide: true,
    onForbidden: 'skip',
    add: push((s) => s.metallb.serviceBGPStatuses),
  },
  {
    group: 'cilium.io',
    kind: 'CiliumLoadBalancerIPPool',
    versions: ['v2', 'v2alpha1'],
    plural: 'ciliumloadbalancerippools',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.cilium.loadBalancerIPPools),
  },
  {
    group: 'cilium.io',
    kind: 'CiliumBGPPeeringPolicy',
    versions: ['v2alpha1'],
    plural: 'ciliumbgppeeringpolicies',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.cilium.bgpPeeringPolicies),
  },
  {
    group: 'cilium.io',
    kind: 'CiliumBGPClusterConfig',
    versions: ['v2', 'v2alpha1'],
    plural: 'ciliumbgpclusterconfigs',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.cilium.bgpClusterConfigs),
  },
  {
    group: 'cilium.io',
    kind: 'CiliumBGPAdvertisement',
    versions: ['v2', 'v2alpha1'],
    plural: 'ciliumbgpadvertisements',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.cilium.bgpAdvertisements),
  },
  {
    group: 'cilium.io',
    kind: 'CiliumL2AnnouncementPolicy',
    versions: ['v2alpha1'],
    plural: 'ciliuml2announcementpolicies',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.cilium.l2AnnouncementPolicies),
  },
  {
    group: 'cilium.io',
    kind: 'CiliumBGPNodeConfig',
    versions: ['v2', 'v2alpha1'],
    plural: 'ciliumbgpnodeconfigs',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.cilium.bgpNodeConfigs),
  },
  {
    // Only the Leases Cilium's L2 announcer holds (src/discover/cilium-l2-lease.ts); node heartbeats and other elections are dropped.
    group: 'coordination.k8s.io',
    kind: 'Lease',
    versions: ['v1'],
    plural: 'leases',
    namespaced: true,
    keep: (o) => (o.metadata.name ?? '').startsWith(CILIUM_L2_LEASE_PREFIX),
    clusterWide: true,
    onForbidden: 'skip',
    add: push((s) => s.cilium.l2AnnounceLeases),
  },
  {
    group: 'crd.projectcalico.org',
    kind: 'BGPConfiguration',
    versions: ['v1'],
    plural: 'bgpconfigurations',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.calico.bgpConfigurations),
  },
  {
    group: 'crd.projectcalico.org',
    kind: 'BGPPeer',
    versions: ['v1'],
    plural: 'bgppeers',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.calico.bgpPeers),
  },
  {
    group: 'crd.projectcalico.org',
    kind: 'IPPool',
    versions: ['v1'],
    plural: 'ippools',
    namespaced: false,
    onForbidden: 'skip',
    add: push((s) => s.calico.ipPools),
  },
  {
    group: 'networking.istio.io',
    kind: 'Gateway',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    plural: 'gateways',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.istio.gateways),
  },
  {
    group: 'networking.istio.io',
    kind: 'VirtualService',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    plural: 'virtualservices',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.istio.virtualServices),
  },
  {
    group: 'externaldns.k8s.io',
    kind: 'DNSEndpoint',
    versions: ['v1alpha1'],
    plural: 'dnsendpoints',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.externalDns.dnsEndpoints),
  },
  {
    group: 'k8s.cni.cncf.io',
    kind: 'NetworkAttachmentDefinition',
    versions: ['v1'],
    plural: 'network-attachment-definitions',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.multus.networkAttachmentDefinitions),
  },
  {
    group: 'getambassador.io',
    kind: 'Mapping',
    versions: ['v3alpha1', 'v2'],
    plural: 'mappings',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.emissary.mappings),
  },
  {
    group: 'getambassador.io',
    kind: 'Host',
    versions: ['v3alpha1', 'v2'],
    plural: 'hosts',
    namespaced: true,
    onForbidden: 'skip',
    add: push((s) => s.emissary.hosts),
  },
];

const byKey = new Map(KINDS.map((k) => [`${k.group}/${k.kind}`, k]));

/** The KindInfo for an object's apiVersion and kind, or undefined when the kind does not matter. */
export function kindInfoOf(apiVersion: string, kind: string): KindInfo | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return byKey.get(`${group}/${kind}`);
}
