// ingress/*: Ingresses and routes that no controller serves, backends and TLS Secrets
// that do not exist, and Ingresses served by the retired ingress-nginx. Pure.

import { ingressBackends, routeBackends } from '../discover/backends.js';
import { annotationsOf, findService, nameOf, nsOf, uniq } from '../discover/context.js';
import { gatewayApiFacts } from '../discover/gateway-api.js';
import { listenerStatusSays } from '../discover/gateway-status.js';
import { controllerRef } from '../discover/ingress-controllers.js';
import { ingressExposure } from '../discover/ingress-exposures.js';
import {
  allIngressFacts,
  type ControllerVerdict,
  classController,
  DEFAULT_CLASS_ANNOTATION,
  type IngressClassFact,
  LEGACY_CLASS_ANNOTATION,
} from '../discover/ingress-facts.js';
import type { Finding } from '../model/finding.js';
import type { Ingress, IngressClass } from '../model/snapshot.js';
import { shellCommand } from '../util/shell-quote.js';
import { finding } from './codes.js';
import { controllerSettingFix } from './ingress-fixes.js';
import type { Analyzer } from './types.js';
import { absenceProves, absentText, list, portsOf, subjectOf } from './util.js';

/** cert-manager's ingress-shim issues the TLS Secrets of an Ingress or Gateway that carries one of these. */
const CERT_MANAGER_SHIM = ['cert-manager.io/issuer', 'cert-manager.io/cluster-issuer', 'kubernetes.io/tls-acme'];

const ingRef = (i: Ingress) => `Ingress ${nsOf(i)}/${nameOf(i)}`;

/** The implementation's own status, cited when the input holds it. */
const statusCited = (says: string[]) => (says.length > 0 ? ` (status: ${[...new Set(says)].join('; ')})` : '');

/** How the Ingress asks for its class, for messages. */
function classText(cls: IngressClassFact): string {
  switch (cls.via) {
    case 'ingressClassName':
      return `names IngressClass ${cls.className}`;
    case 'default':
      return `gets the default IngressClass ${cls.className}`;
    case 'annotation':
      return `is annotated ${LEGACY_CLASS_ANNOTATION}: ${cls.className}`;
    case 'none':
      return `names no class${cls.defaultSkipped ? ` (${cls.defaultSkipped.why})` : ''}`;
  }
}

/** What to change so a controller of the input takes the Ingress. */
function servingFix(
  ing: Ingress,
  cls: IngressClassFact,
  verdicts: ControllerVerdict[],
  classes: IngressClass[],
): string {
  const ways: string[] = [];
  // The classes of the input the judged controllers take (by spec.controller, or by name).
  const existing = classes
    .filter((c) =>
      verdicts.some(
        (v) =>
          v.controller.controllerValues.includes(classController(c) ?? '') ||
          (v.controller.fieldByName && v.controller.classNames.includes(nameOf(c))),
      ),
    )
    .map(nameOf);
  const names = uniq(existing);
  ways.push(
    `set spec.ingressClassName of ${ingRef(ing)} to ${names.length === 1 ? names[0] : names.length > 1 ? `one of ${list(names)}` : `a class of ${list(uniq(verdicts.map((v) => v.controller.kind)))}`}${cls.via === 'annotation' ? ` (and drop the ${LEGACY_CLASS_ANNOTATION} annotation)` : ''}`,
  );
  for (const v of verdicts) ways.push(controllerSettingFix(v.controller, cls));
  ways.splice(1, ways.length, ...uniq(ways.slice(1)));
  if (cls.defaultSkipped)
    ways.push(`or re-create ${ingRef(ing)} so the default class ${nameOf(cls.defaultSkipped.cls)} is set on it`);
  return `${ways[0]![0]!.toUpperCase()}${ways[0]!.slice(1)}${ways.length > 1 ? `; ${ways.slice(1).join('; ')}` : ''}.`;
}

const controller: Analyzer = {
  name: 'ingress-class',
  check: 'ingress',
  codes: ['ingress/no-controller'],
  inputs: ['snapshot'],
  description:
    "Every Ingress is taken by a controller: its class (field, legacy annotation, or the default class set at creation) matches a controller's own flags.",
  analyze(facts) {
    const out: Finding[] = [];
    const classes = facts.snapshot.ingressClasses;
    const known = absenceProves(facts, 'IngressClass');
    for (const { object: ing, cls, serving, addresses, hasLoadBalancerStatus } of allIngressFacts(facts.ctx)) {
      // A controller published an address for it: some controller serves it, whatever the flags in the input say.
      const published = addresses.length > 0;
      const unpublished = hasLoadBalancerStatus ? ' (its status has no address: no controller published one)' : '';
      if (cls.via === 'ingressClassName' && !cls.found) {
        if (!known) continue;
        out.push(
          finding(
            'ingress/no-controller',
            subjectOf(ing),
            `${ingRef(ing)} names IngressClass ${cls.className}, which ${absentText(facts).doesNotExist}: no controller serves it, so its hosts and paths are not routed.`,
            `Set spec.ingressClassName of ${ingRef(ing)} to an existing class (${list(classes.map(nameOf)) || 'none exists: install an ingress controller'}), or create IngressClass ${cls.className}.`,
          ),
        );
        continue;
      }
      if (cls.via === 'none' && cls.defaults.length > 1) {
        out.push(
          finding(
            'ingress/no-controller',
            subjectOf(ing),
            `${ingRef(ing)} names no class and ${cls.defaults.length} IngressClasses are marked default (${list(cls.defaults.map(nameOf))}): the API server refuses new Ingresses without a class and the controllers disagree on who serves it.`,
            `Set spec.ingressClassName on ${ingRef(ing)}, and keep ${DEFAULT_CLASS_ANNOTATION}: "true" on one class only.`,
          ),
        );
        continue;
      }
      // The controllers of the input, each by its own flags (a class-less Ingress needs the IngressClasses known: a default would be set at creation).
      if (serving.verdict === 'unserved' && !published && (cls.via !== 'none' || known || cls.defaultSkipped)) {
        const rules = serving.verdicts.map((v) => `${controllerRef(v.controller)}: ${v.why}`).join('; ');
        out.push(
          finding(
            'ingress/no-controller',
            subjectOf(ing),
            `${ingRef(ing)} ${classText(cls)}, and no controller takes it (${rules})${unpublished}: its hosts and paths are not routed.`,
            servingFix(ing, cls, serving.verdicts, classes),
          ),
        );
        continue;
      }
      // Controllers match the legacy annotation by name; one default class serves the rest.
      if (cls.via !== 'none' || serving.verdict === 'served' || published || !known) continue;
      out.push(
        finding(
          'ingress/no-controller',
          subjectOf(ing),
          cls.defaultSkipped
            ? `${ingRef(ing)} names no class: ${cls.defaultSkipped.why}. No controller serves it, so its hosts and paths are not routed.`
            : `${ingRef(ing)} names no IngressClass and no class${facts.ctx.live ? '' : ' in the input'} is the default: no controller serves it, so its hosts and paths are not routed.`,
          cls.defaultSkipped
            ? `Set spec.ingressClassName: ${nameOf(cls.defaultSkipped.cls)} on ${ingRef(ing)} (or re-create it so the default is set).`
            : `Set spec.ingressClassName of ${ingRef(ing)} to ${classes.length > 0 ? `one of ${list(classes.map(nameOf))}` : 'the class of an installed controller'}, or mark one class with ${DEFAULT_CLASS_ANNOTATION}: "true".`,
        ),
      );
    }
    return out;
  },
};

function missingPort(
  svcPorts: ReturnType<typeof portsOf>,
  port: { number?: number; name?: string },
): string | undefined {
  if (port.number !== undefined)
    return svcPorts.some((p) => p.port === port.number) ? undefined : `port ${port.number}`;
  if (port.name !== undefined)
    return svcPorts.some((p) => p.name === port.name) ? undefined : `port named ${port.name}`;
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
    const check = (
      subject: Finding['subject'],
      what: string,
      ns: string,
      name: string,
      port: { number?: number; name?: string },
      where: string,
    ) => {
      const svc = findService(facts.ctx, ns, name);
      if (!svc) {
        if (!absenceProves(facts, 'Service', ns)) return;
        out.push(
          finding(
            'ingress/backend-missing',
            subject,
            `${what} sends ${where} to Service ${ns}/${name}, which ${absentText(facts).doesNotExist}: those requests get an error from the proxy (503/404/500).`,
            `Create Service ${ns}/${name}, or point ${where} at an existing Service.`,
          ),
        );
        return;
      }
      const miss = missingPort(portsOf(svc), port);
      if (!miss) return;
      out.push(
        finding(
          'ingress/backend-missing',
          subject,
          `${what} sends ${where} to ${miss} of Service ${ns}/${name}, which has no such port (${
            portsOf(svc)
              .map((p) => `${p.name ? `${p.name}=` : ''}${p.port}/${p.protocol}`)
              .join(', ') || 'no ports'
          }): those requests get an error from the proxy.`,
          `Set the backend port of ${where} to one of the Service's ports (${
            portsOf(svc)
              .map((p) => p.name ?? String(p.port))
              .join(', ') || 'none'
          }), or add ${miss} to Service ${ns}/${name}.`,
        ),
      );
    };
    for (const ing of facts.snapshot.ingresses) {
      for (const b of ingressBackends(ing)) check(subjectOf(ing), ingRef(ing), b.namespace, b.service, b.port, b.field);
    }
    for (const r of gatewayApiFacts(facts.ctx).routes) {
      for (const b of routeBackends(r))
        check(subjectOf(r.object), `${r.kind} ${r.namespace}/${r.name}`, b.namespace, b.service, b.port, b.field);
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
    const exists = (ns: string, name: string) =>
      facts.snapshot.secrets.some((s) => nsOf(s) === ns && nameOf(s) === name);
    // From files, a Secret that cert-manager will issue (the Ingress asks its ingress-shim) is not missing yet.
    const issued = (o: { metadata?: unknown }) =>
      !facts.ctx.live &&
      CERT_MANAGER_SHIM.some((k) => annotationsOf(o)[k] !== undefined && annotationsOf(o)[k] !== 'false');
    const { doesNotExist } = absentText(facts);
    for (const { object: ing, tls: sections } of allIngressFacts(facts.ctx)) {
      if (issued(ing)) continue;
      sections.forEach((t, i) => {
        if (!t.secretName || exists(nsOf(ing), t.secretName) || !absenceProves(facts, 'Secret', nsOf(ing))) return;
        const secret = t.secretName;
        out.push(
          finding(
            'ingress/tls-secret-missing',
            subjectOf(ing),
            `${ingRef(ing)} spec.tls[${i}] names Secret ${nsOf(ing)}/${secret}, which ${doesNotExist}: the controller serves its default certificate${t.hosts.length > 0 ? ` for ${list(t.hosts)}` : ''} and clients reject the connection.`,
            `Create the Secret: ${shellCommand(['kubectl', 'create', 'secret', 'tls', secret, '-n', nsOf(ing), '--cert=CERT', '--key=KEY'])} (or a cert-manager Certificate with secretName ${secret}), or fix spec.tls[${i}].secretName.`,
          ),
        );
      });
    }
    for (const gw of [...gatewayApiFacts(facts.ctx).gateways.values()].flat()) {
      if (issued(gw.object)) continue;
      for (const l of gw.listeners) {
        for (const ref of l.certificateRefs) {
          if (ref.kind !== 'Secret' || ref.group !== '' || exists(ref.namespace, ref.name)) continue;
          if (!absenceProves(facts, 'Secret', ref.namespace)) continue;
          const listener = l.name ?? (l.port !== undefined ? String(l.port) : '?');
          out.push(
            finding(
              'ingress/tls-secret-missing',
              subjectOf(gw.object),
              `Gateway ${gw.namespace}/${gw.name} listener ${listener} names certificate Secret ${ref.namespace}/${ref.name}, which ${doesNotExist}: the listener is not programmed${statusCited(listenerStatusSays(gw.object, l.name, ['ResolvedRefs', 'Programmed']))} and HTTPS clients cannot connect.`,
              `Create the Secret: ${shellCommand(['kubectl', 'create', 'secret', 'tls', ref.name, '-n', ref.namespace, '--cert=CERT', '--key=KEY'])}, or fix tls.certificateRefs of listener ${l.name ?? ''}.`,
            ),
          );
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
    for (const fact of allIngressFacts(facts.ctx)) {
      const ing = fact.object;
      if (ingressExposure(facts.ctx, ing).implementation !== 'ingress-nginx') continue;
      const hosts = fact.ruleHosts;
      const paths = ingressBackends(ing)
        .filter((b) => b.path !== undefined)
        .map((b) => `${b.path} -> ${b.service}:${b.port.number ?? b.port.name ?? '?'}`);
      const secrets = fact.tls.map((t) => t.secretName).filter((x): x is string => !!x);
      const first = ingressBackends(ing)[0]?.service;
      out.push(
        finding(
          'ingress/retired-controller',
          subjectOf(ing),
          `${ingRef(ing)} is served by ingress-nginx, which is retired: it gets no more fixes, including security fixes.`,
          `Move to Gateway API: a Gateway (listener HTTP 80${secrets.length > 0 ? `, HTTPS 443 with tls.certificateRefs ${secrets.join(', ')}` : ''}) and an HTTPRoute with ${hosts.length > 0 ? `hostnames [${hosts.join(', ')}] and ` : ''}rules ${paths.length > 0 ? list(paths, 4) : 'from spec.defaultBackend'}${first ? `; ${shellCommand(['exposectl', 'expose', first, '-n', nsOf(ing), '--mode', 'gateway', ...(secrets[0] ? ['--tls-secret', secrets[0]] : [])])} generates them` : ''}.`,
        ),
      );
    }
    return out;
  },
};

export const ingressAnalyzers: Analyzer[] = [controller, backends, tls, retired];
