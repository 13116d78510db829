// Which Gateways a route hangs off, which Service an exposectl hostNetwork gateway sends
// traffic to, and how a backend edge is labelled. Pure; tolerant of malformed manifests.
import type { ServiceBackend } from '../discover/backends.js';
import { arr, labelsOf, nsOf, rec, specOf, str } from '../discover/context.js';
import type { Custom, Workload } from '../model/snapshot.js';

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

export interface ParentGateway {
  namespace: string;
  name: string;
  sectionName?: string;
}

/** The Gateways a route names as parents (GAMMA parents, Services and Meshes, are not gateways). */
export function routeParents(route: Custom): ParentGateway[] {
  const ns = nsOf(route);
  return arr(specOf(route)['parentRefs']).map(rec)
    .filter((r) => (str(r['group']) ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && (str(r['kind']) ?? 'Gateway') === 'Gateway' && str(r['name']))
    .map((r) => ({ namespace: str(r['namespace']) ?? ns, name: str(r['name'])!, ...(str(r['sectionName']) ? { sectionName: str(r['sectionName'])! } : {}) }));
}

/** The edge label of a backend: what traffic it gets, and the port. */
export function backendLabel(b: ServiceBackend): string {
  const port = b.port.number ?? b.port.name;
  return `${b.match}${port !== undefined ? ` -> :${port}` : ''}`;
}

/** Routes that carry raw TCP/UDP/TLS streams: the backend sees the proxy's address unless it sends PROXY protocol. */
export function isStreamRoute(kind: string): boolean {
  return kind === 'TCPRoute' || kind === 'TLSRoute' || kind === 'UDPRoute';
}

/**
 * The Service an exposectl hostNetwork/hostPort gateway forwards to: `expose --mode
 * hostnetwork` labels what it creates with exposectl.dev/service (and -namespace).
 * Other hostNetwork proxies' targets are in their configuration, which the snapshot
 * does not carry: undefined.
 */
export function workloadTarget(w: Workload): { namespace: string; name: string } | undefined {
  const l = labelsOf(w);
  const name = l['exposectl.dev/service'];
  if (!name) return undefined;
  return { namespace: l['exposectl.dev/service-namespace'] ?? nsOf(w), name };
}
