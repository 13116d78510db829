// Who announces a LoadBalancer address, as far as the snapshot says: the node the
// implementation reports (MetalLB's ServiceL2Status, the holder of Cilium's L2 announce
// Lease, kube-vip's vipHost label), and which nodes the address can reach at all
// (src/discover/receiving-nodes.ts). Pure.
import type { Service } from '../model/snapshot.js';
import { ciliumL2Lease } from './cilium-l2-lease.js';
import type { DiscoveryContext } from './context.js';
import { classifyLoadBalancer } from './implementation.js';
import { serviceL2Statuses } from './metallb-status.js';
import { serviceFact } from './services.js';

/** kube-vip marks the Service with the node that holds its address (label, or annotation in older releases). */
export const KUBE_VIP_HOST = 'kube-vip.io/vipHost';
/** kube-vip's MAC for the address when it runs on a macvlan interface (DHCP mode). */
export const KUBE_VIP_HWADDR = 'kube-vip.io/hwaddr';

export interface ReportedAnnouncer {
  implementation: 'metallb' | 'cilium' | 'kube-vip' | null;
  /** The node the implementation reports as the holder of the address, when it reports one. */
  node: string | null;
  /** The MAC the implementation reports for the address, as written (not normalized). */
  mac: string | null;
  /** Where `node`/`mac` come from (e.g. "ServiceL2Status metallb-system/l2-abc"). */
  source: string | null;
  /** The interfaces the implementation reports announcing on (MetalLB's ServiceL2Status), when it reports them. */
  interfaces?: string[];
}

/** The announcer the cluster reports for a LoadBalancer Service. */
export function reportedAnnouncer(ctx: DiscoveryContext, svc: Service): ReportedAnnouncer {
  const impl = classifyLoadBalancer(ctx, svc).implementation;
  const { namespace: ns, name, labels, annotations } = serviceFact(ctx, svc);
  const status = serviceL2Statuses(ctx, svc)[0];
  if (status && (impl === 'metallb' || impl === null)) {
    return {
      implementation: 'metallb',
      node: status.node,
      mac: null,
      source: status.ref,
      ...(status.interfaces.length > 0 ? { interfaces: status.interfaces } : {}),
    };
  }
  const lease = impl === 'cilium' ? ciliumL2Lease(ctx, svc) : undefined;
  if (lease?.holder)
    return { implementation: 'cilium', node: lease.holder, mac: null, source: `${lease.ref} (holderIdentity)` };
  const host = labels[KUBE_VIP_HOST] ?? annotations[KUBE_VIP_HOST];
  const hw = annotations[KUBE_VIP_HWADDR];
  if (host || hw) {
    return {
      implementation: 'kube-vip',
      node: host ?? null,
      mac: hw ?? null,
      source: `Service ${ns}/${name} ${host ? KUBE_VIP_HOST : KUBE_VIP_HWADDR}`,
    };
  }
  return { implementation: impl, node: null, mac: null, source: null };
}
