import { describe, expect, it } from 'vitest';
import type { ExposeFacts, ExposeSpec } from '../../../src/modes/index.js';
import { expectGolden, expectOK, expectOwnedLabels, expectProblem, named, type ProblemCase, svc } from './helpers.js';

const web = svc('web', {
  ports: [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'admin', port: 9000 },
  ],
});
const single = svc('api', { ports: [{ port: 8080 }] });
const base: ExposeSpec = { service: web, mode: 'ingress', port: 'http' };
const facts: ExposeFacts = {
  services: [web],
  ingressClasses: [
    named('IngressClass', 'traefik', undefined, {
      metadata: { name: 'traefik', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    }),
    named('IngressClass', 'haproxy'),
  ],
  secrets: [named('Secret', 'web-tls', 'shop')],
};
/** IngressClasses whose controllers exposectl knows the cookie affinity of. */
const controllers: ExposeFacts = {
  ...facts,
  ingressClasses: [
    named('IngressClass', 'nginx', undefined, { spec: { controller: 'k8s.io/ingress-nginx' } }),
    named('IngressClass', 'traefik', undefined, {
      metadata: { name: 'traefik', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'traefik.io/ingress-controller' },
    }),
    named('IngressClass', 'haproxy', undefined, { spec: { controller: 'haproxy.org/ingress-controller/haproxy' } }),
  ],
};

describe('ingress manifests (golden)', () => {
  const cases: Array<{ name: string; spec: Partial<ExposeSpec>; facts?: ExposeFacts; note?: RegExp }> = [
    { name: 'host-path-class', spec: { host: 'shop.example.com', path: '/api', ingressClass: 'haproxy' }, facts },
    { name: 'default-class', spec: { host: 'shop.example.com' }, facts, note: /default IngressClass traefik/ },
    { name: 'tls', spec: { host: 'shop.example.com', tlsSecret: 'web-tls', ingressClass: 'traefik' }, facts },
    { name: 'single-unnamed-port', spec: { service: single, port: undefined, host: '*.apps.example.com' }, facts },
    {
      name: 'sticky-ingress-nginx',
      spec: { host: 'shop.example.com', sticky: true, stickyTimeout: 120, ingressClass: 'nginx' },
      facts: controllers,
      note: /ingress-nginx sets a cookie/,
    },
    {
      name: 'sticky-traefik-in-place',
      spec: { host: 'shop.example.com', sticky: true, inPlace: true },
      facts: controllers,
      note: /Traefik sets a cookie/,
    },
    {
      name: 'no-facts',
      spec: { host: 'shop.example.com', ingressClass: 'nginx', preserveSourceIP: true },
      note: /X-Forwarded-For/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { manifests, notes } = expectOK({ ...base, ...c.spec }, c.facts);
      expectOwnedLabels(manifests, c.spec.service?.metadata.name ?? 'web');
      expectGolden(`ingress/${c.name}`, manifests);
      if (c.note) expect(notes.join('\n')).toMatch(c.note);
    });
  }

  it('port chosen by number', () => {
    const { manifests } = expectOK({ ...base, port: 9000 }, facts);
    expect(JSON.stringify(manifests[0]!.spec)).toContain('"name":"admin"');
  });
});

describe('ingress problems', () => {
  const cases: ProblemCase[] = [
    {
      name: 'class does not exist',
      spec: { ingressClass: 'nginx' },
      facts,
      field: 'ingressClass',
      message: 'IngressClass nginx does not exist (classes: traefik, haproxy)',
      code: 'ingress/no-controller',
    },
    {
      name: 'no class and no default',
      spec: {},
      facts: { ...facts, ingressClasses: [named('IngressClass', 'haproxy')] },
      field: 'ingressClass',
      message: 'no default IngressClass',
      code: 'ingress/no-controller',
    },
    {
      name: 'no class at all',
      spec: {},
      facts: { ingressClasses: [] },
      field: 'ingressClass',
      message: 'no IngressClass exists',
      code: 'ingress/no-controller',
    },
    {
      name: 'TLS secret missing',
      spec: { tlsSecret: 'nope', ingressClass: 'traefik' },
      facts,
      field: 'tlsSecret',
      message: 'Secret shop/nope does not exist',
      code: 'ingress/tls-secret-missing',
    },
    {
      name: 'several ports',
      spec: { port: undefined },
      facts,
      field: 'port',
      message: 'has 2 ports (http:80/TCP, admin:9000/TCP)',
    },
    {
      name: 'unknown port',
      spec: { port: 'grpc' },
      facts,
      field: 'port',
      message: 'has no port grpc',
      code: 'ingress/backend-missing',
    },
    {
      name: 'UDP port',
      spec: { service: svc('dns', { ports: [{ port: 53, protocol: 'UDP' }] }), port: undefined },
      field: 'port',
      message: 'an Ingress carries HTTP over TCP only',
    },
    { name: 'bad host', spec: { host: 'Shop_Example' }, field: 'host', message: 'not a valid host name' },
    { name: 'bad path', spec: { path: 'api' }, field: 'path', message: 'must start with /' },
    {
      name: 'sticky with Traefik without in-place',
      spec: { sticky: true },
      facts: controllers,
      field: 'sticky',
      message: 'Traefik reads them there): add --in-place',
    },
    {
      name: 'sticky with ingress-nginx and in-place',
      spec: { sticky: true, ingressClass: 'nginx', inPlace: true },
      facts: controllers,
      field: 'inPlace',
      message: 'drop --in-place',
    },
    {
      name: 'sticky with an unknown controller',
      spec: { sticky: true, ingressClass: 'haproxy' },
      facts: controllers,
      field: 'sticky',
      message: 'does not know the cookie affinity of ingress controller haproxy.org/ingress-controller/haproxy',
    },
    {
      name: 'sticky without cluster facts',
      spec: { sticky: true, ingressClass: 'nginx' },
      field: 'sticky',
      message: 'the controller of IngressClass nginx is not known here',
    },
    {
      name: 'option of another mode',
      spec: { nodePort: 30000 },
      field: 'nodePort',
      message: 'does not apply to mode ingress',
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expectProblem(base, c);
    });
});
