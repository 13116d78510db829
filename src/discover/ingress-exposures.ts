// Exposures made by Ingresses: one `ingress` row per Ingress. Pure.
//
// - service: spec.defaultBackend's Service, else the first rule path's Service (null
//   when the backend is a resource); hosts: every rule and TLS host.
// - ports: 80/TCP, plus 443/TCP when the Ingress has a TLS section (the controller's
//   listening ports; per-path backends are for `describe`).
// - class: spec.ingressClassName -> that IngressClass; else the legacy annotation
//   kubernetes.io/ingress.class (an IngressClass of that name, else the controller the
//   value conventionally names: nginx -> ingress-nginx, haproxy -> haproxy, ...); else
//   the IngressClass annotated ingressclass.kubernetes.io/is-default-class=true.
// - implementation: from the class's spec.controller (k8s.io/ingress-nginx ->
//   ingress-nginx, haproxy controllers -> haproxy, ...; an unknown controller is shown
//   as its controller name). When the class is not in the input (files), the
//   conventional class name is used as a hint (nginx -> ingress-nginx).
// - addresses: status.loadBalancer.ingress (published by the controller).
// - sourceIP: that of the controller's own fronts when evident, else unknown (see source-ip.ts).
import type { Exposure, ExposurePort } from '../model/exposure.js';
import type { Ingress, IngressClass } from '../model/snapshot.js';
import {
  absenceIsFact, annotationsOf, arr, type DiscoveryContext, findService, nameOf, nsOf, rec, specOf, statusOf, str, uniq,
} from './context.js';
import { serviceEndpoints } from './endpoints.js';
import { ingressControllerSourceIP } from './source-ip.js';
import { judgeEndpoints, StatusBuilder } from './status.js';

const INGRESS_CONTROLLERS: Array<[RegExp, string]> = [
  [/^k8s\.io\/ingress-nginx$/, 'ingress-nginx'],
  [/haproxy/i, 'haproxy'], // haproxy-ingress.github.io/controller, haproxy.org/ingress-controller/haproxy
  [/^nginx\.org\//, 'nginx'],
  [/traefik/i, 'traefik'],
  [/^projectcontour\.io\//, 'contour'],
  [/konghq\.com/, 'kong'],
  [/^istio\.io\//, 'istio'],
  [/^cilium\.io\//, 'cilium'],
  [/^k8s\.io\/ingress-gce$/, 'gce'],
  [/^ingress\.k8s\.aws\/alb$/, 'aws-load-balancer-controller'],
];

/** Conventional class names (legacy annotation values, default class names) and the controller they mean. */
const INGRESS_CLASS_NAMES: Record<string, string> = {
  nginx: 'ingress-nginx', 'ingress-nginx': 'ingress-nginx', haproxy: 'haproxy', 'haproxy-ingress': 'haproxy',
  traefik: 'traefik', contour: 'contour', kong: 'kong', istio: 'istio', cilium: 'cilium', gce: 'gce', alb: 'aws-load-balancer-controller',
};

export function ingressImplementation(controller: string): string {
  return INGRESS_CONTROLLERS.find(([re]) => re.test(controller))?.[1] ?? controller;
}

export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

interface ClassResolution {
  implementation: string | null;
  className: string | null;
  /** The IngressClass's spec.controller, when the class is known. */
  controller: string | null;
}

function resolveClass(ctx: DiscoveryContext, ing: Ingress, b: StatusBuilder): ClassResolution {
  const classes = ctx.snapshot.ingressClasses;
  const find = (n: string): IngressClass | undefined => classes.find((c) => nameOf(c) === n);
  const fromClass = (c: IngressClass) => {
    const controller = str(specOf(c)['controller']);
    return { implementation: controller ? ingressImplementation(controller) : null, className: nameOf(c), controller: controller ?? null };
  };
  const named = str(specOf(ing)['ingressClassName']);
  if (named) {
    const c = find(named);
    if (c) return fromClass(c);
    if (absenceIsFact(ctx)) {
      b.broken.push(`IngressClass ${named} not found`);
      return { implementation: null, className: named, controller: null };
    }
    b.unknown.push(`IngressClass ${named} not in the input`);
    return { implementation: INGRESS_CLASS_NAMES[named] ?? null, className: named, controller: null };
  }
  const legacy = annotationsOf(ing)[LEGACY_CLASS_ANNOTATION];
  if (legacy) {
    const c = find(legacy);
    if (c) return fromClass(c);
    return { implementation: INGRESS_CLASS_NAMES[legacy] ?? null, className: legacy, controller: null };
  }
  const defaults = classes.filter((c) => annotationsOf(c)[DEFAULT_CLASS_ANNOTATION] === 'true');
  if (defaults.length === 1) return fromClass(defaults[0]!);
  if (defaults.length > 1) {
    b.broken.push(`no class named and ${defaults.length} IngressClasses are marked default (${defaults.map(nameOf).join(', ')})`);
    return { implementation: null, className: null, controller: null };
  }
  if (absenceIsFact(ctx)) b.broken.push('no IngressClass named and no default IngressClass');
  else b.unknown.push('no IngressClass named, and no IngressClass in the input');
  return { implementation: null, className: null, controller: null };
}

interface Backend { service?: { name?: string }; resource?: { kind?: string; name?: string } }

function backendOf(v: unknown): Backend | undefined {
  const b = rec(v);
  const svc = rec(b['service']);
  const res = rec(b['resource']);
  if (str(svc['name'])) return { service: { name: str(svc['name'])! } };
  if (Object.keys(res).length > 0) return { resource: { kind: str(res['kind']) ?? 'resource', name: str(res['name']) ?? '' } };
  return undefined;
}

function firstBackend(ing: Ingress): Backend | undefined {
  const spec = specOf(ing);
  const def = backendOf(spec['defaultBackend']);
  if (def) return def;
  for (const rule of arr(spec['rules']).map(rec)) {
    for (const path of arr(rec(rule['http'])['paths']).map(rec)) {
      const b = backendOf(path['backend']);
      if (b) return b;
    }
  }
  return undefined;
}

export function ingressExposure(ctx: DiscoveryContext, ing: Ingress): Exposure {
  const ns = nsOf(ing);
  const b = new StatusBuilder();
  const { implementation, className, controller } = resolveClass(ctx, ing, b);
  const backend = firstBackend(ing);
  const serviceName = backend?.service?.name;
  const service = serviceName ? { namespace: ns, name: serviceName } : null;
  let endpoints = null;
  if (serviceName) {
    const svc = findService(ctx, ns, serviceName);
    if (svc) {
      const facts = serviceEndpoints(ctx, svc);
      endpoints = facts.endpoints;
      judgeEndpoints(b, facts, `backend Service ${ns}/${serviceName}`, ctx.live);
    } else if (ctx.live) {
      b.broken.push(`backend Service ${ns}/${serviceName} not found`);
    } else {
      b.unknown.push(`backend Service ${ns}/${serviceName} not in the input`);
    }
  } else if (backend?.resource) {
    b.notes.push(`backend is a ${backend.resource.kind ?? 'resource'} ${backend.resource.name ?? ''}`.trim());
  } else {
    b.broken.push('no backend');
  }
  const addresses = uniq(arr(rec(statusOf(ing)['loadBalancer'])['ingress']).map(rec)
    .flatMap((i) => [str(i['ip']), str(i['hostname'])].filter((x): x is string => !!x)));
  if (addresses.length === 0) {
    // Exported with `kubectl get -o yaml`, the status is there (possibly empty): a live fact.
    if (ctx.live || 'loadBalancer' in statusOf(ing)) b.pending.push('the controller has not published an address');
    else b.unknown.push('address published by the controller (no status in the input)');
  }
  const tlsSections = arr(specOf(ing)['tls']).map(rec);
  const tls = tlsSections.length > 0;
  const ports: ExposurePort[] = [{ port: 80, protocol: 'TCP' }, ...(tls ? [{ port: 443, protocol: 'TCP' }] : [])];
  const hosts = uniq([
    ...arr(specOf(ing)['rules']).map((r) => str(rec(r)['host'])).filter((h): h is string => !!h),
    ...tlsSections.flatMap((t) => arr(t['hosts']).filter((h): h is string => typeof h === 'string')),
  ]);
  return {
    namespace: ns, name: nameOf(ing), kind: 'Ingress', service, mode: 'ingress', implementation,
    addresses, ports, endpoints, sourceIP: ingressControllerSourceIP(ctx, implementation, className, controller),
    ...b.result(), ...(hosts.length > 0 ? { hosts } : {}),
  };
}
