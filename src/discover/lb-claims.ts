// Which load-balancer implementations claim a LoadBalancer Service (#16 point 10): k3s's
// ServiceLB (its svclb DaemonSet for the Service), and the implementation its settings and
// status point to (MetalLB, Cilium LB-IPAM, kube-vip: classifyLoadBalancer). Two at once fight over the
// Service's status and its traffic: a distribution's built-in load balancer left on next to
// MetalLB is the usual case. A Service with spec.loadBalancerClass is claimed by that class
// only. Pure.
import type { Service, Workload } from '../model/snapshot.js';
import { type DiscoveryContext, nameOf, nsOf, specOf, str } from './context.js';
import { classifyLoadBalancer } from './implementation.js';
import { ownerOf } from './owners.js';

export interface LbClaim {
  implementation: 'k3s-servicelb' | 'metallb' | 'cilium' | 'kube-vip';
  /** The object that shows the claim, for messages. */
  evidence: string;
}

export function lbClaims(ctx: DiscoveryContext, svc: Service): LbClaim[] {
  if (str(specOf(svc).type) !== 'LoadBalancer' || str(specOf(svc).loadBalancerClass)) return [];
  const out: LbClaim[] = [];
  const ref = `${nsOf(svc)}/${nameOf(svc)}`;
  const svclb = ctx.snapshot.workloads.find((w: Workload) => {
    const o = ownerOf(w);
    return o?.kind === 'k3s-servicelb' && (o.service === ref || o.service === nameOf(svc));
  });
  if (svclb) out.push({ implementation: 'k3s-servicelb', evidence: `DaemonSet ${nsOf(svclb)}/${nameOf(svclb)}` });
  // The implementation the Service's settings and status point to (its annotations, the pool
  // that holds its address, the one pool that would serve it); an ambiguous one claims nothing
  // here (several projects' example pools in one input are not a cluster).
  const lb = classifyLoadBalancer(ctx, svc);
  if (lb.implementation === 'metallb' || lb.implementation === 'cilium' || lb.implementation === 'kube-vip')
    out.push({ implementation: lb.implementation, evidence: lb.evidence[0] ?? lb.implementation });
  return out;
}
