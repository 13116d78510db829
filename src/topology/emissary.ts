// Emissary-ingress's path: client -> address -> Emissary Service -> Host or Mapping ->
// Service -> Pods. The builder's pieces do the drawing; this file only knows how a Mapping
// and a Host lead there. Pure.
import type { ServiceBackend } from '../discover/backends.js';
import type { DiscoveryContext } from '../discover/context.js';
import { nameOf, nsOf } from '../discover/context.js';
import { emissaryServices, mappingBackend } from '../discover/emissary.js';
import type { Exposure, ServiceRef } from '../model/exposure.js';
import type { Custom } from '../model/snapshot.js';

/** What the topology builder offers (its methods, so that this file needs no access to its class). */
export interface EmissaryDrawing {
  ctx: DiscoveryContext;
  client(): string;
  address(e: Exposure): string;
  service(ref: ServiceRef, status?: Exposure['status']): string;
  gatewayNode(kind: string, namespace: string, name: string, e: Exposure | undefined, details?: string[]): string;
  backend(fromId: string, b: ServiceBackend, only: ServiceRef | undefined, stream: boolean): void;
  edge(from: string, to: string, e?: Record<string, unknown>): void;
}

/** client -> address -> Emissary Service -> the object's node; returns that node. */
function front(d: EmissaryDrawing, e: Exposure): string {
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

export function drawEmissaryHost(d: EmissaryDrawing, e: Exposure): void {
  front(d, e);
}

export function drawMapping(d: EmissaryDrawing, e: Exposure, mapping: Custom, only?: ServiceRef): void {
  const b = mappingBackend(mapping);
  if (only && (!b || b.namespace !== only.namespace || b.service !== only.name)) return;
  const id = front(d, e);
  if (b) d.backend(id, b, only, false);
}
