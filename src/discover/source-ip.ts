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
// - Ingress and Gateway API (L7): the backend's TCP peer is the proxy, and the client
//   address survives in X-Forwarded-For/X-Real-IP when the proxy itself saw it (the
//   common controllers add the header by default). So an L7 row takes the verdict of
//   the proxy's own fronts, when the snapshot shows them and they agree:
//     Ingress: the controller workloads of its implementation (recognised by image;
//     ingress-nginx's --ingress-class/--controller-class args must not name another
//     class), each fronted by hostNetwork/hostPort (preserved) and/or the NodePort and
//     LoadBalancer Services that select its Pods (their externalTrafficPolicy);
//     Gateway: its data-plane Service's externalTrafficPolicy.
//   Otherwise `unknown`. L4 routes (TCPRoute, TLSRoute, UDPRoute) have no header: `lost`
//   when the proxy already lost it, else `unknown` (only PROXY protocol, which the
//   snapshot does not show, would carry it).
import type { SourceIP } from '../model/exposure.js';
import type { Service, Workload } from '../model/snapshot.js';
import { appendAll } from '../util/arrays.js';
import { arr, type DiscoveryContext, nsOf, specOf, strMap } from './context.js';
import { imageImplementation } from './host-exposures.js';
import { mapSelects } from './selectors.js';
import { allWorkloadFacts, flagValue, workloadFactOf } from './workload-facts.js';

export function serviceSourceIP(svc: Service): SourceIP {
  return specOf(svc).externalTrafficPolicy === 'Local' ? 'preserved' : 'lost';
}

/** One verdict from several paths: the same on every path, else unknown (none: unknown). */
export function combineSourceIP(verdicts: SourceIP[]): SourceIP {
  const set = new Set(verdicts);
  return set.size === 1 ? [...set][0]! : 'unknown';
}

/** How clients reach a proxy workload's Pods: one verdict per front (host network/port, NodePort/LoadBalancer Services). */
export function workloadFronts(ctx: DiscoveryContext, w: Workload): SourceIP[] {
  const fact = workloadFactOf(ctx, w);
  const out: SourceIP[] = [];
  if (fact.hostNetwork || fact.usesHostPort) out.push('preserved');
  for (const svc of ctx.snapshot.services) {
    const spec = specOf(svc);
    const selector = strMap(spec.selector);
    if (nsOf(svc) !== nsOf(w) || Object.keys(selector).length === 0 || !mapSelects(selector, fact.templateLabels))
      continue;
    const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || arr(spec.externalIPs).length > 0;
    if (external) out.push(serviceSourceIP(svc));
  }
  return out;
}

/** The source-IP verdict at the Ingress controller that serves an Ingress of this class. */
export function ingressControllerSourceIP(
  ctx: DiscoveryContext,
  implementation: string | null,
  className: string | null,
  controller: string | null,
): SourceIP {
  if (!implementation) return 'unknown';
  const verdicts: SourceIP[] = [];
  for (const w of allWorkloadFacts(ctx)) {
    if (imageImplementation(w.images) !== implementation) continue;
    const cls = flagValue(w.args, '--ingress-class');
    const ctl = flagValue(w.args, '--controller-class');
    if (cls && className && cls !== className) continue;
    if (ctl && controller && ctl !== controller) continue;
    appendAll(verdicts, workloadFronts(ctx, w.object));
  }
  return combineSourceIP(verdicts);
}
