import { describe, expect, it } from 'vitest';
import type { ExposeFacts, ExposeSpec } from '../../../src/modes/index.js';
import { expectGolden, expectOK, expectOwnedLabels, expectProblem, named, type ProblemCase, svc } from './helpers.js';

const app = svc('app', {
  ports: [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'https', port: 443, targetPort: 8443 },
    { name: 'pg', port: 5432 },
    { name: 'dns', port: 53, protocol: 'UDP' },
  ],
});
const web = svc('web', { ports: [{ name: 'web', port: 8080, appProtocol: 'http' }] });
const base: ExposeSpec = { service: web, mode: 'gateway' };
const shared = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'shared', namespace: 'infra' },
  spec: {
    gatewayClassName: 'eg',
    listeners: [
      { name: 'web', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
      { name: 'websecure', protocol: 'HTTPS', port: 443, allowedRoutes: { namespaces: { from: 'All' } } },
      {
        name: 'tcp-only',
        protocol: 'HTTP',
        port: 8000,
        allowedRoutes: { kinds: [{ kind: 'TCPRoute' }], namespaces: { from: 'All' } },
      },
      { name: 'db', protocol: 'TCP', port: 5432 },
    ],
  },
};
const facts: ExposeFacts = {
  services: [web, app],
  gatewayClasses: [named('GatewayClass', 'eg')],
  gateways: [shared],
  secrets: [named('Secret', 'app-tls', 'shop')],
};

describe('gateway manifests (golden)', () => {
  const cases: Array<{ name: string; spec: Partial<ExposeSpec>; facts?: ExposeFacts; note?: RegExp }> = [
    { name: 'http-new-gateway', spec: { host: 'web.example.com' }, facts },
    {
      name: 'all-kinds',
      spec: { service: app, gatewayClass: 'eg', host: 'app.example.com' },
      facts,
      note: /served versions are not known/,
    },
    { name: 'tls-port-without-host', spec: { service: app, port: 'https' }, facts, note: /passes through as TCP/ },
    {
      name: 'older-gateway-api',
      spec: { service: app, host: 'app.example.com' },
      facts: {
        ...facts,
        servedVersions: {
          TCPRoute: ['v1alpha2'],
          TLSRoute: ['v1alpha2', 'v1alpha3'],
          UDPRoute: ['v1alpha2'],
          HTTPRoute: ['v1', 'v1beta1'],
        },
      },
    },
    {
      name: 'https-terminate',
      spec: { service: app, port: 'http', tlsSecret: 'app-tls', host: 'app.example.com' },
      facts,
    },
    {
      name: 'https-terminate-on-443',
      spec: {
        service: svc('app', {
          ports: [
            { name: 'http', port: 443, targetPort: 8080 },
            { name: 'pg', port: 5432 },
          ],
        }),
        tlsSecret: 'app-tls',
      },
      facts,
    },
    {
      name: 'http-ports-option',
      spec: { service: svc('plain', { ports: [{ port: 3000 }] }), httpPorts: [3000] },
      facts,
    },
    { name: 'existing-gateway', spec: { gateway: 'infra/shared' }, facts },
    { name: 'no-facts', spec: { gatewayClass: 'cilium', preserveSourceIP: true }, note: /no portable setting/ },
    { name: 'existing-gateway-no-facts', spec: { gateway: 'shared' }, note: /not checked/ },
    {
      name: 'sticky-http',
      spec: { sticky: true, stickyTimeout: 3600, host: 'web.example.com' },
      facts,
      note: /experimental channel/,
    },
    { name: 'sticky-existing-gateway', spec: { sticky: true, gateway: 'infra/shared' }, facts },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { manifests, notes } = expectOK({ ...base, ...c.spec }, c.facts);
      expectOwnedLabels(manifests, c.spec.service?.metadata.name ?? 'web');
      expectGolden(`gateway/${c.name}`, manifests);
      if (c.note) expect(notes.join('\n')).toMatch(c.note);
    });
  }

  it('notes a route kind the cluster does not serve', () => {
    const { notes } = expectOK({ ...base, service: app, port: 'pg' }, { ...facts, servedVersions: { TCPRoute: [] } });
    expect(notes.join('\n')).toMatch(/serves no known version of TCPRoute/);
  });

  it('attaches a TCP port to the existing TCP listener', () => {
    const { manifests } = expectOK(
      { ...base, service: app, port: 'pg', gateway: 'shared' },
      { ...facts, gateways: [{ ...shared, metadata: { name: 'shared', namespace: 'shop' } }] },
    );
    // the gateway is in the Service's namespace here: the default (Same) admits it
    expect(manifests).toHaveLength(1);
    expect(manifests[0]!.kind).toBe('TCPRoute');
    expect(manifests[0]!.spec?.parentRefs).toEqual([{ name: 'shared', sectionName: 'db' }]);
  });
});

describe('gateway problems', () => {
  const cases: ProblemCase[] = [
    {
      name: 'existing gateway missing',
      spec: { gateway: 'nope' },
      facts,
      field: 'gateway',
      message: 'Gateway shop/nope does not exist',
      code: 'gateway/route-not-attached',
    },
    {
      name: 'no listener for the protocol',
      spec: { service: app, port: 'dns', gateway: 'infra/shared' },
      facts,
      field: 'gateway',
      message: 'has no UDP listener for port 53 (UDPRoute)',
      code: 'gateway/route-not-attached',
    },
    {
      name: 'listener does not admit the namespace',
      spec: { service: app, port: 'pg', gateway: 'infra/shared' },
      facts,
      field: 'gateway',
      message: 'admits a TCPRoute from namespace shop',
      code: 'gateway/route-not-attached',
    },
    {
      name: 'class given with an existing gateway',
      spec: { gateway: 'infra/shared', gatewayClass: 'eg' },
      facts,
      field: 'gatewayClass',
      message: 'is for a new Gateway',
    },
    {
      name: 'TLS secret with an existing gateway',
      spec: { gateway: 'infra/shared', tlsSecret: 'x' },
      facts,
      field: 'tlsSecret',
      message: 'keeps its own certificates',
    },
    {
      name: 'class missing',
      spec: { gatewayClass: 'nginx' },
      facts,
      field: 'gatewayClass',
      message: 'GatewayClass nginx does not exist (classes: eg)',
    },
    { name: 'no class known, none given', spec: {}, field: 'gatewayClass', message: 'needs --gateway-class' },
    {
      name: 'several classes',
      spec: {},
      facts: { ...facts, gatewayClasses: [named('GatewayClass', 'a'), named('GatewayClass', 'b')] },
      field: 'gatewayClass',
      message: 'several GatewayClasses exist (a, b)',
    },
    {
      name: 'no class exists',
      spec: {},
      facts: { ...facts, gatewayClasses: [] },
      field: 'gatewayClass',
      message: 'no GatewayClass exists',
    },
    {
      name: 'TLS secret without HTTP port',
      spec: { service: app, port: 'pg', tlsSecret: 'app-tls' },
      facts,
      field: 'tlsSecret',
      message: 'no published port is HTTP',
    },
    {
      name: 'TLS secret with several HTTP ports',
      spec: {
        service: svc('two', {
          ports: [
            { name: 'http', port: 80 },
            { name: 'http-alt', port: 8080 },
          ],
        }),
        tlsSecret: 'app-tls',
      },
      facts,
      field: 'tlsSecret',
      message: 'and 2 are published (80, 8080): choose one with --port',
    },
    {
      name: 'TLS secret and a TLS port on 443',
      spec: { service: app, tlsSecret: 'app-tls' },
      facts,
      field: 'tlsSecret',
      message: "port 443 is needed for the HTTPS listener but the Service's own port 443 (TCP)",
    },
    {
      name: 'TLS secret missing',
      spec: { service: app, port: 'http', tlsSecret: 'nope' },
      facts,
      field: 'tlsSecret',
      message: 'Secret shop/nope does not exist',
      code: 'ingress/tls-secret-missing',
    },
    { name: 'unknown port', spec: { port: 81 }, facts, field: 'port', message: 'has no port 81' },
    {
      name: 'unknown http port',
      spec: { httpPorts: ['admin'] },
      facts,
      field: 'httpPorts',
      message: 'has no port admin',
    },
    { name: 'bad host', spec: { host: 'a..b' }, facts, field: 'host', message: 'not a valid host name' },
    {
      name: 'sticky with in-place',
      spec: { sticky: true, inPlace: true },
      facts,
      field: 'inPlace',
      message: 'session persistence on the HTTPRoute; the Service is not touched',
    },
    {
      name: 'sticky on a TCP port',
      spec: { service: app, gatewayClass: 'eg', sticky: true },
      facts,
      field: 'sticky',
      message: 'port 443 (TCPRoute), 5432 (TCPRoute), 53 (UDPRoute) is not HTTP',
    },
    {
      name: 'option of another mode',
      spec: { ingressClass: 'x' },
      facts,
      field: 'ingressClass',
      message: 'does not apply to mode gateway',
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expectProblem(base, c);
    });
});
