// The kinds an analyzer can read, named after the snapshot's collections (src/model/snapshot.ts).
// An analyzer declares the kinds it reads (metadata.ts), as istio's analyzers declare their
// input collections; test/unit/analyzers/declared-inputs.test.ts holds the declarations to
// what each analyzer really reads. Typed against Snapshot, so a new collection must be named here.
import type { Snapshot } from '../../model/snapshot.js';

type Collections = Omit<
  Snapshot,
  'source' | 'origins' | 'metallb' | 'cilium' | 'calico' | 'istio' | 'externalDns' | 'multus' | 'emissary'
>;

export const SNAPSHOT_KINDS = {
  services: 'Service',
  endpointSlices: 'EndpointSlice',
  pods: 'Pod',
  nodes: 'Node',
  ingresses: 'Ingress',
  ingressClasses: 'IngressClass',
  /** DaemonSets, Deployments and StatefulSets. */
  workloads: 'Workload',
  secrets: 'Secret',
  configMaps: 'ConfigMap',
  gatewayClasses: 'GatewayClass',
  gateways: 'Gateway',
  /** HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute. */
  routes: 'Route',
  referenceGrants: 'ReferenceGrant',
  metallb: {
    ipAddressPools: 'IPAddressPool',
    l2Advertisements: 'L2Advertisement',
    bgpAdvertisements: 'BGPAdvertisement',
    bgpPeers: 'BGPPeer',
    communities: 'Community',
    bfdProfiles: 'BFDProfile',
    serviceL2Statuses: 'ServiceL2Status',
    serviceBGPStatuses: 'ServiceBGPStatus',
  },
  cilium: {
    loadBalancerIPPools: 'CiliumLoadBalancerIPPool',
    bgpPeeringPolicies: 'CiliumBGPPeeringPolicy',
    bgpClusterConfigs: 'CiliumBGPClusterConfig',
    bgpAdvertisements: 'CiliumBGPAdvertisement',
    l2AnnouncementPolicies: 'CiliumL2AnnouncementPolicy',
    l2AnnounceLeases: 'CiliumL2AnnounceLease',
    bgpNodeConfigs: 'CiliumBGPNodeConfig',
  },
  calico: {
    bgpConfigurations: 'CalicoBGPConfiguration',
    bgpPeers: 'CalicoBGPPeer',
    ipPools: 'CalicoIPPool',
  },
  istio: {
    gateways: 'IstioGateway',
    virtualServices: 'VirtualService',
  },
  externalDns: { dnsEndpoints: 'DNSEndpoint' },
  multus: { networkAttachmentDefinitions: 'NetworkAttachmentDefinition' },
  emissary: { mappings: 'EmissaryMapping', hosts: 'EmissaryHost' },
} as const satisfies { [K in keyof Collections]: string } & {
  metallb: { [K in keyof Snapshot['metallb']]: string };
  cilium: { [K in keyof Snapshot['cilium']]: string };
  calico: { [K in keyof Snapshot['calico']]: string };
  istio: { [K in keyof Snapshot['istio']]: string };
  externalDns: { [K in keyof Snapshot['externalDns']]: string };
  multus: { [K in keyof Snapshot['multus']]: string };
  emissary: { [K in keyof Snapshot['emissary']]: string };
};

type Leaves<T> = T extends string ? T : { [K in keyof T]: Leaves<T[K]> }[keyof T];

/** A kind an analyzer reads. */
export type InputKind = Leaves<typeof SNAPSHOT_KINDS>;
