// What MetalLB's speakers write about each Service they announce (metallb.io/v1beta1,
// internal/k8s/controllers/layer2_status_controller.go and the BGP one):
// - ServiceL2Status: the node that answers ARP/NDP for the Service's address
//   (status.node) and the interfaces it answers on (status.interfaces[].name);
// - ServiceBGPStatus: per announcing node, the BGP peers the Service is configured to be
//   advertised to (status.peers; whether a session is up is not said there).
// The speaker also labels them metallb.io/node, metallb.io/service-name and
// metallb.io/service-namespace, read when the status is missing. Typed, once per snapshot. Pure.
import type { Custom, Service } from '../model/snapshot.js';
import {
  arr,
  type DiscoveryContext,
  defineFacts,
  keyOf,
  labelsOf,
  nameOf,
  nsOf,
  rec,
  statusOf,
  str,
} from './context.js';

export interface L2StatusFact {
  /** "ServiceL2Status metallb-system/l2-abcde", for citing. */
  ref: string;
  node: string;
  interfaces: string[];
  object: Custom;
}

export interface BgpStatusFact {
  ref: string;
  node: string;
  /** The BGPPeers the Service is advertised to from this node (names). */
  peers: string[];
  object: Custom;
}

interface Common {
  ref: string;
  node: string;
  service: string;
  st: Record<string, unknown>;
  object: Custom;
}

const ANY_NAMESPACE = '*';

function common(o: Custom, kind: string): Common | undefined {
  const st = statusOf(o);
  const l = labelsOf(o);
  const name = str(st.serviceName) ?? l['metallb.io/service-name'];
  // Neither the status nor the labels name the namespace: it matches the Service of that name in any.
  const ns = str(st.serviceNamespace) ?? l['metallb.io/service-namespace'] ?? ANY_NAMESPACE;
  const node = str(st.node) ?? l['metallb.io/node'];
  if (!name || !node) return undefined;
  return { ref: `${kind} ${nsOf(o)}/${nameOf(o)}`, node, service: keyOf(ns, name), st, object: o };
}

/** By "namespace/name" of the Service, without the key in the items. */
function group<T extends { service: string }>(items: T[]): Map<string, Omit<T, 'service'>[]> {
  const out = new Map<string, Omit<T, 'service'>[]>();
  for (const { service, ...rest } of items) out.set(service, [...(out.get(service) ?? []), rest]);
  return out;
}

// Two families: reading who announces in L2 does not read the BGP statuses.
const l2Facts = defineFacts(
  'metallb-l2-status',
  (ctx): Map<string, L2StatusFact[]> =>
    group(
      ctx.snapshot.metallb.serviceL2Statuses
        .map((o) => common(o, 'ServiceL2Status'))
        .filter((c): c is Common => !!c)
        .map((c) => ({
          service: c.service,
          ref: c.ref,
          node: c.node,
          interfaces: arr(c.st.interfaces)
            .map((i) => str(rec(i).name))
            .filter((x): x is string => !!x),
          object: c.object,
        })),
    ),
);

const bgpFacts = defineFacts(
  'metallb-bgp-status',
  (ctx): Map<string, BgpStatusFact[]> =>
    group(
      ctx.snapshot.metallb.serviceBGPStatuses
        .map((o) => common(o, 'ServiceBGPStatus'))
        .filter((c): c is Common => !!c)
        .map((c) => ({
          service: c.service,
          ref: c.ref,
          node: c.node,
          peers: arr(c.st.peers).filter((p): p is string => typeof p === 'string'),
          object: c.object,
        })),
    ),
);

/** The ServiceL2Statuses MetalLB wrote for a Service (normally one: its announcing node). */
export function serviceL2Statuses(ctx: DiscoveryContext, svc: Service): L2StatusFact[] {
  return forService(l2Facts(ctx), svc);
}

/** The ServiceBGPStatuses MetalLB wrote for a Service (one per announcing node). */
export function serviceBgpStatuses(ctx: DiscoveryContext, svc: Service): BgpStatusFact[] {
  return forService(bgpFacts(ctx), svc);
}

function forService<T>(facts: Map<string, T[]>, svc: Service): T[] {
  return [...(facts.get(keyOf(nsOf(svc), nameOf(svc))) ?? []), ...(facts.get(keyOf(ANY_NAMESPACE, nameOf(svc))) ?? [])];
}
