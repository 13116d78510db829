// Emissary-ingress's path: client -> address -> Emissary Service -> Host or Mapping ->
// Service -> Pods. The builder's pieces do the drawing; this file only knows how a Mapping
// and a Host lead there. Pure.
import { nameOf, nsOf } from '../discover/context.js';
import { emissaryServices, mappingBackend } from '../discover/emissary.js';
import type { Exposure, ServiceRef } from '../model/exposure.js';
import type { Custom } from '../model/snapshot.js';
import type { Drawing } from './drawing.js';

/** client -> address -> Emissary Service -> the object's node; returns that node. */
function front(d: Drawing, e: Exposure): string {
  const hosts = e.hosts ?? [];
  const id = d.gatewayNode(e.kind, e.namespace ?? 'default', e.name, e, [
    'getambassador.io',
    ...(hosts.length > 0 ? [`hostname ${hosts.join(', ')}`] : []),
  ]);
  const addr = d.address(e);
  d.edge(d.client(), addr, { label: e.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || undefined });
  const fronts = emissaryServices(d.ctx);
  if (fronts.length === 0) d.edge(addr, id);
  for (const s of fronts) {
    const svcId = d.service({ namespace: nsOf(s), name: nameOf(s) });
    d.edge(addr, svcId, { label: 'Emissary Service' });
    d.edge(svcId, id, { label: 'Emissary Pods (Envoy)' });
  }
  return id;
}

export function drawEmissaryHost(d: Drawing, e: Exposure): void {
  front(d, e);
}

export function drawMapping(d: Drawing, e: Exposure, mapping: Custom, only?: ServiceRef): void {
  const b = mappingBackend(mapping);
  if (only && (!b || b.namespace !== only.namespace || b.service !== only.name)) return;
  const id = front(d, e);
  if (b) d.backend(id, b, only, false);
}
