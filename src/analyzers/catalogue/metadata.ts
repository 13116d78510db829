// What each analyzer reads, as istio's analyzer Metadata{Name, Inputs}: the kinds of objects
// (kinds.ts), beside the codes it may report and the probe inputs it needs (in its own
// registration, src/analyzers/types.ts). test/unit/analyzers/declared-inputs.test.ts runs every
// analyzer over a broad set of snapshots and fails when an analyzer reads a kind it does not
// declare here, or declares one it never reads. Lookups through other modules count: an
// analyzer that asks which implementation serves a Service reads the kinds that tell.
import type { InputKind } from './kinds.js';

/** The kinds that tell which load-balancer implementation serves a Service, and in which mode. */
const LB_IMPLEMENTATION: readonly InputKind[] = [
  'BGPAdvertisement',
  'CiliumLoadBalancerIPPool',
  'ConfigMap',
  'IPAddressPool',
  'L2Advertisement',
  'Pod',
  'Workload',
];

/** All that the load-balancer classification reads, Cilium's BGP and L2 policies included. */
const LB_MODE: readonly InputKind[] = [
  ...LB_IMPLEMENTATION,
  'CiliumBGPAdvertisement',
  'CiliumBGPPeeringPolicy',
  'CiliumL2AnnouncementPolicy',
];

/** What tells whether Calico's BGP advertises an address (BGPConfiguration ranges, peers, pools). */
const CALICO: readonly InputKind[] = ['CalicoBGPConfiguration', 'CalicoBGPPeer', 'CalicoIPPool'];

export const ANALYZER_KINDS: Readonly<Record<string, readonly InputKind[]>> = {
  'source-ip-traffic-policy': [...LB_IMPLEMENTATION, 'Service'],
  'source-ip-gateway-proxy': ['ConfigMap', 'Service', 'Workload'],
  'source-ip-ingress-nginx': [...LB_IMPLEMENTATION, 'Service'],
  'source-ip-gateway-routes': ['Gateway', 'Route'],
  // affinity: every way in to a Service (its classification, Ingresses, routes, gateways, nodes).
  'affinity-client-ip-hidden': [
    ...LB_MODE,
    'EndpointSlice',
    'Gateway',
    'GatewayClass',
    'Ingress',
    'IngressClass',
    'Node',
    'Route',
    'Service',
  ],
  'affinity-bypassed-by-proxy': [
    ...LB_MODE,
    'EndpointSlice',
    'Gateway',
    'GatewayClass',
    'Ingress',
    'IngressClass',
    'Node',
    'Route',
    'Service',
  ],
  'affinity-per-entry-node': [
    ...LB_MODE,
    'EndpointSlice',
    'Gateway',
    'GatewayClass',
    'Ingress',
    'IngressClass',
    'Node',
    'Route',
    'Service',
  ],
  'affinity-annotation-ignored': [
    ...LB_MODE,
    'EndpointSlice',
    'Gateway',
    'GatewayClass',
    'Ingress',
    'IngressClass',
    'Node',
    'Route',
    'Service',
  ],
  'affinity-proxy-sticks-to-service': [
    ...LB_MODE,
    'EndpointSlice',
    'Gateway',
    'GatewayClass',
    'Ingress',
    'IngressClass',
    'Node',
    'Route',
    'Service',
  ],
  'affinity-session-persistence-ignored': [
    ...LB_MODE,
    'EndpointSlice',
    'Gateway',
    'GatewayClass',
    'Ingress',
    'IngressClass',
    'Node',
    'Route',
    'Service',
  ],
  'endpoints-ready': ['ConfigMap', 'EndpointSlice', 'Gateway', 'Ingress', 'Pod', 'Route', 'Service', 'Workload'],
  'endpoints-target-port': ['ConfigMap', 'Gateway', 'Ingress', 'Pod', 'Route', 'Service', 'Workload'],
  'endpoints-local-policy': [
    ...LB_MODE,
    'BGPPeer',
    'CiliumL2AnnounceLease',
    'EndpointSlice',
    'Gateway',
    'Ingress',
    'Node',
    'Route',
    'Service',
    'ServiceL2Status',
  ],
  'lb-allocation': [...LB_MODE, 'Service'],
  'lb-address-sharing': [...LB_IMPLEMENTATION, 'Service'],
  'lb-advertisement': [...LB_IMPLEMENTATION, ...CALICO, 'Service'],
  'lb-announcer': [
    ...LB_MODE,
    'BGPPeer',
    'CiliumL2AnnounceLease',
    'EndpointSlice',
    'Node',
    'Service',
    'ServiceL2Status',
  ],
  'lb-reported-announcer': [...LB_MODE, 'BGPPeer', 'CiliumL2AnnounceLease', 'Node', 'Service', 'ServiceL2Status'],
  'bgp-metallb-status': [...LB_IMPLEMENTATION, 'Service', 'ServiceBGPStatus'],
  'bgp-cilium-status': ['CiliumBGPNodeConfig'],
  'lb-annotations': [...LB_MODE, 'Ingress', 'Service'],
  'lb-implementation-conflict': [...LB_MODE, 'Service'],
  'lb-pool-overlap': ['BGPAdvertisement', 'CiliumLoadBalancerIPPool', 'IPAddressPool', 'L2Advertisement'],
  // Pod: the API server's static Pod carries --service-node-port-range.
  'nodeport-range': ['Pod', 'Service'],
  'nodeport-collision': ['Pod', 'Service'],
  // The pools: k3s's svclb DaemonSets next to another load balancer (the fix turns ServiceLB off).
  'hostnetwork-port-conflict': ['CiliumLoadBalancerIPPool', 'IPAddressPool', 'Node', 'Pod', 'Workload'],
  'hostnetwork-gateway-nodes': ['Node', 'Workload'],
  'ingress-class': ['Ingress', 'IngressClass', 'Workload'],
  'ingress-backends': ['Gateway', 'Ingress', 'Route', 'Service'],
  'ingress-tls-secrets': ['Gateway', 'Ingress', 'IngressClass', 'Route', 'Secret', 'Workload'],
  'ingress-retired-controller': ['EndpointSlice', 'Ingress', 'IngressClass', 'Pod', 'Service', 'Workload'],
  'gateway-route-attachment': ['Gateway', 'Route'],
  'gateway-reference-grants': ['Gateway', 'ReferenceGrant', 'Route'],
  'arp-replies': [...LB_MODE, 'CiliumL2AnnounceLease', 'Service', 'ServiceL2Status'],
  'bgp-routes': [...LB_MODE, ...CALICO, 'EndpointSlice', 'Node', 'Service'],
  'source-ip-probe': ['Node', 'Service', 'Workload'],
  // Judges the probe's facts only: the ways in were planned from the snapshot before.
  'reach-probe': [],
  'input-invalid-values': ['Service'],
  'bgp-calico-advertisement': [
    ...CALICO,
    'CiliumLoadBalancerIPPool',
    'ConfigMap',
    'IPAddressPool',
    'Node',
    'Pod',
    'Service',
    'Workload',
  ],
  'istio-virtualservice-binding': ['IstioGateway', 'VirtualService'],
  'istio-virtualservice-destinations': ['Service', 'VirtualService'],
  'emissary-mapping-service': ['EmissaryMapping', 'Service'],
  'lan-networks': ['NetworkAttachmentDefinition', 'Pod'],
  // dns: the names (Services, Ingresses, hostNetwork workloads, DNSEndpoints) against every exposure's addresses (the list's rows).
  'dns-name-targets': [
    ...CALICO,
    'CiliumLoadBalancerIPPool',
    'ConfigMap',
    'DNSEndpoint',
    'EmissaryHost',
    'EmissaryMapping',
    'EndpointSlice',
    'Gateway',
    'IPAddressPool',
    'Ingress',
    'IstioGateway',
    'NetworkAttachmentDefinition',
    'Node',
    'Pod',
    'Route',
    'Service',
    'VirtualService',
    'Workload',
  ],
};

/** The kinds an analyzer reads (empty for an unknown name). */
export function kindsOf(analyzer: string): readonly InputKind[] {
  return ANALYZER_KINDS[analyzer] ?? [];
}
