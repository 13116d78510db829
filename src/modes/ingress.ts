// Mode ingress: an Ingress `<svc>-ingress` routing host/path to one port of the user's
// Service, with an existing IngressClass (or the cluster's default) and optional TLS.
import type { KubeObject } from '../model/kube-object.js';
import {
  commonProblems,
  isProblem,
  isValidHostname,
  meta,
  names,
  pickPort,
  protocolOf,
  type ServicePort,
  svcName,
  svcNamespace,
} from './common.js';
import type { ExposeFacts, ExposeSpec, Problem } from './spec.js';
import { ingressSticky, serviceAnnotationPatch, userAffinityNote } from './sticky.js';

const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export function defaultIngressClass(facts: ExposeFacts): string | undefined {
  const defaults = (facts.ingressClasses ?? []).filter(
    (c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
  );
  return defaults.length === 1 ? defaults[0]!.metadata.name : undefined;
}

export function validateIngress(spec: ExposeSpec, facts: ExposeFacts): Problem[] {
  const problems = commonProblems(spec);
  if (problems.some((p) => p.field === 'service')) return problems;
  if (spec.sticky) {
    const sticky = ingressSticky(spec, facts, spec.ingressClass ?? defaultIngressClass(facts));
    if (!sticky.ok) problems.push(sticky.problem);
  }
  if (spec.host !== undefined && !isValidHostname(spec.host)) {
    problems.push({
      field: 'host',
      message: `"${spec.host}" is not a valid host name (lowercase DNS name, optionally starting with *.)`,
    });
  }
  if (spec.path !== undefined && !spec.path.startsWith('/'))
    problems.push({ field: 'path', message: `path "${spec.path}" must start with /` });
  const port = pickPort(spec, 'the Ingress routes to');
  if (isProblem(port)) problems.push(port);
  else if (protocolOf(port) !== 'TCP')
    problems.push({
      field: 'port',
      message: `port ${port.port} is ${protocolOf(port)}: an Ingress carries HTTP over TCP only`,
    });

  const classes = facts.ingressClasses;
  if (classes !== undefined) {
    if (spec.ingressClass !== undefined) {
      if (!classes.some((c) => c.metadata.name === spec.ingressClass)) {
        const known = classes.map((c) => c.metadata.name).join(', ') || 'none';
        problems.push({
          field: 'ingressClass',
          message: `IngressClass ${spec.ingressClass} does not exist (classes: ${known})`,
          code: 'ingress/no-controller',
        });
      }
    } else if (!defaultIngressClass(facts)) {
      const known = classes.map((c) => c.metadata.name).join(', ');
      problems.push({
        field: 'ingressClass',
        message:
          classes.length === 0
            ? 'no IngressClass exists: install an ingress controller or use --mode gateway'
            : `no default IngressClass: choose one with --ingress-class (${known})`,
        code: 'ingress/no-controller',
      });
    }
  }
  if (spec.tlsSecret !== undefined && facts.secrets !== undefined) {
    const ns = svcNamespace(spec);
    if (!facts.secrets.some((s) => s.metadata.name === spec.tlsSecret && (s.metadata.namespace ?? 'default') === ns)) {
      problems.push({
        field: 'tlsSecret',
        message: `Secret ${ns}/${spec.tlsSecret} does not exist`,
        code: 'ingress/tls-secret-missing',
      });
    }
  }
  return problems;
}

export function manifestsIngress(spec: ExposeSpec, facts: ExposeFacts): KubeObject[] {
  const port = pickPort(spec, 'the Ingress routes to');
  if (isProblem(port)) throw new Error(`invalid spec: ${port.message}`);
  const rule: Record<string, unknown> = {};
  if (spec.host !== undefined) rule.host = spec.host;
  rule.http = {
    paths: [
      {
        path: spec.path ?? '/',
        pathType: 'Prefix',
        backend: { service: { name: svcName(spec), port: backendPort(port) } },
      },
    ],
  };
  const ingSpec: Record<string, unknown> = {};
  const cls = spec.ingressClass ?? defaultIngressClass(facts);
  if (spec.ingressClass !== undefined) ingSpec.ingressClassName = cls;
  if (spec.tlsSecret !== undefined) {
    ingSpec.tls = [{ ...(spec.host !== undefined ? { hosts: [spec.host] } : {}), secretName: spec.tlsSecret }];
  }
  ingSpec.rules = [rule];
  const sticky = spec.sticky ? ingressSticky(spec, facts, cls) : undefined;
  if (sticky && !sticky.ok) throw new Error(`invalid spec: ${sticky.problem.message}`);
  const onIngress = sticky?.controller.on === 'ingress' ? sticky.annotations : undefined;
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(spec, names.ingress(svcName(spec)), undefined, onIngress),
      spec: ingSpec,
    },
    ...(sticky?.controller.on === 'service' ? [serviceAnnotationPatch(spec, sticky.annotations)] : []),
  ];
}

/** An Ingress backend names the port by name when it has one (it survives renumbering). */
export function backendPort(p: ServicePort): { name: string } | { number: number } {
  return p.name ? { name: p.name } : { number: p.port };
}

export function notesIngress(spec: ExposeSpec, facts: ExposeFacts): string[] {
  const notes: string[] = [];
  if (facts.ingressClasses === undefined) notes.push('IngressClass not checked (no cluster facts)');
  else if (spec.ingressClass === undefined && defaultIngressClass(facts))
    notes.push(`uses the default IngressClass ${defaultIngressClass(facts)}`);
  if (spec.tlsSecret !== undefined && facts.secrets === undefined)
    notes.push(`TLS Secret ${spec.tlsSecret} not checked (no cluster facts)`);
  if (spec.preserveSourceIP) {
    notes.push(
      'preserve source IP: the controller passes the client address in X-Forwarded-For; its own Service needs externalTrafficPolicy Local (or PROXY protocol) for that address to be the real one',
    );
  }
  const affinity = userAffinityNote(spec);
  if (affinity) notes.push(affinity);
  if (spec.sticky) {
    const sticky = ingressSticky(spec, facts, spec.ingressClass ?? defaultIngressClass(facts));
    if (sticky.ok)
      notes.push(
        `sticky: ${sticky.controller.name} sets a cookie that keeps each browser on one Pod; clients that drop cookies are balanced per request`,
      );
  }
  return notes;
}
