// Which Services an Ingress or a Gateway API route sends traffic to: one walk for the
// analyzers (field paths in findings), the topology (host/path on edges) and the
// source-ip probe. Pure; tolerant of malformed manifests.

import type { Ingress } from '../model/snapshot.js';
import { arr, nsOf, portNumber, rec, specOf, str } from './context.js';
import { backendRefsOf, isServiceRef, type RouteFact } from './gateway-api.js';

export interface ServiceBackend {
  namespace: string;
  service: string;
  port: { number?: number; name?: string };
  /** Where the backend is written, for findings: `spec.rules[0].http.paths[1] (/api)`. */
  field: string;
  /** Which traffic it gets, for diagrams: `shop.example/api`, `default`, a route's first path or `rule 2`. */
  match: string;
  /** An Ingress rule path's own path (`/api`); absent for the default backend and routes. */
  path?: string;
}

/** A proxy's ports with the backend's port as targetPort (a port number only: a name is the Service's to resolve). */
export function withBackendPort<P extends object>(ports: P[], backend: ServiceBackend | undefined): P[] {
  const n = backend?.port.number;
  return n === undefined ? ports : ports.map((p) => ({ ...p, targetPort: n }));
}

/** Every Service backend of an Ingress: the default backend and each rule path. */
export function ingressBackends(ing: Ingress): ServiceBackend[] {
  const namespace = nsOf(ing);
  const out: ServiceBackend[] = [];
  const add = (b: unknown, field: string, match: string, path?: string) => {
    const svc = rec(rec(b).service);
    const service = str(svc.name);
    if (!service) return;
    const port = rec(svc.port);
    const number = portNumber(port.number);
    const name = str(port.name);
    out.push({
      namespace,
      service,
      port: { ...(number !== undefined ? { number } : {}), ...(name ? { name } : {}) },
      field,
      match,
      ...(path !== undefined ? { path } : {}),
    });
  };
  const spec = specOf(ing);
  add(spec.defaultBackend, 'spec.defaultBackend', 'default');
  arr(spec.rules)
    .map(rec)
    .forEach((rule, i) => {
      const host = str(rule.host);
      arr(rec(rule.http).paths)
        .map(rec)
        .forEach((p, j) => {
          const path = str(p.path) ?? '/';
          add(
            p.backend,
            `spec.rules[${i}]${host ? ` (host ${host})` : ''}.http.paths[${j}] (${path})`,
            `${host ?? '*'}${path}`,
            path,
          );
        });
    });
  return out;
}

/** Every backendRef of a route that points at a core Service. */
export function routeBackends(route: RouteFact): ServiceBackend[] {
  return backendRefsOf(route)
    .filter(isServiceRef)
    .map((ref) => ({
      namespace: ref.namespace,
      service: ref.name,
      port: ref.port !== undefined ? { number: ref.port } : {},
      field: ref.field,
      match: ref.match,
    }));
}

/** Does the backend send to this Service? */
export function sendsTo(b: ServiceBackend, ref: { namespace: string; name: string }): boolean {
  return b.namespace === ref.namespace && b.service === ref.name;
}
