// Ingress class resolution the way controllers do it (#16 point 2): the field, the legacy
// annotation, the default class only for Ingresses created after it, and each controller's own
// flags read from its Deployment/DaemonSet.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/discover/context.js';
import { ingressControllers } from '../../../src/discover/ingress-controllers.js';
import { allIngressFacts } from '../../../src/discover/ingress-facts.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { backendRule, ingress, ingressClass, snap, workload } from './builders.js';

const controller = (image: string, args: string[], name = 'ctrl') =>
  workload('Deployment', name, { containers: [{ name: 'c', image, args }] }, { namespace: 'ingress' });

const factOf = (objs: KubeObject[]) => allIngressFacts(buildContext(snap(objs)))[0]!;
const classless = ingress('app', { rules: [backendRule('app')] }, { namespace: 'web' });
const annotated = (cls: string) =>
  ingress(
    'app',
    { rules: [backendRule('app')] },
    { namespace: 'web', annotations: { 'kubernetes.io/ingress.class': cls } },
  );
const named = (cls: string) =>
  ingress('app', { ingressClassName: cls, rules: [backendRule('app')] }, { namespace: 'web' });

describe('each project by its own flags', () => {
  it.each([
    [
      'ingress-nginx 1.x without --watch-ingress-without-class leaves a class-less Ingress out',
      'registry.k8s.io/ingress-nginx/controller:v1.9.4',
      [],
      classless,
      [],
      'unserved',
    ],
    [
      'ingress-nginx with --watch-ingress-without-class takes it',
      'registry.k8s.io/ingress-nginx/controller:v1.9.4',
      ['--watch-ingress-without-class=true'],
      classless,
      [],
      'served',
    ],
    [
      'ingress-nginx 0.x takes class-less Ingresses',
      'k8s.gcr.io/ingress-nginx/controller:v0.49.3',
      [],
      classless,
      [],
      'served',
    ],
    [
      'ingress-nginx takes the annotation equal to --ingress-class',
      'registry.k8s.io/ingress-nginx/controller:v1.9.4',
      ['--ingress-class=internal'],
      annotated('internal'),
      [],
      'served',
    ],
    [
      'ingress-nginx ignores another annotation value',
      'registry.k8s.io/ingress-nginx/controller:v1.9.4',
      ['--ingress-class=internal'],
      annotated('nginx'),
      [],
      'unserved',
    ],
    [
      'ingress-nginx matches IngressClass spec.controller to --controller-class',
      'registry.k8s.io/ingress-nginx/controller:v1.9.4',
      ['--controller-class=k8s.io/ingress-nginx'],
      named('nginx'),
      [ingressClass('nginx', 'k8s.io/ingress-nginx')],
      'served',
    ],
    [
      'Traefik without ingressclass takes class-less Ingresses',
      'traefik:v2.10.5',
      ['--providers.kubernetesingress'],
      classless,
      [],
      'served',
    ],
    [
      'Traefik with ingressclass leaves them out',
      'traefik:v2.10.5',
      ['--providers.kubernetesingress', '--providers.kubernetesingress.ingressclass=traefik-internal'],
      classless,
      [],
      'unserved',
    ],
    [
      'Traefik configured by file is not judged',
      'traefik:v2.10.5',
      ['--configfile=/config/traefik.yaml'],
      classless,
      [],
      'unknown',
    ],
    [
      'HAProxy Technologies with --ingress.class leaves class-less Ingresses out',
      'haproxytech/kubernetes-ingress:1.5.3',
      ['--ingress.class=haproxy'],
      classless,
      [],
      'unserved',
    ],
    [
      'HAProxy Technologies with --empty-ingress-class takes them',
      'haproxytech/kubernetes-ingress:1.5.3',
      ['--ingress.class=haproxy', '--empty-ingress-class'],
      classless,
      [],
      'served',
    ],
    [
      'HAProxy Ingress 0.12 needs --watch-ingress-without-class',
      'quay.io/jcmoraisjr/haproxy-ingress:v0.12.3',
      ['--ingress-class=haproxy'],
      classless,
      [],
      'unserved',
    ],
    ['HAProxy Ingress 0.11 took them', 'quay.io/jcmoraisjr/haproxy-ingress:v0.11', [], classless, [], 'served'],
    [
      'Contour without --ingress-class-name takes class-less Ingresses',
      'ghcr.io/projectcontour/contour:v1.27.0',
      ['serve', '--incluster'],
      classless,
      [],
      'served',
    ],
    [
      'Contour with --ingress-class-name takes only that class',
      'ghcr.io/projectcontour/contour:v1.27.0',
      ['serve', '--ingress-class-name=public'],
      named('contour'),
      [],
      'unserved',
    ],
    [
      'NGINX Inc. takes its -ingress-class by name',
      'nginx/nginx-ingress:3.4.0',
      ['-ingress-class=nginx'],
      named('nginx'),
      [ingressClass('nginx', 'nginx.org/ingress-controller')],
      'served',
    ],
    [
      'NGINX Inc. 3.x takes no class-less Ingress',
      'nginx/nginx-ingress:3.4.0',
      ['-ingress-class=nginx'],
      classless,
      [],
      'unserved',
    ],
  ])('%s', (_name, image, args, ing, classes, verdict) => {
    expect(factOf([controller(image, args), ...classes, ing]).serving.verdict).toBe(verdict);
  });

  it('a class of another controller than the ones in the input is not judged', () => {
    const fact = factOf([
      controller('registry.k8s.io/ingress-nginx/controller:v1.9.4', []),
      ingressClass('example', 'example.com/ingress'),
      named('example'),
    ]);
    expect(fact.serving).toEqual({ verdict: 'unknown', verdicts: [] });
  });

  it('the rule that left it out is named with the flags', () => {
    const fact = factOf([
      controller('registry.k8s.io/ingress-nginx/controller:v1.9.4', ['--ingress-class=nginx']),
      classless,
    ]);
    expect(fact.serving.verdicts[0]!.why).toBe(
      'it takes no Ingress without a class (--controller-class unset (k8s.io/ingress-nginx), --ingress-class=nginx, --watch-ingress-without-class unset (false))',
    );
  });

  it('reads Go-style flags with one or two dashes, = or a separate word', () => {
    const c = ingressControllers(
      buildContext(snap([controller('nginx/nginx-ingress:3.4.0', ['-ingress-class', 'edge'])])),
    )[0]!;
    expect(c.classNames).toEqual(['edge']);
  });
});

describe('the default class applies only to Ingresses created after it', () => {
  const dflt = (created: string) => {
    const c = ingressClass('nginx', 'k8s.io/ingress-nginx', true) as KubeObject;
    c.metadata.creationTimestamp = created;
    return c;
  };
  const made = (created: string) => {
    const i = ingress('app', { rules: [backendRule('app')] }, { namespace: 'web' }) as KubeObject;
    i.metadata.creationTimestamp = created;
    return i;
  };

  it('an Ingress older than the default class keeps no class, and says why', () => {
    const { cls } = factOf([dflt('2024-03-02T10:00:00Z'), made('2023-11-20T08:00:00Z')]);
    expect(cls.via).toBe('none');
    expect(cls.defaultSkipped?.why).toContain('after the Ingress');
  });

  it('a newer Ingress, or a manifest not created yet, gets the default', () => {
    expect(factOf([dflt('2024-03-02T10:00:00Z'), made('2024-05-01T00:00:00Z')]).cls.via).toBe('default');
    expect(factOf([dflt('2024-03-02T10:00:00Z'), classless]).cls.via).toBe('default');
  });
});
