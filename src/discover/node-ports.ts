// NodePorts as the API server allocates them. Pure.
//
// - The range: kube-apiserver's --service-node-port-range when its Pod is in the
//   snapshot, else the default 30000-32767.
// - Across Services, the allocator (pkg/registry/core/service/portallocator) is one
//   bitmap over port numbers: a nodePort held by one Service, for any protocol, is
//   "provided port is already allocated" for every other Service, whatever its protocol.
//   healthCheckNodePort comes from the same allocator.
// - Within one Service, validation (ValidateService, "Check for duplicate NodePorts,
//   considering (protocol,port) pairs") refuses the same nodePort twice for one protocol;
//   the same nodePort for TCP and UDP of one Service is allowed and allocated once.
import { arr, type DiscoveryContext, defineFacts, nameOf, nsOf, rec } from './context.js';
import { opensNodePorts, type ServiceFact, serviceFacts } from './services.js';

export interface NodePortRange {
  first: number;
  last: number;
  from: string;
}

export const DEFAULT_NODE_PORT_RANGE = { first: 30000, last: 32767 };

/** A nodePort two Services ask for: `second` is refused (the first in input order holds it). */
export interface NodePortCollision {
  nodePort: number;
  service: ServiceFact;
  /** How `service` asks for it, e.g. "80/TCP" or "healthCheckNodePort". */
  as: string;
  holder: ServiceFact;
  heldAs: string;
}

/** A nodePort one Service asks for twice with one protocol: validation refuses the Service. */
export interface NodePortDuplicate {
  nodePort: number;
  protocol: string;
  service: ServiceFact;
  /** The Service ports (port/protocol) that ask for it. */
  ports: string[];
}

export interface NodePortFacts {
  range: NodePortRange;
  /** Services that open nodePorts (NodePort, LoadBalancer), the last version of each. */
  services: ServiceFact[];
  collisions: NodePortCollision[];
  duplicates: NodePortDuplicate[];
}

function apiServerRange(ctx: DiscoveryContext): NodePortRange {
  for (const p of ctx.snapshot.pods) {
    for (const c of arr(rec(p.spec).containers).map(rec)) {
      for (const a of [...arr(c.command), ...arr(c.args)]) {
        const m = typeof a === 'string' ? /^--service-node-port-range=(\d+)-(\d+)$/.exec(a) : null;
        if (m)
          return {
            first: Number(m[1]),
            last: Number(m[2]),
            from: `--service-node-port-range of Pod ${nsOf(p)}/${nameOf(p)}`,
          };
      }
    }
  }
  return { ...DEFAULT_NODE_PORT_RANGE, from: 'the default range; kube-apiserver --service-node-port-range may differ' };
}

/** The nodePorts one Service takes from the allocator, each once, with how it asks for them. */
function allocations(s: ServiceFact): Array<{ nodePort: number; as: string }> {
  const out: Array<{ nodePort: number; as: string }> = [];
  for (const p of s.ports) {
    if (p.nodePort !== undefined && !out.some((o) => o.nodePort === p.nodePort))
      out.push({ nodePort: p.nodePort, as: `${p.port}/${p.protocol}` });
  }
  // kube-apiserver allocates healthCheckNodePort only for externalTrafficPolicy Local.
  if (
    s.type === 'LoadBalancer' &&
    s.externalTrafficPolicy === 'Local' &&
    s.healthCheckNodePort !== undefined &&
    !out.some((o) => o.nodePort === s.healthCheckNodePort)
  ) {
    out.push({ nodePort: s.healthCheckNodePort, as: 'healthCheckNodePort' });
  }
  return out;
}

function duplicatesOf(s: ServiceFact): NodePortDuplicate[] {
  const byKey = new Map<string, { nodePort: number; protocol: string; ports: string[] }>();
  for (const p of s.ports) {
    if (p.nodePort === undefined) continue;
    const k = `${p.nodePort}/${p.protocol}`;
    const e = byKey.get(k) ?? { nodePort: p.nodePort, protocol: p.protocol, ports: [] };
    e.ports.push(`${p.port}/${p.protocol}`);
    byKey.set(k, e);
  }
  return [...byKey.values()].filter((e) => e.ports.length > 1).map((e) => ({ ...e, service: s }));
}

export const nodePortFacts = defineFacts('node-ports', (ctx): NodePortFacts => {
  const services = serviceFacts(ctx).latest.filter(opensNodePorts);
  const holder = new Map<number, { service: ServiceFact; as: string }>();
  const collisions: NodePortCollision[] = [];
  for (const s of services) {
    for (const a of allocations(s)) {
      const held = holder.get(a.nodePort);
      if (!held) {
        holder.set(a.nodePort, { service: s, as: a.as });
        continue;
      }
      collisions.push({ nodePort: a.nodePort, service: s, as: a.as, holder: held.service, heldAs: held.as });
    }
  }
  return { range: apiServerRange(ctx), services, collisions, duplicates: services.flatMap(duplicatesOf) };
});
