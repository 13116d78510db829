// The path starts at the name: client -> DNS name -> address, for the names external-dns
// publishes (src/discover/external-dns.ts) that point at an address already drawn. The
// client's hop to such an address goes through its names; addresses no name points at
// keep their direct hop. Pure.
import type { DiscoveryContext } from '../discover/context.js';
import { type DnsName, dnsFacts } from '../discover/external-dns.js';
import type { GraphBuilder } from './graph.js';

export function drawDnsNames(g: GraphBuilder, ctx: DiscoveryContext, clientId: string): void {
  const names = dnsFacts(ctx).names.filter((n) => n.scope === 'external');
  if (names.length === 0) return;
  for (const addr of g.nodesOfKind('address')) {
    const here = new Set(addr.addresses ?? []);
    const pointing = names.filter((n) => n.targets.some((t) => here.has(t)));
    if (pointing.length === 0) continue;
    const direct = g.removeEdge(clientId, addr.id);
    for (const n of pointing) {
      const id = nameNode(g, n);
      g.edge(clientId, id);
      g.edge(id, addr.id, {
        label: [n.targets.filter((t) => here.has(t)).join(', '), direct?.label].filter(Boolean).join(' · '),
      });
    }
  }
}

function nameNode(g: GraphBuilder, n: DnsName): string {
  const id = `name:${n.name}`;
  g.node({
    id,
    kind: 'name',
    label: n.name,
    namespace: null,
    addresses: n.targets,
    details: [
      `from ${n.source.kind} ${n.source.namespace}/${n.source.name} (${n.field})`,
      ...(n.ttl !== undefined ? [`ttl ${n.ttl}s`] : []),
      `targets ${n.targets.join(', ') || 'none'}`,
    ],
  });
  return id;
}
