// Small helpers shared by the analyzers: subjects, which Services are exposed, ports
// as text, and whether the absence of an object is a fact. Pure.
import { absentText as absentTextOf, type KindName } from '../discover/completeness.js';
import { absenceIsFact, nameOf, nsOf } from '../discover/context.js';
import { externalIPsOf, type PortSpec } from '../discover/service-ports.js';
import { readService } from '../discover/services.js';
import type { KubeObject, ObjectRef } from '../model/kube-object.js';
import type { Service } from '../model/snapshot.js';
import type { Facts } from './types.js';

// Moved to discover (paths.ts reads them too); re-exported for the analyzers.
export { externalIPsOf, type PortSpec, portsOf } from '../discover/service-ports.js';

export function subjectOf(o: KubeObject | { kind: string; metadata?: unknown }, namespaced = true): ObjectRef {
  return { kind: o.kind, namespace: namespaced ? nsOf(o) : null, name: nameOf(o) };
}

export function refText(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

// Readings of one Service (src/discover/services.ts); analyzers that have the context
// read the memoized serviceFact(ctx, svc) instead.
export const serviceType = (svc: Service): string => readService(svc).type;
export const trafficPolicy = (svc: Service): string => readService(svc).externalTrafficPolicy;

/** A Service that receives traffic from outside the cluster by itself: NodePort, LoadBalancer, or externalIPs. */
export function isExternallyExposed(svc: Service): boolean {
  const t = serviceType(svc);
  return t === 'NodePort' || t === 'LoadBalancer' || (t !== 'ExternalName' && externalIPsOf(svc).length > 0);
}

export const portsText = (ports: PortSpec[]): string => ports.map((p) => `${p.port}/${p.protocol}`).join(', ');

export const selectorOf = (svc: Service): Record<string, string> => readService(svc).selector;

/**
 * Whether the absence of an object of `kind` (in `namespace`) proves it is missing. In a
 * live cluster: for kinds the user could list (a forbidden kind is left empty), in the
 * namespace that was read. From files: where the input is complete for that kind
 * (src/discover/completeness.ts); such findings say "not in the input" (`absentText`).
 */
export function absenceProves(facts: Facts, kind: KindName, namespace?: string): boolean {
  if (!facts.ctx.live) return absenceIsFact(facts.ctx, kind, namespace);
  if (namespace !== undefined && facts.readNamespace !== undefined && namespace !== facts.readNamespace) return false;
  return !(facts.unreadableKinds ?? []).includes(kind.slice(kind.indexOf('/') + 1));
}

/** How a finding names a missing object: "does not exist" in a cluster, "is not in the input" from files. */
export function absentText(facts: Facts): { notFound: string; doesNotExist: string } {
  return absentTextOf(facts.ctx);
}

/** Whether a Service is the one `diagnose ... SERVICE` asks about (always true without SERVICE). */
export function isTarget(facts: Facts, namespace: string, name: string): boolean {
  return !facts.service || (facts.service.namespace === namespace && facts.service.name === name);
}

export function list(items: string[], max = 6): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The last version of each object (kind, namespace, name), in input order: files may hold alternatives, and kubectl apply leaves the last. */
export function latest<T extends { kind: string; metadata?: unknown }>(objects: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const o of objects) {
    const k = `${o.kind}|${nsOf(o)}|${nameOf(o)}`;
    byKey.delete(k);
    byKey.set(k, o);
  }
  return [...byKey.values()];
}
