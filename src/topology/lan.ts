// Pods on the LAN (Multus macvlan/ipvlan): client -> the Pod's LAN address -> the Pod,
// with no node, Service or proxy in between, so the client's address arrives as it left.
// The builder's pieces do the drawing; this file only knows the shape of the path. Pure.
import { nameOf, nsOf } from '../discover/context.js';
import { lanInterfaces } from '../discover/multus.js';
import type { Exposure } from '../model/exposure.js';
import type { Pod } from '../model/snapshot.js';
import type { Drawing } from './drawing.js';

export const LAN_NOTE = "the Pod's own interface on the LAN (Multus): no NAT, no proxy, the client address is kept";

export function drawLanPod(d: Drawing, e: Exposure, pod: Pod): void {
  const addr = d.address(e);
  d.edge(d.client(), addr, { label: e.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || undefined });
  const podId = `pod:${nsOf(pod)}/${nameOf(pod)}`;
  // The edge first, with its note: the Pod's own edge merges into it.
  d.edge(addr, podId, { label: e.implementation ?? 'LAN', note: LAN_NOTE });
  d.pod(addr, pod);
  const interfaces = lanInterfaces(d.ctx, pod);
  if (interfaces.length > 0)
    d.node({ id: podId, kind: 'pod', label: nameOf(pod), namespace: nsOf(pod), details: interfaces });
}
