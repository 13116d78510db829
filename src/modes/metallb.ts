// MetalLB objects as expose generates them: the IPAddressPool (when created from
// --addresses), the LoadBalancer Service with MetalLB's annotations, advertisement
// fields, and the BGP values MetalLB accepts. The pool/address plan is metallb-plan.ts;
// MetalLB's rules are src/discover/metallb.ts.

import { ANN_IPS, ANN_POOL, ANN_SHARED } from '../discover/metallb.js';
import type { KubeObject } from '../model/kube-object.js';
import { meta, names, publishedService, svcName, svcNamespace } from './common.js';
import type { LBPlan } from './metallb-plan.js';
import { type ExposeSpec, type Labels, METALLB_NAMESPACE } from './spec.js';

export const METALLB_API = 'metallb.io/v1beta1';
export const METALLB_PEER_API = 'metallb.io/v1beta2';

// ---------------------------------------------------------------------------------------
// ASNs and BGP values

export const MAX_ASN = 4294967295;

export function isValidASN(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_ASN;
}

/** `A:B` (16-bit halves) or `large:A:B:C` (32-bit parts). */
export function isValidCommunity(c: string): boolean {
  const std = /^(\d{1,5}):(\d{1,5})$/.exec(c);
  if (std) return Number(std[1]) <= 65535 && Number(std[2]) <= 65535;
  const large = /^large:(\d{1,10}):(\d{1,10}):(\d{1,10})$/.exec(c);
  if (large) return [large[1], large[2], large[3]].every((x) => Number(x) <= MAX_ASN);
  return false;
}

// ---------------------------------------------------------------------------------------
// Objects

export function ipAddressPool(spec: ExposeSpec, name: string, addresses: string[]): KubeObject {
  return {
    apiVersion: METALLB_API,
    kind: 'IPAddressPool',
    metadata: meta(spec, name, METALLB_NAMESPACE),
    // autoAssign off: the pool serves the Services that name it, not any LoadBalancer.
    spec: { addresses: [...addresses], autoAssign: false },
  };
}

/** The LoadBalancer Service (new, or the in-place apply patch) with MetalLB's annotations. */
export function loadBalancerService(spec: ExposeSpec, plan: LBPlan): KubeObject {
  const annotations: Record<string, string> = {};
  if (plan.poolName !== undefined) annotations[ANN_POOL] = plan.poolName;
  if (plan.ip !== undefined) annotations[ANN_IPS] = plan.ip;
  if (spec.shareIP !== undefined) annotations[ANN_SHARED] = spec.shareIP;
  return publishedService(spec, { type: 'LoadBalancer', annotations });
}

/**
 * In apply order: the pool (when created), then what l2.ts / bgp.ts add (peer,
 * advertisement), the Service last, so MetalLB can assign its address at once.
 */
export function loadBalancerObjects(spec: ExposeSpec, plan: LBPlan, metallbObjects: KubeObject[]): KubeObject[] {
  const out: KubeObject[] = [];
  if (plan.newPoolAddresses && plan.poolName) out.push(ipAddressPool(spec, plan.poolName, plan.newPoolAddresses));
  out.push(...metallbObjects, loadBalancerService(spec, plan));
  return out;
}

export function nodeSelectorsField(selectors: Labels[] | undefined): Array<{ matchLabels: Labels }> | undefined {
  if (!selectors || selectors.length === 0) return undefined;
  return selectors.map((s) => ({ matchLabels: { ...s } }));
}

/** The L2Advertisement or BGPAdvertisement of one Service's exposure, named after the Service, in MetalLB's namespace. */
export function advertisement(
  kind: 'L2Advertisement' | 'BGPAdvertisement',
  spec: ExposeSpec,
  adSpec: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: METALLB_API,
    kind,
    metadata: meta(spec, names.metallb(svcNamespace(spec), svcName(spec)), METALLB_NAMESPACE),
    spec: adSpec,
  };
}
