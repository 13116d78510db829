// Ingress facts, read once per snapshot: which IngressClass serves each Ingress (and by
// which rule), its controller and implementation, and the Ingress's TLS sections, hosts and
// published addresses. `list`, the ingress and source-ip analyzers and topology read these. Pure.
//
// Class resolution, in the order the API server and controllers apply it:
// spec.ingressClassName -> that IngressClass; else the legacy annotation
// kubernetes.io/ingress.class (an IngressClass of that name, else the controller the value
// conventionally names: nginx -> ingress-nginx, haproxy -> haproxy, ...); else the one
// IngressClass annotated ingressclass.kubernetes.io/is-default-class: "true".
import type { Ingress, IngressClass } from '../model/snapshot.js';
import { annotationsOf, arr, type DiscoveryContext, nameOf, rec, specOf, statusOf, str, uniq } from './context.js';
import { perSnapshot } from './memo.js';

export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

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
  nginx: 'ingress-nginx',
  'ingress-nginx': 'ingress-nginx',
  haproxy: 'haproxy',
  'haproxy-ingress': 'haproxy',
  traefik: 'traefik',
  contour: 'contour',
  kong: 'kong',
  istio: 'istio',
  cilium: 'cilium',
  gce: 'gce',
  alb: 'aws-load-balancer-controller',
};

export function ingressImplementation(controller: string): string {
  return INGRESS_CONTROLLERS.find(([re]) => re.test(controller))?.[1] ?? controller;
}

export interface IngressClassFact {
  /** Which rule named the class: the field, the legacy annotation, the default class, or none. */
  via: 'ingressClassName' | 'annotation' | 'default' | 'none';
  /** The class name asked for (or the default's); null with `none`. */
  className: string | null;
  /** The IngressClass object, when the snapshot holds it. */
  found: IngressClass | undefined;
  /** Its spec.controller, when the class is known. */
  controller: string | null;
  /** From the controller; when the class is not in the input, guessed from its conventional name. */
  implementation: string | null;
  /** The classes marked default (two or more leave an Ingress without a class unserved). */
  defaults: IngressClass[];
}

export interface IngressTls {
  secretName?: string;
  hosts: string[];
}

export interface IngressFact {
  object: Ingress;
  cls: IngressClassFact;
  tls: IngressTls[];
  /** Rule and TLS hosts, in order, once each. */
  hosts: string[];
  /** spec.rules[].host, once each. */
  ruleHosts: string[];
  /** status.loadBalancer.ingress ip/hostname, as the controller published them. */
  addresses: string[];
  /** Whether the object carries status.loadBalancer (live, or exported with `kubectl get -o yaml`). */
  hasLoadBalancerStatus: boolean;
}

function resolveClass(classes: IngressClass[], defaults: IngressClass[], ing: Ingress): IngressClassFact {
  const fromClass = (via: IngressClassFact['via'], c: IngressClass): IngressClassFact => {
    const controller = str(specOf(c).controller) ?? null;
    return {
      via,
      className: nameOf(c),
      found: c,
      controller,
      implementation: controller ? ingressImplementation(controller) : null,
      defaults,
    };
  };
  const byName = (via: IngressClassFact['via'], name: string): IngressClassFact => {
    const c = classes.find((x) => nameOf(x) === name);
    return c
      ? fromClass(via, c)
      : {
          via,
          className: name,
          found: undefined,
          controller: null,
          implementation: INGRESS_CLASS_NAMES[name] ?? null,
          defaults,
        };
  };
  const named = str(specOf(ing).ingressClassName);
  if (named) return byName('ingressClassName', named);
  const legacy = annotationsOf(ing)[LEGACY_CLASS_ANNOTATION];
  if (legacy) return byName('annotation', legacy);
  if (defaults.length === 1) return fromClass('default', defaults[0]!);
  return { via: 'none', className: null, found: undefined, controller: null, implementation: null, defaults };
}

function ingressFact(classes: IngressClass[], defaults: IngressClass[], ing: Ingress): IngressFact {
  const spec = specOf(ing);
  const tls = arr(spec.tls)
    .map(rec)
    .map((t) => {
      const secretName = str(t.secretName);
      return {
        ...(secretName ? { secretName } : {}),
        hosts: arr(t.hosts).filter((h): h is string => typeof h === 'string'),
      };
    });
  const status = statusOf(ing);
  const ruleHosts = uniq(
    arr(spec.rules)
      .map((r) => str(rec(r).host))
      .filter((h): h is string => !!h),
  );
  return {
    object: ing,
    cls: resolveClass(classes, defaults, ing),
    tls,
    ruleHosts,
    hosts: uniq([...ruleHosts, ...tls.flatMap((t) => t.hosts)]),
    addresses: uniq(
      arr(rec(status.loadBalancer).ingress)
        .map(rec)
        .flatMap((i) => [str(i.ip), str(i.hostname)].filter((x): x is string => !!x)),
    ),
    hasLoadBalancerStatus: 'loadBalancer' in status,
  };
}

const defaultClasses = (classes: IngressClass[]) =>
  classes.filter((c) => annotationsOf(c)[DEFAULT_CLASS_ANNOTATION] === 'true');

const ingressFacts = perSnapshot((ctx: DiscoveryContext): Map<Ingress, IngressFact> => {
  const classes = ctx.snapshot.ingressClasses;
  const defaults = defaultClasses(classes);
  return new Map(ctx.snapshot.ingresses.map((ing) => [ing, ingressFact(classes, defaults, ing)]));
});

/** The facts of an Ingress of the snapshot (read on the spot for one that is not in it). */
export function ingressFactOf(ctx: DiscoveryContext, ing: Ingress): IngressFact {
  return (
    ingressFacts(ctx).get(ing) ??
    ingressFact(ctx.snapshot.ingressClasses, defaultClasses(ctx.snapshot.ingressClasses), ing)
  );
}

/** Every Ingress of the snapshot with its facts, in input order. */
export function allIngressFacts(ctx: DiscoveryContext): IngressFact[] {
  return [...ingressFacts(ctx).values()];
}
