// Ingress controllers found in the input by their image, with the flags that decide which
// Ingresses they take (read from the Deployment/DaemonSet's container arguments) and the
// version in the image tag. ingress-facts.ts judges each Ingress against them. Pure.
//
// The rules, per project (from each project's documentation and flag definitions):
// - ingress-nginx (registry.k8s.io/ingress-nginx/controller): --controller-class
//   (default k8s.io/ingress-nginx) must equal the IngressClass's spec.controller, or, with
//   --ingress-class-by-name, the class name equals --ingress-class; the legacy annotation
//   must equal --ingress-class (default nginx); an Ingress without a class only with
//   --watch-ingress-without-class (1.0.0 and later; 0.x took it unless --ingress-class was changed).
// - Traefik: --providers.kubernetesingress.ingressclass; unset, it takes Ingresses without
//   a class and those annotated "traefik"; set, only those annotated with that value; an
//   ingressClassName whose IngressClass has controller traefik.io/ingress-controller.
// - HAProxy Technologies (haproxytech/kubernetes-ingress): --ingress.class; unset, it takes
//   Ingresses without a class; set, the annotation must equal it, Ingresses without a class
//   only with --empty-ingress-class; IngressClass controller haproxy.org/ingress-controller[/CLASS].
// - HAProxy Ingress (jcmoraisjr/haproxy-ingress): --ingress-class (default haproxy),
//   --controller-class (default haproxy-ingress.github.io/controller),
//   --watch-ingress-without-class (0.12 and later; before, it took them unless
//   --ignore-ingress-without-class).
// - Contour: --ingress-class-name (a comma-separated list); unset, it takes Ingresses
//   without a class and class "contour"; set, only those named (field or annotation).
// - NGINX Ingress Controller (nginx/nginx-ingress): -ingress-class (default nginx), field or
//   annotation; an Ingress without a class is not taken (1.12 and later, where
//   -use-ingress-class-only went away).
// Flags whose value cannot be read (a Traefik configured by file) leave the controller
// "open": it is not used to prove an Ingress unserved.
import type { Workload } from '../model/snapshot.js';
import { type DiscoveryContext, nameOf, nsOf } from './context.js';
import { imageVersion, type Version, versionAtLeast, versionText } from './image-version.js';
import { perSnapshot } from './memo.js';
import { allWorkloadFacts } from './workload-facts.js';

export type IngressControllerKind = 'ingress-nginx' | 'traefik' | 'haproxy' | 'haproxy-ingress' | 'contour' | 'nginx';

export interface IngressControllerFact {
  workload: Workload;
  /** Which project, by image. */
  kind: IngressControllerKind;
  /** From the image tag, when it has one. */
  version: Version | undefined;
  image: string;
  /** Container command and arguments, in order. */
  args: string[];
  /** The IngressClass spec.controller values it takes (empty when it matches classes by name). */
  controllerValues: string[];
  /** Class names it takes by name (legacy annotation; field too for Contour and NGINX Inc.). */
  classNames: string[];
  /** Whether it takes an Ingress that names no class. */
  takesClassless: boolean;
  /** Class names it takes by name through spec.ingressClassName (Contour, NGINX Inc., --ingress-class-by-name). */
  fieldByName: boolean;
  /** The flags that decided the above, as written (or their defaults), for messages. */
  settings: string[];
  /** Its class configuration is not in its arguments (a config file): not judged. */
  open: boolean;
  /** "namespace/name" of the ConfigMaps its flags name (--configmap, TCP/UDP services). */
  configMapRefs: string[];
}

const CONFIGMAP_FLAGS = ['configmap', 'tcp-services-configmap', 'udp-services-configmap', 'configmap-tcp-services'];

/** The ConfigMaps a controller names in its arguments, as namespace/name ($(POD_NAMESPACE) and bare names: its own namespace). */
function configMapRefsOf(args: readonly string[], ns: string): string[] {
  return CONFIGMAP_FLAGS.flatMap((flag) => {
    const v = goFlag(args, flag);
    if (typeof v !== 'string' || v === '') return [];
    const ref = v.replace(/^\$\(POD_NAMESPACE\)/, ns);
    return [ref.includes('/') ? ref : `${ns}/${ref}`];
  });
}

const IMAGES: Array<[RegExp, IngressControllerKind]> = [
  [/ingress-nginx\/controller|nginx-ingress-controller/, 'ingress-nginx'],
  [/(^|\/)nginx\/nginx-ingress|nginx-plus-ingress|nginx-ic\//, 'nginx'],
  [/haproxytech\/kubernetes-ingress/, 'haproxy'],
  [/haproxy-ingress/, 'haproxy-ingress'],
  [/(^|\/)traefik(:|@|$)/, 'traefik'],
  [/projectcontour\/contour|(^|\/)contour(:|@|$)/, 'contour'],
];

/** A Go-style flag (`-name`, `--name`, `=value` or next word); true for a bare boolean flag. */
export function goFlag(args: readonly string[], name: string): string | true | undefined {
  let out: string | true | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const prefix of ['--', '-']) {
      const flag = `${prefix}${name}`;
      if (a.startsWith(`${flag}=`)) out = a.slice(flag.length + 1);
      else if (a === flag) {
        const next = args[i + 1];
        out = next !== undefined && !next.startsWith('-') ? next : true;
      }
    }
  }
  return out;
}

const flagText = (v: string | true | undefined) => (v === undefined ? undefined : v === true ? 'true' : v);
const boolFlag = (v: string | true | undefined) => v === true || v === 'true';
const old = (v: Version | undefined, min: Version) => v !== undefined && !versionAtLeast(v, min);

function judge(kind: IngressControllerKind, args: string[], version: Version | undefined) {
  const f = (name: string) => flagText(goFlag(args, name));
  const set = (name: string, value: string | undefined, dflt?: string) =>
    value !== undefined ? `--${name}=${value}` : `--${name} unset${dflt ? ` (${dflt})` : ''}`;
  switch (kind) {
    case 'ingress-nginx': {
      const ctrl = f('controller-class') ?? 'k8s.io/ingress-nginx';
      const cls = f('ingress-class') ?? 'nginx';
      const without = boolFlag(goFlag(args, 'watch-ingress-without-class'));
      const byName = boolFlag(goFlag(args, 'ingress-class-by-name'));
      const legacy = old(version, [1, 0, 0]);
      return {
        controllerValues: [ctrl],
        classNames: [cls],
        fieldByName: byName || legacy,
        takesClassless: legacy ? cls === 'nginx' : without,
        settings: [
          set('controller-class', f('controller-class'), 'k8s.io/ingress-nginx'),
          set('ingress-class', f('ingress-class'), 'nginx'),
          legacy
            ? `version ${versionText(version)} (before 1.0.0 it takes Ingresses without a class)`
            : without
              ? '--watch-ingress-without-class=true'
              : '--watch-ingress-without-class unset (false)',
        ],
        open: false,
      };
    }
    case 'traefik': {
      const enabled = args.some(
        (a) => /^--providers\.kubernetesingress(=true)?$/i.test(a) || /^--providers\.kubernetesingress\./i.test(a),
      );
      const cls = args
        .map((a) => /^--providers\.kubernetesingress\.ingressclass=(.*)$/i.exec(a)?.[1])
        .find((x) => x !== undefined);
      return {
        controllerValues: ['traefik.io/ingress-controller'],
        classNames: [cls || 'traefik'],
        fieldByName: false,
        takesClassless: !cls,
        settings: [
          cls
            ? `--providers.kubernetesingress.ingressclass=${cls}`
            : '--providers.kubernetesingress.ingressclass unset',
        ],
        open: !enabled,
      };
    }
    case 'haproxy': {
      const cls = f('ingress.class');
      return {
        controllerValues: [cls ? `haproxy.org/ingress-controller/${cls}` : 'haproxy.org/ingress-controller'],
        classNames: cls ? [cls] : [],
        fieldByName: false,
        takesClassless: !cls || boolFlag(goFlag(args, 'empty-ingress-class')),
        settings: [
          set('ingress.class', cls),
          ...(cls ? [`--empty-ingress-class ${boolFlag(goFlag(args, 'empty-ingress-class')) ? 'set' : 'unset'}`] : []),
        ],
        open: false,
      };
    }
    case 'haproxy-ingress': {
      const ctrl = f('controller-class');
      const cls = f('ingress-class') ?? 'haproxy';
      const legacy = old(version, [0, 12, 0]);
      const without = legacy
        ? !boolFlag(goFlag(args, 'ignore-ingress-without-class'))
        : boolFlag(goFlag(args, 'watch-ingress-without-class'));
      return {
        controllerValues: [
          ctrl
            ? ctrl.includes('/')
              ? ctrl
              : `haproxy-ingress.github.io/controller/${ctrl}`
            : 'haproxy-ingress.github.io/controller',
        ],
        classNames: [cls],
        fieldByName: false,
        takesClassless: without,
        settings: [
          set('ingress-class', f('ingress-class'), 'haproxy'),
          legacy
            ? `version ${versionText(version)} (before 0.12 it takes Ingresses without a class)`
            : `--watch-ingress-without-class ${without ? 'set' : 'unset'}`,
        ],
        open: false,
      };
    }
    case 'contour': {
      const names = (f('ingress-class-name') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return {
        controllerValues: [],
        classNames: names.length > 0 ? names : ['contour'],
        fieldByName: true,
        takesClassless: names.length === 0,
        settings: [set('ingress-class-name', names.length > 0 ? names.join(',') : undefined)],
        open: !args.includes('serve'),
      };
    }
    case 'nginx': {
      const cls = f('ingress-class') ?? 'nginx';
      const legacy = old(version, [1, 12, 0]);
      return {
        controllerValues: [],
        classNames: [cls],
        fieldByName: true,
        takesClassless: legacy && !boolFlag(goFlag(args, 'use-ingress-class-only')),
        settings: [
          set('ingress-class', f('ingress-class'), 'nginx'),
          ...(legacy ? [`version ${versionText(version)}`] : []),
        ],
        open: false,
      };
    }
  }
}

/** The ingress controllers of the input (Deployments, DaemonSets, StatefulSets), in input order. */
export const ingressControllers = perSnapshot((ctx: DiscoveryContext): IngressControllerFact[] => {
  const out: IngressControllerFact[] = [];
  for (const w of allWorkloadFacts(ctx)) {
    let found: [IngressControllerKind, string] | undefined;
    for (const image of w.images) {
      const hit = IMAGES.find(([re]) => re.test(image));
      if (hit) {
        found = [hit[1], image];
        break;
      }
    }
    if (!found) continue;
    const [kind, image] = found;
    const version = imageVersion(image);
    out.push({
      workload: w.object,
      kind,
      version,
      image,
      args: w.args,
      ...judge(kind, w.args, version),
      configMapRefs: configMapRefsOf(w.args, nsOf(w.object)),
    });
  }
  // An object read twice (two files, or files over a live read): its last version counts.
  const last = new Map(out.map((c) => [`${c.workload.kind}|${nsOf(c.workload)}|${nameOf(c.workload)}`, c]));
  return [...last.values()];
});

export const controllerRef = (c: IngressControllerFact) =>
  `${c.kind} ${c.workload.kind ?? 'Workload'} ${nsOf(c.workload)}/${nameOf(c.workload)}`;
