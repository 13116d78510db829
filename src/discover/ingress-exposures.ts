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
// - status: broken when the controllers of the input all leave the Ingress out by their own
//   flags (ingress-facts.ts `serving`), or when it predates the default class.
// - addresses: status.loadBalancer.ingress (published by the controller).
// - sourceIP: that of the controller's own fronts when evident, else unknown (see source-ip.ts).
import type { Exposure, ExposurePort } from '../model/exposure.js';
import type { Ingress } from '../model/snapshot.js';
import { absenceIsFact, arr, type DiscoveryContext, findService, nameOf, nsOf, rec, specOf, str } from './context.js';
import { serviceEndpoints } from './endpoints.js';
import { controllerRef } from './ingress-controllers.js';
import { type IngressClassFact, type IngressServing, ingressFactOf } from './ingress-facts.js';
import { ingressControllerSourceIP } from './source-ip.js';
import { judgeEndpoints, StatusBuilder } from './status.js';

/** The class's implementation and controller, with what the resolution tells about the row's status. */
function judgeClass(
  ctx: DiscoveryContext,
  c: IngressClassFact,
  serving: IngressServing,
  b: StatusBuilder,
): { implementation: string | null; className: string | null; controller: string | null } {
  if (serving.verdict === 'unserved')
    b.broken.push(
      `no controller takes it (${serving.verdicts.map((v) => `${controllerRef(v.controller)}: ${v.why}`).join('; ')})`,
    );
  // A controller that takes Ingresses without a class (Traefik, Contour, ingress-nginx with --watch-ingress-without-class).
  const taker = serving.verdicts.find((v) => v.takes)?.controller;
  if (c.via === 'none' && taker) return { implementation: taker.kind, className: null, controller: null };
  if (c.found || c.via === 'default' || c.via === 'annotation')
    return { implementation: c.implementation, className: c.className, controller: c.controller };
  if (c.via === 'ingressClassName') {
    if (absenceIsFact(ctx, 'IngressClass')) {
      b.broken.push(`IngressClass ${c.className} ${ctx.live ? 'not found' : 'not in the input'}`);
      return { implementation: null, className: c.className, controller: null };
    }
    b.unknown.push(`IngressClass ${c.className} not in the input`);
    return { implementation: c.implementation, className: c.className, controller: null };
  }
  if (c.defaults.length > 1)
    b.broken.push(
      `no class named and ${c.defaults.length} IngressClasses are marked default (${c.defaults.map(nameOf).join(', ')})`,
    );
  else if (c.defaultSkipped) {
    if (serving.verdict !== 'unserved') b.broken.push(`no class: ${c.defaultSkipped.why}`);
  } else if (absenceIsFact(ctx, 'IngressClass')) {
    if (serving.verdict !== 'unserved')
      b.broken.push(`no IngressClass named and no default IngressClass${ctx.live ? '' : ' in the input'}`);
  } else b.unknown.push('no IngressClass named, and no IngressClass in the input');
  return { implementation: null, className: null, controller: null };
}

interface Backend {
  service?: { name?: string };
  resource?: { kind?: string; name?: string };
}

function backendOf(v: unknown): Backend | undefined {
  const b = rec(v);
  const svc = rec(b.service);
  const res = rec(b.resource);
  if (str(svc.name)) return { service: { name: str(svc.name)! } };
  if (Object.keys(res).length > 0)
    return { resource: { kind: str(res.kind) ?? 'resource', name: str(res.name) ?? '' } };
  return undefined;
}

function firstBackend(ing: Ingress): Backend | undefined {
  const spec = specOf(ing);
  const def = backendOf(spec.defaultBackend);
  if (def) return def;
  for (const rule of arr(spec.rules).map(rec)) {
    for (const path of arr(rec(rule.http).paths).map(rec)) {
      const b = backendOf(path.backend);
      if (b) return b;
    }
  }
  return undefined;
}

export function ingressExposure(ctx: DiscoveryContext, ing: Ingress): Exposure {
  const ns = nsOf(ing);
  const b = new StatusBuilder();
  const fact = ingressFactOf(ctx, ing);
  const { implementation, className, controller } = judgeClass(ctx, fact.cls, fact.serving, b);
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
    } else if (absenceIsFact(ctx, 'Service', ns)) {
      b.broken.push(`backend Service ${ns}/${serviceName} ${ctx.live ? 'not found' : 'not in the input'}`);
    } else {
      b.unknown.push(`backend Service ${ns}/${serviceName} not in the input`);
    }
  } else if (backend?.resource) {
    b.notes.push(`backend is a ${backend.resource.kind ?? 'resource'} ${backend.resource.name ?? ''}`.trim());
  } else {
    b.broken.push('no backend');
  }
  const addresses = fact.addresses;
  if (addresses.length === 0) {
    // Exported with `kubectl get -o yaml`, the status is there (possibly empty): a live fact.
    if (ctx.live || fact.hasLoadBalancerStatus) b.pending.push('the controller has not published an address');
    else b.unknown.push('address published by the controller (no status in the input)');
  }
  const ports: ExposurePort[] = [
    { port: 80, protocol: 'TCP' },
    ...(fact.tls.length > 0 ? [{ port: 443, protocol: 'TCP' }] : []),
  ];
  const hosts = fact.hosts;
  return {
    namespace: ns,
    name: nameOf(ing),
    kind: 'Ingress',
    service,
    mode: 'ingress',
    implementation,
    addresses,
    ports,
    endpoints,
    sourceIP: ingressControllerSourceIP(ctx, implementation, className, controller),
    ...b.result(),
    ...(hosts.length > 0 ? { hosts } : {}),
  };
}
