import { describe, expect, it } from 'vitest';
import type { ExposeFacts, ExposeSpec } from '../../../src/modes/index.js';
import { expectGolden, expectOK, expectOwnedLabels, expectProblem, named, svc, type ProblemCase } from './helpers.js';

const web = svc('web', { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 9000 }] });
const single = svc('api', { ports: [{ port: 8080 }] });
const base: ExposeSpec = { service: web, mode: 'ingress', port: 'http' };
const facts: ExposeFacts = {
  services: [web],
  ingressClasses: [named('IngressClass', 'traefik', undefined, { metadata: { name: 'traefik', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } }), named('IngressClass', 'haproxy')],
  secrets: [named('Secret', 'web-tls', 'shop')],
};

describe('ingress manifests (golden)', () => {
  const cases: Array<{ name: string; spec: Partial<ExposeSpec>; facts?: ExposeFacts; note?: RegExp }> = [
    { name: 'host-path-class', spec: { host: 'shop.example.com', path: '/api', ingressClass: 'haproxy' }, facts },
    { name: 'default-class', spec: { host: 'shop.example.com' }, facts, note: /default IngressClass traefik/ },
    { name: 'tls', spec: { host: 'shop.example.com', tlsSecret: 'web-tls', ingressClass: 'traefik' }, facts },
    { name: 'single-unnamed-port', spec: { service: single, port: undefined, host: '*.apps.example.com' }, facts },
    { name: 'sticky-in-place', spec: { host: 'shop.example.com', sticky: true, stickyTimeout: 120, inPlace: true }, facts },
    { name: 'no-facts', spec: { host: 'shop.example.com', ingressClass: 'nginx', preserveSourceIP: true }, note: /X-Forwarded-For/ },
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
    { name: 'class does not exist', spec: { ingressClass: 'nginx' }, facts, field: 'ingressClass', message: 'IngressClass nginx does not exist (classes: traefik, haproxy)', code: 'ingress/no-controller' },
    { name: 'no class and no default', spec: {}, facts: { ...facts, ingressClasses: [named('IngressClass', 'haproxy')] }, field: 'ingressClass', message: 'no default IngressClass', code: 'ingress/no-controller' },
    { name: 'no class at all', spec: {}, facts: { ingressClasses: [] }, field: 'ingressClass', message: 'no IngressClass exists', code: 'ingress/no-controller' },
    { name: 'TLS secret missing', spec: { tlsSecret: 'nope', ingressClass: 'traefik' }, facts, field: 'tlsSecret', message: 'Secret shop/nope does not exist', code: 'ingress/tls-secret-missing' },
    { name: 'several ports', spec: { port: undefined }, facts, field: 'port', message: 'has 2 ports (http:80/TCP, admin:9000/TCP)' },
    { name: 'unknown port', spec: { port: 'grpc' }, facts, field: 'port', message: 'has no port grpc', code: 'ingress/backend-missing' },
    { name: 'UDP port', spec: { service: svc('dns', { ports: [{ port: 53, protocol: 'UDP' }] }), port: undefined }, field: 'port', message: 'an Ingress carries HTTP over TCP only' },
    { name: 'bad host', spec: { host: 'Shop_Example' }, field: 'host', message: 'not a valid host name' },
    { name: 'bad path', spec: { path: 'api' }, field: 'path', message: 'must start with /' },
    { name: 'sticky without in-place', spec: { sticky: true }, field: 'sticky', message: 'add --in-place' },
    { name: 'option of another mode', spec: { nodePort: 30000 }, field: 'nodePort', message: 'does not apply to mode ingress' },
  ];
  for (const c of cases) it(c.name, () => { expectProblem(base, c); });
});
