// The catalogue of finding codes: the contract's table (../shared/design/product.md),
// with each code's severity, one-sentence meaning and default fix. Codes are stable and
// never reused. Analyzers take the severity from here; SARIF rules are built from here.
import type { Finding, Severity } from '../model/finding.js';
import type { ObjectRef } from '../model/kube-object.js';
import type { Check } from './types.js';

export interface CodeInfo<K extends string = string> {
  code: K;
  severity: Severity;
  check: Check;
  /** A short name (SARIF rule name, PascalCase). */
  name: string;
  /** One sentence: what is wrong and what it does to traffic. */
  meaning: string;
  /** The default fix: what to change, concretely, with the trade-off where there is one. */
  fix: string;
  /** Needs a probe's facts (`diagnose --probe`). */
  probe?: boolean;
}

// `const K`: each entry keeps its code as a literal type (as const), and the family before
// the slash must be a check, so `Code` below is the closed set of codes.
const C = <const K extends `${Check}/${string}`>(
  code: K,
  severity: Severity,
  name: string,
  meaning: string,
  fix: string,
  probe = false,
): CodeInfo<K> => ({
  code,
  severity,
  check: code.slice(0, code.indexOf('/')) as Check,
  name,
  meaning,
  fix,
  ...(probe ? { probe } : {}),
});

export const CODES = [
  C(
    'source-ip/etp-cluster',
    'warning',
    'ExternalTrafficPolicyCluster',
    'External traffic reaches the Service with externalTrafficPolicy Cluster: the receiving node SNATs it, so the backend sees a node address instead of the client IP.',
    'Set spec.externalTrafficPolicy: Local on the Service (kubectl patch svc NAME -p \'{"spec":{"externalTrafficPolicy":"Local"}}\'); trade-off: only nodes with a ready Pod take traffic, so load follows Pod placement and can be uneven.',
  ),
  C(
    'source-ip/proxy-protocol-missing',
    'warning',
    'ProxyProtocolMissing',
    "A TCP gateway or load balancer in front of the backend opens its own connection to it and neither sends PROXY protocol nor preserves the source otherwise, so the backend sees the gateway's address.",
    'Make the gateway send PROXY protocol (HAProxy: send-proxy-v2 on the server line; nginx stream: proxy_protocol on) and the backend expect it; trade-off: both ends must agree, a backend that does not expect it breaks.',
  ),
  C(
    'source-ip/proxy-protocol-mismatch',
    'error',
    'ProxyProtocolMismatch',
    'One side sends PROXY protocol and the other does not expect it (or the reverse): every connection fails at the first bytes.',
    'Make both ends agree: either enable PROXY protocol on the receiving side (HAProxy: accept-proxy on the bind line; ingress-nginx: use-proxy-protocol: "true") or stop sending it (remove send-proxy/send-proxy-v2, proxy_protocol on).',
  ),
  C(
    'affinity/client-ip-hidden',
    'warning',
    'AffinityClientIpHidden',
    'ClientIP affinity on a Service whose clients arrive through a hop that replaces their address (a hostNetwork gateway or proxy that connects to the ClusterIP, ingress-nginx with service-upstream, a hash on $remote_addr behind SNAT): every client behind that hop sticks to one Pod.',
    "Key stickiness where the client is still known: let the proxy pick the Pods (headless Service, or the controller's endpoints) with its own stickiness (cookie, balance source, hash $remote_addr), or keep the client address up to the Service (no proxy in between, externalTrafficPolicy Local, PROXY protocol to the proxy).",
  ),
  C(
    'affinity/bypassed-by-proxy',
    'warning',
    'AffinityBypassedByProxy',
    'Service sessionAffinity while an Ingress controller, Gateway API implementation or gateway sends to the endpoints directly: the Service setting has no effect.',
    'Set stickiness where the Pod is picked: ingress-nginx nginx.ingress.kubernetes.io/affinity: cookie on the Ingress, Traefik traefik.ingress.kubernetes.io/service.sticky.cookie on the Service, HAProxy haproxy.org/cookie-persistence, Gateway API sessionPersistence on the route rule (exposectl expose SERVICE --mode ingress|gateway --sticky).',
  ),
  C(
    'affinity/per-entry-node',
    'warning',
    'AffinityPerEntryNode',
    "ClientIP affinity (kept per node by kube-proxy) or a gateway stick table without peers, with more than one entry a client may use (NodePort on several nodes, several gateway replicas): one client's connections land on different Pods.",
    "Keep each client on one entry (an L2 LoadBalancer address, an external balancer hashing on the client address), share the gateway's stick table (HAProxy peers) or use a hash every replica computes alike (balance source, hash $remote_addr consistent), or use a cookie set by an L7 proxy.",
  ),
  // Real cases: traefik/traefik#2392 (sticky annotation on the Ingress; Traefik reads it on the Service), traefik/traefik#6916 (service.sticky vs service.sticky.cookie),
  // opta#914 / ingress-nginx docs (cookie affinity with service-upstream has one upstream to pin).
  C(
    'affinity/annotation-ignored',
    'warning',
    'AffinityAnnotationIgnored',
    'A stickiness annotation the controller does not act on: on the wrong object (Traefik reads the Service, not the Ingress), a key or value it does not know, or cookie affinity with ingress-nginx service-upstream (one upstream to pin): clients move between Pods.',
    'Write the controller\'s own setting where it reads it: ingress-nginx nginx.ingress.kubernetes.io/affinity: cookie on the Ingress (without service-upstream), Traefik traefik.ingress.kubernetes.io/service.sticky.cookie: "true" on the backend Service.',
  ),
  // Real cases: kubernetes/kubernetes#15940 and #10809 (a custom balancer or nginx ip_hash in front of the Service's address: kube-proxy still spreads the connections).
  C(
    'affinity/proxy-sticks-to-service',
    'warning',
    'ProxySticksToServiceAddress',
    'A gateway is sticky (balance source, stick table, cookie, ip_hash) but its server is a Service address: it pins every client to that one address and kube-proxy picks the Pod per connection.',
    'Send to the Pods: a headless Service (clusterIP: None) that the gateway resolves (HAProxy server-template with resolvers, nginx upstream over the headless name), so its stickiness chooses among Pods (exposectl expose SERVICE --mode hostnetwork --sticky).',
  ),
  // Real cases: traefik/traefik#11243 (Traefik's Gateway API provider has no sessionPersistence; PR #12539 closed unmerged),
  // kgateway-dev/kgateway#10461 (the same class of problem elsewhere); seen on Traefik v3.6.12: one cookie jar, 3 Pods.
  C(
    'affinity/session-persistence-ignored',
    'warning',
    'SessionPersistenceIgnored',
    "A Gateway API route asks for sessionPersistence, and its Gateway's implementation is known to accept the field without applying it (Traefik): the route is Accepted, but clients move between Pods.",
    'Use the implementation\'s own stickiness: for Traefik, its sticky cookie on the Service through an Ingress (traefik.ingress.kubernetes.io/service.sticky.cookie: "true"; exposectl expose SERVICE --mode ingress --sticky --in-place) or a TraefikService with weighted.sticky.cookie referenced from the route.',
  ),
  C(
    'endpoints/none-ready',
    'error',
    'NoReadyEndpoints',
    'The exposed Service has no ready endpoint: connections to it are refused or time out.',
    'Make a Pod of the Service ready: kubectl get pods -l SELECTOR and kubectl describe pod POD show why they are not (readiness probe, crash loop, image pull, scheduling).',
  ),
  C(
    'endpoints/selector-matches-nothing',
    'error',
    'SelectorMatchesNothing',
    'The Service selector matches no Pod, so the Service has no endpoints and traffic to it is refused.',
    'Set spec.selector to the labels of the Pods that should serve it (kubectl get pods --show-labels), or label the Pods.',
  ),
  C(
    'endpoints/target-port-mismatch',
    'error',
    'TargetPortMismatch',
    "The Service's targetPort (name or number) is not a port of the selected Pods: traffic is sent to a port nothing listens on (or, for a name, no endpoint is created).",
    "Set spec.ports[].targetPort to a containerPort (number or name) of the Pods, or add that port to the Pods' containers.",
  ),
  C(
    'endpoints/local-policy-blackhole',
    'warning',
    'LocalPolicyBlackhole',
    'externalTrafficPolicy Local, and some nodes that receive traffic have no local ready endpoint: they drop what they receive.',
    'Send traffic only to nodes with a ready Pod (a load balancer that follows the healthCheckNodePort, MetalLB/Cilium/kube-vip with Local policy), run a Pod on every receiving node (a DaemonSet, or topology spread), or set externalTrafficPolicy: Cluster (the client IP is then lost).',
  ),
  C(
    'lb/pending',
    'error',
    'LoadBalancerPending',
    'A LoadBalancer Service has no address: clients have nothing to connect to.',
    'Install or configure a load-balancer implementation that serves it (MetalLB IPAddressPool + L2Advertisement/BGPAdvertisement, Cilium LB-IPAM, kube-vip), or use exposectl expose SERVICE --mode l2 --addresses RANGE.',
  ),
  C(
    'lb/no-pool',
    'error',
    'NoAddressPool',
    'No address pool can serve the Service (none, none matching its namespace or labels, or auto-assign off), so it never gets an address.',
    'Add an IPAddressPool whose serviceAllocation admits the Service, or name a pool with the annotation metallb.io/address-pool: POOL (needed for pools with autoAssign: false).',
  ),
  C(
    'lb/pool-exhausted',
    'error',
    'AddressPoolExhausted',
    'The matching pools have no free address, so the Service stays without one.',
    'Add addresses to the pool (spec.addresses), free some by deleting unused LoadBalancer Services, or share an address with metallb.io/allow-shared-ip.',
  ),
  C(
    'lb/ip-not-in-pool',
    'error',
    'AddressNotInPool',
    'The requested address is in no pool, so the implementation refuses to assign it.',
    "Request an address inside a pool (spec.loadBalancerIP or metallb.io/loadBalancerIPs), or add the address to an IPAddressPool's spec.addresses.",
  ),
  C(
    'lb/sharing-conflict',
    'error',
    'AddressSharingConflict',
    'Services that share an address disagree on the sharing key, ports or traffic policy, so one of them does not get the address.',
    'Give every Service on the address the same metallb.io/allow-shared-ip key, disjoint port/protocol pairs, the same externalTrafficPolicy and, with Local, the same selector; or give one of them its own address.',
  ),
  C(
    'lb/no-advertisement',
    'error',
    'PoolNotAdvertised',
    'Addresses are assigned from a pool that no L2Advertisement/BGPAdvertisement announces, so nothing on the network answers for them.',
    'Add an L2Advertisement (or BGPAdvertisement) in the MetalLB namespace whose spec.ipAddressPools names the pool (no list and no selector announces every pool).',
  ),
  C(
    'lb/pool-overlap',
    'warning',
    'AddressPoolsOverlap',
    'Two address pools overlap: an address in both belongs to whichever pool the implementation finds first, so pool selection and announcements are unpredictable.',
    "Make the pools' spec.addresses disjoint.",
  ),
  // Real cases: metallb#1748 (nodeSelectors vs Local endpoints), metallb#2274 and metallb-operator#490
  // (exclude-from-external-load-balancers since 0.14), cilium#26996 (L2 policy nodeSelector matching no node).
  C(
    'lb/no-eligible-announcer',
    'error',
    'NoEligibleAnnouncer',
    'No node may announce the LoadBalancer address (advertisement or policy node selectors, nodes excluded from load balancers, where the speaker runs), or with externalTrafficPolicy Local none of the nodes that may holds a ready endpoint: nothing answers for the address.',
    'Let a node that should announce do so: make the L2Advertisement/BGPAdvertisement nodeSelectors or the CiliumL2AnnouncementPolicy nodeSelector match it, remove node.kubernetes.io/exclude-from-external-load-balancers from it (or run the MetalLB speaker with --ignore-exclude-lb), let the speaker run there; with Local policy, run a ready Pod on a node that may announce.',
  ),
  // Real cases: openshift-docs#34728 (metallb.universe.tf/pool-name is not a MetalLB key).
  C(
    'lb/annotation-ignored',
    'warning',
    'AnnotationIgnored',
    "An annotation nothing reads: a misspelled key of MetalLB, kube-vip, Cilium or an ingress controller, a key written under labels instead of annotations, or another implementation's or a cloud provider's annotation: the setting it asks for does not happen.",
    "Write the key the implementation that serves the object reads, under metadata.annotations (exposectl codes lb/annotation-ignored lists the usual ones); remove another implementation's or a cloud provider's keys.",
  ),
  // Real case: kubernetes-arm#5 (k3s ServiceLB left on next to MetalLB).
  C(
    'lb/implementation-conflict',
    'warning',
    'LoadBalancerImplementationConflict',
    "Two load-balancer implementations claim the same Service (a distribution's built-in one, such as k3s's ServiceLB, left on next to MetalLB, Cilium LB-IPAM or kube-vip): both write its status and answer for it, so its address and its traffic depend on which wrote last.",
    'Turn off the one that should not serve LoadBalancer Services (k3s: --disable=servicelb), or give the Service spec.loadBalancerClass of the implementation that should serve it.',
  ),
  // Issue #16 point 10: the status an implementation writes, judged against its configuration.
  C(
    'lb/announcer-not-eligible',
    'warning',
    'ReportedAnnouncerNotEligible',
    "The node the implementation reports as announcing the address (MetalLB's ServiceL2Status, the holder of Cilium's cilium-l2announce Lease) may not announce it by the current configuration (advertisement or policy node selectors, excluded nodes, where the speaker runs): the status is stale or that node's speaker has not applied the configuration, so which node answers for the address is in doubt.",
    'Check the speaker or agent on the reported node and its logs; restart the speakers (MetalLB) or delete the Lease (Cilium) so that an eligible node takes the address, and make sure the configuration lets the node you want announce.',
  ),
  C(
    'nodeport/out-of-range',
    'error',
    'NodePortOutOfRange',
    "A requested nodePort lies outside the cluster's NodePort range: the API server rejects the Service.",
    'Choose a nodePort inside the range (default 30000-32767, kube-apiserver --service-node-port-range) or leave nodePort out and let Kubernetes pick one.',
  ),
  C(
    'input/invalid-value',
    'error',
    'InvalidFieldValue',
    'A Service in a manifest has a port, targetPort, protocol or IP address the API server rejects: the Service is never created, so nothing is exposed.',
    'Set the field to a value the API server accepts: ports are integers 1-65535, a named targetPort is an IANA service name of a container port, protocols are TCP, UDP or SCTP, addresses are IPv4 or IPv6.',
  ),
  C(
    'nodeport/collision',
    'error',
    'NodePortCollision',
    'Two Services ask for the same nodePort and protocol: the second one is rejected by the API server.',
    'Give one of them another nodePort, or leave nodePort out so Kubernetes picks a free one.',
  ),
  C(
    'hostnetwork/port-conflict',
    'error',
    'HostPortConflict',
    'Two hostNetwork/hostPort workloads claim the same port on the same node: one of them cannot bind it or cannot be scheduled there.',
    'Move one workload to other nodes (spec.template.spec.nodeSelector) or change its port.',
  ),
  C(
    'hostnetwork/no-gateway-nodes',
    'error',
    'GatewayNodesMissing',
    "The gateway's node selector matches no node, so no gateway Pod runs and its ports are open nowhere.",
    'Label the gateway nodes (kubectl label node NODE KEY=VALUE) or change spec.template.spec.nodeSelector to labels the nodes have.',
  ),
  C(
    'ingress/no-controller',
    'error',
    'IngressControllerMissing',
    "The Ingress names a class that does not exist, names none and there is no single default class (or the default came after it), or the controllers' own flags leave it out: no controller serves it.",
    'Set spec.ingressClassName to an existing IngressClass (kubectl get ingressclass), or mark one class default with ingressclass.kubernetes.io/is-default-class: "true".',
  ),
  C(
    'ingress/backend-missing',
    'error',
    'BackendMissing',
    'An Ingress or route backend names a Service or port that does not exist: requests for it get 503/404 from the proxy.',
    'Point the backend at an existing Service and one of its ports (kubectl get svc NAME -o yaml), or create the Service.',
  ),
  C(
    'ingress/tls-secret-missing',
    'error',
    'TlsSecretMissing',
    'A TLS section names a Secret that does not exist: the controller serves a default certificate and clients reject it.',
    "Create the Secret (kubectl create secret tls NAME --cert=FILE --key=FILE, or cert-manager) in the Ingress's namespace, or fix spec.tls[].secretName.",
  ),
  C(
    'ingress/retired-controller',
    'info',
    'RetiredIngressController',
    'The Ingress is served by ingress-nginx, which is retired: it gets no more fixes.',
    'Move to Gateway API: exposectl expose SERVICE --mode gateway generates the equivalent Gateway and HTTPRoute.',
  ),
  C(
    'gateway/route-not-attached',
    'error',
    'RouteNotAttached',
    "A route's parentRef names no existing Gateway or listener (or the listener does not admit it): its traffic is not routed.",
    'Set spec.parentRefs to an existing Gateway (and sectionName to one of its listeners), and make the listener admit the route (allowedRoutes.namespaces and kinds).',
  ),
  C(
    'gateway/ref-not-permitted',
    'error',
    'ReferenceNotPermitted',
    "A route's backendRef or a Gateway listener's certificateRef names an object in another namespace, and no ReferenceGrant in that namespace allows it: the implementation refuses the reference, so the rule answers with an error or the listener is not programmed.",
    "Add a ReferenceGrant in the target's namespace whose spec.from names the route kind (or Gateway) and its namespace and whose spec.to names the Service (or Secret), or move the target into the referring object's namespace.",
  ),
  C(
    'arp/no-reply',
    'error',
    'ArpNoReply',
    'Nobody answers ARP for the address: clients on the segment cannot reach it.',
    "Check that the announcer runs on a node attached to this segment (MetalLB speaker, kube-vip), that an L2Advertisement selects the pool and its nodeSelectors/interfaces match, and that the address is in the segment's subnet.",
    true,
  ),
  C(
    'arp/multiple-replies',
    'error',
    'ArpMultipleReplies',
    'More than one MAC answers ARP for the address: clients switch between hosts and connections break.',
    'Make sure only one system announces the address: remove it from other hosts or implementations (a second MetalLB/kube-vip, a static address on a host) and keep pools disjoint.',
    true,
  ),
  C(
    'arp/holder-mismatch',
    'warning',
    'ArpHolderMismatch',
    'The MAC that answers ARP is not the node the implementation reports as announcer: traffic goes to another host than expected.',
    "Find which host owns the answering MAC; restart the announcer or remove the stale address from that host, and check the nodes' MACs match what the implementation sees.",
    true,
  ),
  C(
    'bgp/session-down',
    'error',
    'BgpSessionDown',
    'An expected BGP peer has no established session: the routes it should announce are not received.',
    "Check the peer's BGP configuration (neighbor address, AS numbers, port 179 reachability) and its logs.",
    true,
  ),
  C(
    'bgp/not-advertised',
    'error',
    'BgpNotAdvertised',
    'A LoadBalancer address is not advertised by any peer: routers have no route to it.',
    // Also from the snapshot alone for Calico (addresses outside its BGPConfiguration ranges): not a probe-only code.
    "Add a BGPAdvertisement that selects the pool holding the address (with Calico: add it to serviceLoadBalancerIPs of the default BGPConfiguration), and check the speakers' BGPPeer sessions.",
  ),
  C(
    'bgp/nexthop-without-endpoints',
    'warning',
    'BgpNextHopWithoutEndpoints',
    'With externalTrafficPolicy Local, a next hop node has no local ready endpoint: traffic routed there is dropped.',
    'Make the speaker withdraw the route from nodes without endpoints, run a Pod there, or set externalTrafficPolicy: Cluster (the client IP is then lost).',
    true,
  ),
  // Real case: onedr0p/cluster-template#1862 (node and router ASNs swapped: session stuck in active). Issue #16 point 10.
  C(
    'bgp/peer-not-established',
    'error',
    'BgpPeerNotEstablished',
    "The implementation's own status reports a BGP session that is not established (Cilium's CiliumBGPNodeConfig status.bgpInstances[].peers[].peeringState): the routes the node should advertise to that peer (LoadBalancer addresses, Pod CIDRs) do not reach it.",
    'Check the session on both ends: the peer address and port 179 reachable from the node, the ASNs on both sides (a swapped localASN/peerASN shows as "as number mismatch" in the agent\'s log), the router\'s neighbor entry for the node, and any password or eBGP multihop the router requires.',
  ),
  C(
    'dns/gateway-not-on-node',
    'error',
    'DnsGatewayNotOnNode',
    'A DNS name (external-dns annotation or DNSEndpoint) points at a node where the gateway it leads to does not run: clients that resolve to that address are refused or time out, one in N of them.',
    "Point the name only at the gateway's nodes: drop the target annotation (external-dns then takes the nodes the gateway's Pods run on) or fix spec.endpoints[].targets of the DNSEndpoint; or run the gateway on that node (its nodeSelector, tolerations).",
  ),
  C(
    'dns/target-unserved',
    'warning',
    'DnsTargetUnserved',
    'A DNS name points at an address no exposure of the cluster serves (no LoadBalancer, external IP, Ingress or gateway address, no node with a NodePort or hostNetwork gateway): its clients reach nothing of this cluster.',
    'Fix the target annotation or the DNSEndpoint targets to an address an exposure serves (exposectl list shows them), or remove the stale record.',
  ),
  C(
    'lan/network-missing',
    'error',
    'LanNetworkMissing',
    'A Pod asks Multus for a network (k8s.v1.cni.cncf.io/networks) whose NetworkAttachmentDefinition does not exist: Multus cannot wire the Pod, which never starts and never gets its LAN address.',
    "Create the NetworkAttachmentDefinition in the namespace the annotation names (without one, the Pod's own), or fix the name in the annotation.",
  ),
  C(
    'lan/networks-invalid',
    'error',
    'LanNetworksInvalid',
    "A Pod's k8s.v1.cni.cncf.io/networks annotation cannot be read (neither a comma list nor a JSON list): Multus refuses the Pod, which never starts.",
    'Write the annotation as a comma list (NAME, NAMESPACE/NAME, NAME@INTERFACE) or as a JSON list of objects with name, namespace and interface.',
  ),
  C(
    'reach/refused',
    'error',
    'ReachRefused',
    'A way in of the exposure refused the connection: nothing listens on that address and port, or a firewall rejects it, so clients get an immediate error.',
    'Check that the port is open where it should be: the nodePort on every node (kube-proxy running, the nodePort the Service shows), the gateway or controller listening on that port, no firewall REJECT rule in front of it.',
    true,
  ),
  C(
    'reach/timed-out',
    'error',
    'ReachTimedOut',
    'A way in of the exposure never completed the TCP handshake: packets are dropped on the way (a firewall, no route back, a Local-policy node without endpoints), so clients hang until their timeout.',
    'Find where the packets are dropped: a node of an externalTrafficPolicy Local Service without a ready Pod (exposectl probe endpoints SERVICE), a firewall DROP rule, an address nobody announces (exposectl probe arp), or a missing return route.',
    true,
  ),
  C(
    'reach/reset',
    'error',
    'ReachReset',
    'A way in of the exposure accepted the connection and then reset it: the proxy or backend closed it abruptly, so clients see a connection reset.',
    'Read the logs of the hop that resets (the gateway, the Ingress controller, the backend): a PROXY protocol mismatch, a TLS passthrough to a plain-HTTP backend, or a backend that crashes on the request are the usual causes.',
    true,
  ),
  C(
    'reach/unreachable',
    'error',
    'ReachUnreachable',
    'A way in cannot be reached from where the probe runs (no route to its address, or its host name does not resolve): clients on this network cannot reach it at all.',
    'Give the client network a route to the address (BGP-announced addresses need the router to learn them; L2 addresses must be in the subnet of the client segment), publish the host name in DNS, or run the probe from where clients are.',
    true,
  ),
  C(
    'reach/no-answer',
    'warning',
    'ReachNoAnswer',
    'A way in accepted the TCP connection but gave no TLS handshake or HTTP answer within the timeout: the proxy or backend behind it hangs.',
    'Check the hop behind the port: a backend that accepts and never answers, a proxy waiting for a PROXY protocol header, TLS expected where plain HTTP is sent (or the reverse), or a backend slower than --timeout.',
    true,
  ),
  C(
    'reach/intermittent',
    'warning',
    'ReachIntermittent',
    'A way in answered some tries and failed others: some of the paths behind one address work and others do not (a node or Pod that drops, a flapping announcement).',
    'Find the failing share: with --count, compare which Pods answered with the Service endpoints; check Local-policy nodes without endpoints behind a load balancer, ECMP next hops without endpoints, and not-ready Pods still in the endpoints.',
    true,
  ),
  C(
    'reach/tls-name-mismatch',
    'error',
    'ReachTlsNameMismatch',
    'The certificate a way in presents does not name the host the client asked for: browsers and TLS clients refuse the connection.',
    "Serve a certificate whose subjectAltName covers the host: add the host to the certificate (cert-manager Certificate dnsNames), point the Ingress TLS section or the Gateway listener's certificateRefs at the right Secret, and check the host is in the TLS section's hosts (else the controller serves its default certificate).",
    true,
  ),
  C(
    'reach/tls-expired',
    'error',
    'ReachTlsExpired',
    'The certificate a way in presents has expired or is not valid yet: TLS clients refuse the connection.',
    'Renew the certificate in the Secret the Ingress or listener uses (cert-manager: kubectl describe certificate shows why it did not renew) and check the clocks of the client and the server.',
    true,
  ),
  C(
    'reach/tls-untrusted',
    'warning',
    'ReachTlsUntrusted',
    'The certificate a way in presents does not chain to a CA the client trusts (self-signed, a private CA, a missing intermediate): clients without that CA refuse the connection.',
    'Serve a certificate from a CA the clients trust with its full chain (the Secret tls.crt holds the leaf then the intermediates), or give the clients the private CA (probe reach --ca FILE to check with it).',
    true,
  ),
  C(
    'reach/http-error',
    'warning',
    'ReachHttpError',
    'A way in connected and answered HTTP 5xx: the exposure works up to a proxy, and the request fails behind it (no ready backend, a wrong backend port, a backend error).',
    'Read the answer and the proxy logs: 502/503 from an Ingress controller or Gateway usually mean no ready endpoint or a wrong backend port (exposectl diagnose SERVICE), 504 a backend slower than the proxy timeout.',
    true,
  ),
  C(
    'reach/not-sticky',
    'warning',
    'ReachNotSticky',
    'The Service has sessionAffinity ClientIP, yet one client reached several Pods through one way in: stickiness is lost on the way (a hop that replaces the client address per connection, or several entry nodes).',
    'Find the hop that breaks it (exposectl diagnose affinity SERVICE): set stickiness where the Pod is picked (cookie on the Ingress or route), keep the client address up to the Service (externalTrafficPolicy Local), or send one client to one entry node.',
    true,
  ),
];

/** Every finding code: a misspelt code is a compile error wherever a `Code` is expected. */
export type Code = (typeof CODES)[number]['code'];

const BY_CODE: ReadonlyMap<string, CodeInfo<Code>> = new Map(CODES.map((c) => [c.code, c]));

export function codeInfo(code: Code): CodeInfo<Code>;
export function codeInfo(code: string): CodeInfo<Code>;
export function codeInfo(code: string): CodeInfo<Code> {
  const info = BY_CODE.get(code);
  if (!info) throw new Error(`unknown finding code ${code}`);
  return info;
}

export function isKnownCode(code: string): code is Code {
  return BY_CODE.has(code);
}

/** A finding of a catalogued code: severity and check from the catalogue; the fix defaults to the catalogue's. */
export function finding(code: Code, subject: ObjectRef, message: string, fix?: string): Finding {
  const info = codeInfo(code);
  return { code, severity: info.severity, check: info.check, subject, message, fix: fix ?? info.fix };
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
