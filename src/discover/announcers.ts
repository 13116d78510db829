// Who announces a LoadBalancer address, as far as the snapshot says: the node the
// implementation reports (MetalLB's ServiceL2Status, kube-vip's vipHost label), and which
// nodes the address can reach at all (src/discover/receiving-nodes.ts). Pure.
import type { Service } from '../model/snapshot.js';
import { type DiscoveryContext, nameOf, nsOf, statusOf, str } from './context.js';
import { classifyLoadBalancer } from './implementation.js';
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
}

/** The announcer the cluster reports for a LoadBalancer Service. */
export function reportedAnnouncer(ctx: DiscoveryContext, svc: Service): ReportedAnnouncer {
  const impl = classifyLoadBalancer(ctx, svc).implementation;
  const { namespace: ns, name, labels, annotations } = serviceFact(ctx, svc);
  const statuses = ctx.snapshot.metallb.serviceL2Statuses.filter((s) => {
    const st = statusOf(s);
    return str(st.serviceName) === name && (str(st.serviceNamespace) ?? ns) === ns;
  });
  const withNode = statuses.find((s) => str(statusOf(s).node));
  if (withNode && (impl === 'metallb' || impl === null)) {
    return {
      implementation: 'metallb',
      node: str(statusOf(withNode).node)!,
      mac: null,
      source: `ServiceL2Status ${nsOf(withNode)}/${nameOf(withNode)}`,
    };
  }
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
