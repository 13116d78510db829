// ingress/*: Ingresses and routes that no controller serves, backends and TLS Secrets
// that do not exist, and Ingresses served by the retired ingress-nginx. Pure.
import { annotationsOf, arr, findService, nameOf, nsOf, rec, specOf, str } from '../discover/context.js';
import { DEFAULT_CLASS_ANNOTATION, ingressExposure, LEGACY_CLASS_ANNOTATION } from '../discover/ingress-exposures.js';
import type { Finding } from '../model/finding.js';
import type { Ingress } from '../model/snapshot.js';
import { finding } from './codes.js';
import { ingressBackends, routeBackends } from '../discover/backends.js';
import type { Analyzer } from './types.js';
import { absenceProves, list, portsOf, subjectOf } from './util.js';
import { shellCommand } from '../util/shell-quote.js';

const ingRef = (i: Ingress) => `Ingress ${nsOf(i)}/${nameOf(i)}`;

const controller: Analyzer = {
  name: 'ingress-class',
  check: 'ingress',
  codes: ['ingress/no-controller'],
  inputs: ['snapshot'],
  description: 'Every Ingress names an existing IngressClass, or there is exactly one default class.',
  analyze(facts) {
    const out: Finding[] = [];
    const classes = facts.snapshot.ingressClasses;
    const known = absenceProves(facts, 'IngressClass');
    const defaults = classes.filter((c) => annotationsOf(c)[DEFAULT_CLASS_ANNOTATION] === 'true');
    for (const ing of facts.snapshot.ingresses) {
      const named = str(specOf(ing)['ingressClassName']);
      if (named) {
        if (classes.some((c) => nameOf(c) === named) || !known) continue;
        out.push(finding('ingress/no-controller', subjectOf(ing),
          `${ingRef(ing)} names IngressClass ${named}, which does not exist: no controller serves it, so its hosts and paths are not routed.`,
          `Set spec.ingressClassName of ${ingRef(ing)} to an existing class (${list(classes.map(nameOf)) || 'none exists: install an ingress controller'}), or create IngressClass ${named}.`));
        continue;
      }
      if (annotationsOf(ing)[LEGACY_CLASS_ANNOTATION]) continue; // controllers match the legacy annotation by name
      if (defaults.length === 1) continue;
      if (defaults.length > 1) {
        out.push(finding('ingress/no-controller', subjectOf(ing),
          `${ingRef(ing)} names no class and ${defaults.length} IngressClasses are marked default (${list(defaults.map(nameOf))}): the API server refuses new Ingresses without a class and the controllers disagree on who serves it.`,
          `Set spec.ingressClassName on ${ingRef(ing)}, and keep ${DEFAULT_CLASS_ANNOTATION}: "true" on one class only.`));
        continue;
      }
      if (!known) continue;
      out.push(finding('ingress/no-controller', subjectOf(ing),
        `${ingRef(ing)} names no IngressClass and no class is the default: no controller serves it, so its hosts and paths are not routed.`,
        `Set spec.ingressClassName of ${ingRef(ing)} to ${classes.length > 0 ? `one of ${list(classes.map(nameOf))}` : 'the class of an installed controller'}, or mark one class with ${DEFAULT_CLASS_ANNOTATION}: "true".`));
    }
    return out;
  },
};

function missingPort(svcPorts: ReturnType<typeof portsOf>, port: { number?: number; name?: string }): string | undefined {
  if (port.number !== undefined) return svcPorts.some((p) => p.port === port.number) ? undefined : `port ${port.number}`;
  if (port.name !== undefined) return svcPorts.some((p) => p.name === port.name) ? undefined : `port named ${port.name}`;
  return undefined;
}

const backends: Analyzer = {
  name: 'ingress-backends',
  check: 'ingress',
  codes: ['ingress/backend-missing'],
  inputs: ['snapshot'],
  description: 'Ingress and route backends name existing Services and ports.',
  analyze(facts) {
    const out: Finding[] = [];
    const check = (subject: Finding['subject'], what: string, ns: string, name: string, port: { number?: number; name?: string }, where: string) => {
      const svc = findService(facts.ctx, ns, name);
      if (!svc) {
        if (!absenceProves(facts, 'Service', ns)) return;
        out.push(finding('ingress/backend-missing', subject,
          `${what} sends ${where} to Service ${ns}/${name}, which does not exist: those requests get an error from the proxy (503/404/500).`,
          `Create Service ${ns}/${name}, or point ${where} at an existing Service.`));
        return;
      }
      const miss = missingPort(portsOf(svc), port);
      if (!miss) return;
      out.push(finding('ingress/backend-missing', subject,
        `${what} sends ${where} to ${miss} of Service ${ns}/${name}, which has no such port (${portsOf(svc).map((p) => `${p.name ? `${p.name}=` : ''}${p.port}/${p.protocol}`).join(', ') || 'no ports'}): those requests get an error from the proxy.`,
        `Set the backend port of ${where} to one of the Service's ports (${portsOf(svc).map((p) => p.name ?? String(p.port)).join(', ') || 'none'}), or add ${miss} to Service ${ns}/${name}.`));
    };
    for (const ing of facts.snapshot.ingresses) {
      for (const b of ingressBackends(ing)) check(subjectOf(ing), ingRef(ing), b.namespace, b.service, b.port, b.field);
    }
    for (const r of facts.snapshot.routes) {
      for (const b of routeBackends(r)) {
        check(subjectOf(r), `${r.kind} ${nsOf(r)}/${nameOf(r)}`, b.namespace, b.service, b.port, b.field);
      }
    }
    return out;
  },
};

const tls: Analyzer = {
  name: 'ingress-tls-secrets',
  check: 'ingress',
  codes: ['ingress/tls-secret-missing'],
  inputs: ['snapshot'],
  description: 'TLS sections of Ingresses and Gateway listeners name existing Secrets.',
  analyze(facts) {
    const out: Finding[] = [];
    if (!absenceProves(facts, 'Secret')) return out;
    const exists = (ns: string, name: string) => facts.snapshot.secrets.some((s) => nsOf(s) === ns && nameOf(s) === name);
    for (const ing of facts.snapshot.ingresses) {
      arr(specOf(ing)['tls']).map(rec).forEach((t, i) => {
        const secret = str(t['secretName']);
        if (!secret || exists(nsOf(ing), secret)) return;
        const hosts = arr(t['hosts']).filter((h): h is string => typeof h === 'string');
        out.push(finding('ingress/tls-secret-missing', subjectOf(ing),
          `${ingRef(ing)} spec.tls[${i}] names Secret ${nsOf(ing)}/${secret}, which does not exist: the controller serves its default certificate${hosts.length > 0 ? ` for ${list(hosts)}` : ''} and clients reject the connection.`,
          `Create the Secret: ${shellCommand(['kubectl', 'create', 'secret', 'tls', secret, '-n', nsOf(ing), '--cert=CERT', '--key=KEY'])} (or a cert-manager Certificate with secretName ${secret}), or fix spec.tls[${i}].secretName.`));
      });
    }
    for (const gw of facts.snapshot.gateways) {
      for (const l of arr(specOf(gw)['listeners']).map(rec)) {
        for (const ref of arr(rec(l['tls'])['certificateRefs']).map(rec)) {
          if ((str(ref['kind']) ?? 'Secret') !== 'Secret' || (str(ref['group']) ?? '') !== '') continue;
          const ns = str(ref['namespace']) ?? nsOf(gw);
          const name = str(ref['name']);
          if (!name || exists(ns, name)) continue;
          out.push(finding('ingress/tls-secret-missing', subjectOf(gw),
            `Gateway ${nsOf(gw)}/${nameOf(gw)} listener ${str(l['name']) ?? str(l['port']) ?? '?'} names certificate Secret ${ns}/${name}, which does not exist: the listener is not programmed and HTTPS clients cannot connect.`,
            `Create the Secret: ${shellCommand(['kubectl', 'create', 'secret', 'tls', name, '-n', ns, '--cert=CERT', '--key=KEY'])}, or fix tls.certificateRefs of listener ${str(l['name']) ?? ''}.`));
        }
      }
    }
    return out;
  },
};

const retired: Analyzer = {
  name: 'ingress-retired-controller',
  check: 'ingress',
  codes: ['ingress/retired-controller'],
  inputs: ['snapshot'],
  description: 'Ingresses served by ingress-nginx (retired) get the equivalent Gateway API objects suggested.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const ing of facts.snapshot.ingresses) {
      if (ingressExposure(facts.ctx, ing).implementation !== 'ingress-nginx') continue;
      const spec = specOf(ing);
      const rules = arr(spec['rules']).map(rec);
      const hosts = [...new Set(rules.map((r) => str(r['host'])).filter((h): h is string => !!h))];
      const paths = rules.flatMap((r) => arr(rec(r['http'])['paths']).map(rec).map((p) => {
        const s = rec(rec(p['backend'])['service']);
        const port = rec(s['port']);
        return `${str(p['path']) ?? '/'} -> ${str(s['name']) ?? '?'}:${port['number'] ?? port['name'] ?? '?'}`;
      }));
      const secrets = arr(spec['tls']).map(rec).map((t) => str(t['secretName'])).filter((s): s is string => !!s);
      const first = ingressBackends(ing)[0]?.service;
      out.push(finding('ingress/retired-controller', subjectOf(ing),
        `${ingRef(ing)} is served by ingress-nginx, which is retired: it gets no more fixes, including security fixes.`,
        `Move to Gateway API: a Gateway (listener HTTP 80${secrets.length > 0 ? `, HTTPS 443 with tls.certificateRefs ${secrets.join(', ')}` : ''}) and an HTTPRoute with ${hosts.length > 0 ? `hostnames [${hosts.join(', ')}] and ` : ''}rules ${paths.length > 0 ? list(paths, 4) : 'from spec.defaultBackend'}${first ? `; ${shellCommand(['exposectl', 'expose', first, '-n', nsOf(ing), '--mode', 'gateway', ...(secrets[0] ? ['--tls-secret', secrets[0]] : [])])} generates them` : ''}.`));
    }
    return out;
  },
};

export const ingressAnalyzers: Analyzer[] = [controller, backends, tls, retired];
