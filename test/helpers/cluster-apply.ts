// What the API server holds after `expose` applies its plan to a cluster, for tests that
// diagnose the result: the plan's objects replace the cluster's objects of the same
// identity, merged as server-side apply merges them (maps field by field, Service ports
// by port and protocol, other lists replaced), and new LoadBalancer Services get the
// address the implementation would assign. Also: where each generated object carries
// the sticky timeout.
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/model/kube-object.js';

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');
const identity = (o: KubeObject) =>
  `${groupOf(o.apiVersion)}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function portKey(p: unknown): string {
  const r = p as { port?: number; protocol?: string };
  return `${r.port}/${r.protocol ?? 'TCP'}`;
}

/** Server-side apply of `patch` over `live`: maps merge, Service ports merge by key, other lists are replaced. */
function merge(live: unknown, patch: unknown, path: string): unknown {
  if (isMap(live) && isMap(patch)) {
    const out: Json = { ...live };
    for (const [k, v] of Object.entries(patch)) out[k] = k in live ? merge(live[k], v, `${path}.${k}`) : v;
    return out;
  }
  if (path === '.spec.ports' && Array.isArray(live) && Array.isArray(patch)) {
    const byKey = new Map(patch.map((p) => [portKey(p), p]));
    const merged = live.map((p) => (byKey.has(portKey(p)) ? merge(p, byKey.get(portKey(p)), `${path}[]`) : p));
    const known = new Set(live.map(portKey));
    return [...merged, ...patch.filter((p) => !known.has(portKey(p)))];
  }
  return patch;
}

/** The first address of the pool annotation or the requested one: what MetalLB or Calico would assign. */
function assignedStatus(o: KubeObject): Json | undefined {
  const spec = (o.spec ?? {}) as Json;
  if (spec.type !== 'LoadBalancer') return undefined;
  const requested =
    (spec.loadBalancerIP as string | undefined) ??
    o.metadata.annotations?.['metallb.io/loadBalancerIPs'] ??
    o.metadata.annotations?.['metallb.universe.tf/loadBalancerIPs'];
  return { loadBalancer: { ingress: [{ ip: requested?.split(',')[0] ?? '203.0.113.1' }] } };
}

export function applyAsCluster(cluster: KubeObject[], applied: KubeObject[]): KubeObject[] {
  const out = [...cluster];
  for (const a of applied) {
    const i = out.findIndex((o) => identity(o) === identity(a));
    if (i >= 0) {
      const merged = merge(out[i], a, '') as KubeObject;
      const status = merged.status === undefined ? assignedStatus(merged) : undefined;
      out[i] = status ? { ...merged, status } : merged;
    } else {
      const status = assignedStatus(a);
      out.push(status ? { ...a, status } : a);
    }
  }
  return out;
}

/** Multi-document YAML (as `expose -o yaml` prints it) to objects. */
export function objectsOfYAML(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

export interface CarriedTimeout {
  where: string;
  seconds: number;
}

const seconds = (v: unknown) => (typeof v === 'string' ? Number(/^(\d+)s?$/.exec(v)?.[1] ?? Number.NaN) : Number(v));

/** Every sticky timeout the objects carry, and where (Service affinity, proxy config, cookie lifetimes). */
export function stickyTimeoutsOf(objects: KubeObject[]): CarriedTimeout[] {
  const out: CarriedTimeout[] = [];
  for (const o of objects) {
    const name = `${o.kind} ${o.metadata.name}`;
    const spec = (o.spec ?? {}) as Json;
    const clientIP = ((spec.sessionAffinityConfig as Json | undefined)?.clientIP ?? {}) as Json;
    if (clientIP.timeoutSeconds !== undefined)
      out.push({ where: `${name} sessionAffinityConfig`, seconds: seconds(clientIP.timeoutSeconds) });
    for (const [k, v] of Object.entries(o.metadata.annotations ?? {}))
      if (/session-cookie-max-age$|sticky\.cookie\.maxage$/.test(k))
        out.push({ where: `${name} annotation ${k}`, seconds: seconds(v) });
    for (const rule of (spec.rules as Json[] | undefined) ?? []) {
      const sp = rule.sessionPersistence as Json | undefined;
      if (sp?.absoluteTimeout !== undefined)
        out.push({ where: `${name} sessionPersistence`, seconds: seconds(sp.absoluteTimeout) });
    }
    for (const [file, text] of Object.entries((o as { data?: Record<string, string> }).data ?? {}))
      for (const m of text.matchAll(/^\s*stick-table\b.*\bexpire\s+(\d+)s\b/gm))
        out.push({ where: `${name} ${file} stick-table`, seconds: Number(m[1]) });
  }
  return out;
}
