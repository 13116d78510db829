// What the cluster says BGP peers should advertise: the snapshot's side of `probe bgp`'s
// comparison, built by the analyzers and read by the probe's compare step. Types only.

export interface BgpExpectations {
  loadBalancerAddresses: Array<{
    address: string;
    service: { namespace: string; name: string };
    /** externalTrafficPolicy: Local */
    localPolicy: boolean;
    nodesWithReadyEndpoints: string[];
    /** Who should advertise it, when not MetalLB: Calico's fix names its BGPConfiguration ranges. */
    implementation?: 'calico';
    /** For Calico: the range of the default BGPConfiguration that holds the address. */
    range?: string;
  }>;
  /** Peer addresses that should have an established session with the probe. */
  expectedPeers: string[];
  /** Node name -> its addresses (InternalIP, ExternalIP), to map next hops to nodes. */
  nodeAddresses: Record<string, string[]>;
}
