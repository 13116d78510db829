// Istio's edge path: client -> address -> ingress gateway Service -> Gateway ->
// VirtualService -> Service -> Pods. The builder's pieces do the drawing; this file only
// knows how an Istio VirtualService leads there. Pure.

import { nameOf, nsOf } from '../discover/context.js';
import {
  findIstioGateway,
  ingressGatewayServices,
  virtualServiceBackends,
  virtualServiceGatewayRefs,
} from '../discover/istio.js';
import type { Exposure, ServiceRef } from '../model/exposure.js';
import type { Custom } from '../model/snapshot.js';
import type { Drawing } from './drawing.js';

export function drawVirtualService(d: Drawing, e: Exposure, vs: Custom, only?: ServiceRef): void {
  const id = `route:VirtualService/${e.namespace}/${e.name}`;
  d.node({
    id,
    kind: 'route',
    label: `${e.namespace}/${e.name}`,
    namespace: e.namespace,
    name: e.name,
    objectKind: 'VirtualService',
    implementation: 'istio',
    status: e.status,
    ...((e.hosts ?? []).length > 0 ? { details: [`hosts ${(e.hosts ?? []).join(', ')}`] } : {}),
  });
  const refs = virtualServiceGatewayRefs(vs);
  for (const ref of refs) {
    const gw = findIstioGateway(d.ctx, ref);
    const gwExposure = d.exposureOf('Gateway', 'istio', ref.namespace, ref.name);
    const gwId =
      gw && gwExposure
        ? drawIstioGateway(d, gwExposure, gw)
        : d.gatewayNode('Gateway', ref.namespace, ref.name, undefined, ['networking.istio.io']);
    d.edge(gwId, id, { label: (e.hosts ?? []).join(', ') || undefined });
  }
  for (const b of virtualServiceBackends(vs)) d.backend(id, b, only, false);
}

/** client -> address -> ingress gateway Service -> Gateway; returns the Gateway's node. */
export function drawIstioGateway(d: Drawing, e: Exposure, gw: Custom): string {
  const gwId = d.gatewayNode('Gateway', e.namespace ?? 'default', e.name, e, ['networking.istio.io']);
  const addr = d.address(e);
  d.edge(d.client(), addr, { label: e.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') });
  const fronts = ingressGatewayServices(d.ctx, gw);
  if (fronts.length === 0) d.edge(addr, gwId);
  for (const s of fronts) {
    const svcId = d.service({ namespace: nsOf(s), name: nameOf(s) });
    d.edge(addr, svcId, { label: 'ingress gateway Service' });
    d.edge(svcId, gwId, { label: 'gateway Pods (Envoy)' });
  }
  return gwId;
}
