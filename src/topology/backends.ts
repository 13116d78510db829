// Which Services an Ingress, a route or an exposectl hostNetwork gateway sends traffic
// to, and which Gateways a route hangs off. Pure; tolerant of malformed manifests.
import { arr, labelsOf, nsOf, portNumber, rec, specOf, str } from '../discover/context.js';
import type { Custom, Ingress, Workload } from '../model/snapshot.js';

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

export interface Backend {
  namespace: string;
  service: string;
  /** host/path (Ingress), rule (routes) and port, for the edge label. */
  label: string;
}

function portText(v: unknown): string {
  const p = rec(v);
  const n = portNumber(p['number']);
  if (n !== undefined) return String(n);
  return str(p['name']) ?? '';
}

/** Every Service backend of an Ingress: the default backend and each rule path. */
export function ingressBackends(ing: Ingress): Backend[] {
  const ns = nsOf(ing);
  const out: Backend[] = [];
  const add = (b: unknown, where: string) => {
    const svc = rec(rec(b)['service']);
    const name = str(svc['name']);
    if (!name) return;
    const port = portText(svc['port']);
    out.push({ namespace: ns, service: name, label: `${where}${port ? ` -> :${port}` : ''}` });
  };
  const spec = specOf(ing);
  add(spec['defaultBackend'], 'default');
  for (const rule of arr(spec['rules']).map(rec)) {
    const host = str(rule['host']) ?? '*';
    for (const p of arr(rec(rule['http'])['paths']).map(rec)) add(p['backend'], `${host}${str(p['path']) ?? '/'}`);
  }
  return out;
}

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

/** Every Service backendRef of every rule of a route. */
export function routeBackends(route: Custom): Backend[] {
  const ns = nsOf(route);
  const out: Backend[] = [];
  arr(specOf(route)['rules']).map(rec).forEach((rule, i) => {
    for (const ref of arr(rule['backendRefs']).map(rec)) {
      if ((str(ref['group']) ?? '') !== '' || (str(ref['kind']) ?? 'Service') !== 'Service' || !str(ref['name'])) continue;
      const port = portNumber(ref['port']);
      const matches = arr(rule['matches']).map(rec);
      const path = str(rec(matches[0]?.['path'])['value']);
      out.push({ namespace: str(ref['namespace']) ?? ns, service: str(ref['name'])!, label: `${path ?? `rule ${i + 1}`}${port ? ` -> :${port}` : ''}` });
    }
  });
  return out;
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
