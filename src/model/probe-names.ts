// The probe facts diagnose can gather, and their names in messages. Kept apart so that
// commands can name probes without loading the probes.
export type ProbeInput = 'arp' | 'bgp' | 'endpointsProbe' | 'sourceIpProbe' | 'reachProbe';
export const PROBE_INPUTS: readonly ProbeInput[] = ['arp', 'bgp', 'endpointsProbe', 'sourceIpProbe', 'reachProbe'];

export const PROBE_NAMES: Record<ProbeInput, string> = {
  arp: 'ARP',
  bgp: 'BGP',
  endpointsProbe: 'healthz (probe endpoints)',
  sourceIpProbe: 'source-ip echo',
  reachProbe: 'reach (probe reach)',
};

/** The echo the source-IP proof deploys: agnhost netexec answers GET /clientip with the peer "ip:port". */
export const ECHO_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
