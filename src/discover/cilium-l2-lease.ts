// Who holds a Service's address under Cilium's L2 announcements: the agents elect one
// announcer per Service with a Lease (coordination.k8s.io/v1) in Cilium's namespace
// (kube-system as installed by default), named cilium-l2announce-<namespace>-<name>
// (pkg/l2announcer); spec.holderIdentity is the announcing node. Typed, once per
// snapshot. Pure.
import { CILIUM_L2_LEASE_PREFIX } from '../kube/kinds.js';
import type { Service } from '../model/snapshot.js';
import { type DiscoveryContext, defineFacts, int, nameOf, nsOf, specOf, str } from './context.js';

export interface CiliumL2LeaseFact {
  /** "Lease kube-system/cilium-l2announce-default-web", for citing. */
  ref: string;
  namespace: string;
  name: string;
  /** spec.holderIdentity: the node answering ARP for the address (absent while no agent holds it). */
  holder: string | undefined;
  renewTime: string | undefined;
  leaseDurationSeconds: number | undefined;
}

const byName = defineFacts('cilium-l2-leases', (ctx) => {
  const out = new Map<string, CiliumL2LeaseFact>();
  for (const l of ctx.snapshot.cilium.l2AnnounceLeases) {
    const spec = specOf(l);
    out.set(nameOf(l), {
      ref: `Lease ${nsOf(l)}/${nameOf(l)}`,
      namespace: nsOf(l),
      name: nameOf(l),
      holder: str(spec.holderIdentity) || undefined,
      renewTime: str(spec.renewTime),
      leaseDurationSeconds: int(spec.leaseDurationSeconds),
    });
  }
  return out;
});

/** The Lease name Cilium elects a Service's L2 announcer with. */
export function ciliumL2LeaseName(svc: Service): string {
  return `${CILIUM_L2_LEASE_PREFIX}${nsOf(svc)}-${nameOf(svc)}`;
}

/** The Service's announcer Lease, when the input holds it. */
export function ciliumL2Lease(ctx: DiscoveryContext, svc: Service): CiliumL2LeaseFact | undefined {
  return byName(ctx).get(ciliumL2LeaseName(svc));
}
