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

/** A kind a read-only user may not be allowed to list (CRDs, classes): a 403 skips it. */
function optional(
  group: string,
  kind: string,
  versions: string[],
  plural: string,
  namespaced: boolean,
  pick: (s: Snapshot) => KubeObject[],
): KindInfo {
  return { group, kind, versions, plural, namespaced, onForbidden: 'skip', add: push(pick) };
}

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
  optional(
    'gateway.networking.k8s.io',
    'GatewayClass',
    ['v1', 'v1beta1'],
    'gatewayclasses',
    false,
    (s) => s.gatewayClasses,
  ),
  optional('gateway.networking.k8s.io', 'Gateway', ['v1', 'v1beta1'], 'gateways', true, (s) => s.gateways),
  optional('gateway.networking.k8s.io', 'HTTPRoute', ['v1', 'v1beta1'], 'httproutes', true, (s) => s.routes),
  optional('gateway.networking.k8s.io', 'GRPCRoute', ['v1'], 'grpcroutes', true, (s) => s.routes),
  optional('gateway.networking.k8s.io', 'TCPRoute', ['v1', 'v1alpha2'], 'tcproutes', true, (s) => s.routes),
  optional('gateway.networking.k8s.io', 'TLSRoute', ['v1', 'v1alpha3', 'v1alpha2'], 'tlsroutes', true, (s) => s.routes),
  optional('gateway.networking.k8s.io', 'UDPRoute', ['v1', 'v1alpha2'], 'udproutes', true, (s) => s.routes),
  optional(
    'gateway.networking.k8s.io',
    'ReferenceGrant',
    ['v1', 'v1beta1'],
    'referencegrants',
    true,
    (s) => s.referenceGrants,
  ),
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
  optional(
    'cilium.io',
    'CiliumLoadBalancerIPPool',
    ['v2', 'v2alpha1'],
    'ciliumloadbalancerippools',
    false,
    (s) => s.cilium.loadBalancerIPPools,
  ),
  optional(
    'cilium.io',
    'CiliumBGPPeeringPolicy',
    ['v2alpha1'],
    'ciliumbgppeeringpolicies',
    false,
    (s) => s.cilium.bgpPeeringPolicies,
  ),
  optional(
    'cilium.io',
    'CiliumBGPClusterConfig',
    ['v2', 'v2alpha1'],
    'ciliumbgpclusterconfigs',
    false,
    (s) => s.cilium.bgpClusterConfigs,
  ),
  optional(
    'cilium.io',
    'CiliumBGPAdvertisement',
    ['v2', 'v2alpha1'],
    'ciliumbgpadvertisements',
    false,
    (s) => s.cilium.bgpAdvertisements,
  ),
  optional(
    'cilium.io',
    'CiliumL2AnnouncementPolicy',
    ['v2alpha1'],
    'ciliuml2announcementpolicies',
    false,
    (s) => s.cilium.l2AnnouncementPolicies,
  ),
  optional(
    'cilium.io',
    'CiliumBGPNodeConfig',
    ['v2', 'v2alpha1'],
    'ciliumbgpnodeconfigs',
    false,
    (s) => s.cilium.bgpNodeConfigs,
  ),
  {
    // Only the Leases Cilium's L2 announcer holds (src/discover/cilium-l2-lease.ts); node heartbeats and other elections are dropped.
    ...optional('coordination.k8s.io', 'Lease', ['v1'], 'leases', true, (s) => s.cilium.l2AnnounceLeases),
    keep: (o) => (o.metadata.name ?? '').startsWith(CILIUM_L2_LEASE_PREFIX),
    clusterWide: true,
  },
  optional(
    'crd.projectcalico.org',
    'BGPConfiguration',
    ['v1'],
    'bgpconfigurations',
    false,
    (s) => s.calico.bgpConfigurations,
  ),
  optional('crd.projectcalico.org', 'BGPPeer', ['v1'], 'bgppeers', false, (s) => s.calico.bgpPeers),
  optional('crd.projectcalico.org', 'IPPool', ['v1'], 'ippools', false, (s) => s.calico.ipPools),
  optional('networking.istio.io', 'Gateway', ['v1', 'v1beta1', 'v1alpha3'], 'gateways', true, (s) => s.istio.gateways),
  optional(
    'networking.istio.io',
    'VirtualService',
    ['v1', 'v1beta1', 'v1alpha3'],
    'virtualservices',
    true,
    (s) => s.istio.virtualServices,
  ),
  optional('externaldns.k8s.io', 'DNSEndpoint', ['v1alpha1'], 'dnsendpoints', true, (s) => s.externalDns.dnsEndpoints),
  optional(
    'k8s.cni.cncf.io',
    'NetworkAttachmentDefinition',
    ['v1'],
    'network-attachment-definitions',
    true,
    (s) => s.multus.networkAttachmentDefinitions,
  ),
  optional('getambassador.io', 'Mapping', ['v3alpha1', 'v2'], 'mappings', true, (s) => s.emissary.mappings),
  optional('getambassador.io', 'Host', ['v3alpha1', 'v2'], 'hosts', true, (s) => s.emissary.hosts),
];

const byKey = new Map(KINDS.map((k) => [`${k.group}/${k.kind}`, k]));

/** The KindInfo for an object's apiVersion and kind, or undefined when the kind does not matter. */
export function kindInfoOf(apiVersion: string, kind: string): KindInfo | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return byKey.get(`${group}/${kind}`);
}
