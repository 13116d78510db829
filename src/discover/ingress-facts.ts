// Ingress facts, read once per snapshot: which IngressClass serves each Ingress (and by
// which rule), its controller and implementation, and the Ingress's TLS sections, hosts and
// published addresses. `list`, the ingress and source-ip analyzers and topology read these. Pure.
//
// Class resolution, in the order the API server and controllers apply it:
// spec.ingressClassName -> that IngressClass; else the legacy annotation
// kubernetes.io/ingress.class (an IngressClass of that name, else the controller the value
// conventionally names: nginx -> ingress-nginx, haproxy -> haproxy, ...); else the one
// IngressClass annotated ingressclass.kubernetes.io/is-default-class: "true", which the API
// server writes into Ingresses created after the class was marked default (an Ingress whose
// creationTimestamp is older than the default class's keeps no class).
//
// Then the controllers of the input (ingress-controllers.ts) are asked, by their own flags,
// whether they take the Ingress: `serving` says served, unserved (controllers for it are in
// the input and each one's rule leaves it out) or unknown.
import type { Ingress, IngressClass } from '../model/snapshot.js';
import { annotationsOf, arr, type DiscoveryContext, nameOf, rec, specOf, statusOf, str, uniq } from './context.js';
import { type IngressControllerFact, ingressControllers } from './ingress-controllers.js';
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
  /** The one default class did not apply: the Ingress was created before it (creationTimestamps). */
  defaultSkipped?: { cls: IngressClass; why: string };
}

/** Whether one controller takes the Ingress, by its own rule; takes undefined: cannot tell from the input. */
export interface ControllerVerdict {
  controller: IngressControllerFact;
  takes: boolean | undefined;
  /** The rule that decided, e.g. "--watch-ingress-without-class unset (false)". */
  why: string;
}

export interface IngressServing {
  /** served: a controller of the input takes it; unserved: the controllers for it in the input all leave it out; unknown otherwise. */
  verdict: 'served' | 'unserved' | 'unknown';
  /** The controllers judged: those for its class, or every controller for an Ingress without a class. */
  verdicts: ControllerVerdict[];
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
  /** What the controllers of the input make of it. */
  serving: IngressServing;
}

/** An IngressClass's spec.controller, when it names one. */
export function classController(c: IngressClass): string | undefined {
  return str(specOf(c).controller);
}

function resolveClass(classes: IngressClass[], defaults: IngressClass[], ing: Ingress): IngressClassFact {
  const fromClass = (via: IngressClassFact['via'], c: IngressClass): IngressClassFact => {
    const controller = classController(c) ?? null;
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
  const none: IngressClassFact = {
    via: 'none',
    className: null,
    found: undefined,
    controller: null,
    implementation: null,
    defaults,
  };
  if (defaults.length === 1) {
    const d = defaults[0]!;
    const created = createdAt(ing);
    const marked = createdAt(d);
    // The admission plugin fills spec.ingressClassName at creation only: an older Ingress keeps none.
    if (created !== undefined && marked !== undefined && created < marked)
      return {
        ...none,
        defaultSkipped: {
          cls: d,
          why: `the default IngressClass ${nameOf(d)} was created ${isoDate(marked)}, after the Ingress (${isoDate(created)}); the API server sets the default class only on Ingresses created after it`,
        },
      };
    return fromClass('default', d);
  }
  return none;
}

function createdAt(o: { metadata?: unknown }): number | undefined {
  const t = str(rec(o.metadata).creationTimestamp);
  const ms = t ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

const isoDate = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The project a controller kind belongs to, as ingressImplementation names it. */
const projectOf = (c: IngressControllerFact) => (c.kind === 'haproxy-ingress' ? 'haproxy' : c.kind);

/** The controllers that could be meant by the Ingress's class. */
function candidates(controllers: IngressControllerFact[], cls: IngressClassFact): IngressControllerFact[] {
  if (cls.via === 'none') return controllers;
  const name = cls.className!;
  return controllers.filter(
    (c) =>
      (cls.controller !== null && c.controllerValues.includes(cls.controller)) ||
      (cls.implementation !== null && projectOf(c) === cls.implementation) ||
      (cls.via === 'annotation' && c.classNames.includes(name)),
  );
}

function verdictOf(c: IngressControllerFact, cls: IngressClassFact): ControllerVerdict {
  const settings = c.settings.join(', ');
  if (c.open) return { controller: c, takes: undefined, why: 'its class settings are not in its arguments' };
  if (cls.via === 'none')
    return c.takesClassless
      ? { controller: c, takes: true, why: `it takes Ingresses without a class (${settings})` }
      : { controller: c, takes: false, why: `it takes no Ingress without a class (${settings})` };
  const name = cls.className!;
  if (cls.via === 'annotation')
    return c.classNames.includes(name)
      ? { controller: c, takes: true, why: `annotation ${LEGACY_CLASS_ANNOTATION}: ${name} matches (${settings})` }
      : {
          controller: c,
          takes: false,
          why: `it takes the annotation ${LEGACY_CLASS_ANNOTATION} only with ${c.classNames.length > 0 ? c.classNames.map((n) => `"${n}"`).join(' or ') : 'no value'} (${settings})`,
        };
  if (c.fieldByName && c.classNames.includes(name))
    return { controller: c, takes: true, why: `class ${name} is the one it takes (${settings})` };
  if (c.controllerValues.length > 0) {
    if (!cls.found) return { controller: c, takes: undefined, why: `IngressClass ${name} is not in the input` };
    if (cls.controller !== null && c.controllerValues.includes(cls.controller))
      return { controller: c, takes: true, why: `IngressClass ${name} has controller ${cls.controller}` };
    return {
      controller: c,
      takes: false,
      why: `IngressClass ${name} has controller ${cls.controller ?? '(none)'}, it takes ${c.controllerValues.join(', ')} (${settings})`,
    };
  }
  return {
    controller: c,
    takes: false,
    why: `it takes class ${c.classNames.map((n) => `"${n}"`).join(' or ')} only (${settings})`,
  };
}

function servingOf(controllers: IngressControllerFact[], cls: IngressClassFact): IngressServing {
  const verdicts = candidates(controllers, cls).map((c) => verdictOf(c, cls));
  if (verdicts.some((v) => v.takes === true)) return { verdict: 'served', verdicts };
  if (verdicts.length === 0 || verdicts.some((v) => v.takes === undefined)) return { verdict: 'unknown', verdicts };
  return { verdict: 'unserved', verdicts };
}

function ingressFact(
  classes: IngressClass[],
  defaults: IngressClass[],
  controllers: IngressControllerFact[],
  ing: Ingress,
): IngressFact {
  const spec = specOf(ing);
  const cls = resolveClass(classes, defaults, ing);
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
    cls,
    serving: servingOf(controllers, cls),
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
  const controllers = ingressControllers(ctx);
  return new Map(ctx.snapshot.ingresses.map((ing) => [ing, ingressFact(classes, defaults, controllers, ing)]));
});

/** The facts of an Ingress of the snapshot (read on the spot for one that is not in it). */
export function ingressFactOf(ctx: DiscoveryContext, ing: Ingress): IngressFact {
  return (
    ingressFacts(ctx).get(ing) ??
    ingressFact(ctx.snapshot.ingressClasses, defaultClasses(ctx.snapshot.ingressClasses), ingressControllers(ctx), ing)
  );
}

/** Every Ingress of the snapshot with its facts, in input order. */
export function allIngressFacts(ctx: DiscoveryContext): IngressFact[] {
  return [...ingressFacts(ctx).values()];
}
