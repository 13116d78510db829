// Whether the backend sees the client's source IP. Pure.
//
// - NodePort, LoadBalancer (l2/bgp/loadbalancer) and externalIPs go through kube-proxy
//   (or its eBPF replacement) on the node that receives the packet: with
//   externalTrafficPolicy Local the packet stays on that node and keeps its source
//   (`preserved`); with Cluster, the default, the node may forward it to another node
//   and SNATs it (`lost`).
// - hostNetwork and hostPort workloads receive the client's packets themselves
//   (hostPort is a DNAT without SNAT): `preserved` at that pod. What the pod forwards to
//   its own backends is its business (X-Forwarded-For, PROXY protocol).
// - Ingress and Gateway API: the backend sees the proxy's address; whether the proxy
//   saw the client's (and passes it on in X-Forwarded-For or PROXY protocol) depends on
//   how the controller itself is exposed (its own row in the list) and its
//   configuration, which a snapshot does not reliably show: `unknown`.
import type { Mode, SourceIP } from '../model/exposure.js';
import type { Service } from '../model/snapshot.js';

export function serviceSourceIP(svc: Service): SourceIP {
  return (svc.spec as { externalTrafficPolicy?: unknown } | undefined | null)?.externalTrafficPolicy === 'Local' ? 'preserved' : 'lost';
}

export function sourceIPForMode(mode: Mode, svc?: Service): SourceIP {
  switch (mode) {
    case 'nodeport': case 'l2': case 'bgp': case 'loadbalancer': case 'externalip':
      return svc ? serviceSourceIP(svc) : 'unknown';
    case 'hostnetwork': case 'hostport':
      return 'preserved';
    default:
      return 'unknown';
  }
}
