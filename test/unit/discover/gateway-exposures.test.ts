import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { gateway, gatewayClass, route, service, slice, snap } from '../../helpers/builders.js';

const rowsOf = (objs: KubeObject[], source: 'files' | 'cluster' = 'files') => discoverExposures(snap(objs, source));
const gwRow = (objs: KubeObject[], source: 'files' | 'cluster' = 'files') =>
  rowsOf(objs, source).find((e) => e.kind === 'Gateway')!;
const routeRow = (objs: KubeObject[], source: 'files' | 'cluster' = 'files') =>
  rowsOf(objs, source).find((e) => e.kind.endsWith('Route'));

const programmed = (...ips: string[]) => ({
  addresses: ips.map((value) => ({ type: 'IPAddress', value })),
  conditions: [
    { type: 'Accepted', status: 'True' },
    { type: 'Programmed', status: 'True' },
  ],
});
const http = (
  name: string,
  parentRefs: unknown[],
  backend = 'web',
  meta: Record<string, unknown> = {},
  status?: Record<string, unknown>,
) =>
  route(
    'HTTPRoute',
    name,
    { parentRefs, hostnames: ['app.example.com'], rules: [{ backendRefs: [{ name: backend, port: 8080 }] }] },
    meta,
    status,
  );

describe('Gateway rows', () => {
  it.each([
    ['io.cilium/gateway-controller', 'cilium'],
    ['gateway.envoyproxy.io/gatewayclass-controller', 'envoy-gateway'],
    ['istio.io/gateway-controller', 'istio'],
    ['gateway.nginx.org/nginx-gateway-controller', 'nginx-gateway-fabric'],
    ['example.com/gateway-controller', 'example.com/gateway-controller'],
  ])('implementation from GatewayClass controllerName %s', (controller, implementation) => {
    expect(gwRow([gateway('gw', { gatewayClassName: 'c' }), gatewayClass('c', controller)]).implementation).toBe(
      implementation,
    );
  });

  it('class not in the input: guessed from a conventional class name, status unknown', () => {
    const e = gwRow([gateway('gw', { gatewayClassName: 'cilium' })]);
    expect(e.implementation).toBe('cilium');
    expect(e.status).toBe('unknown');
    expect(e.reason).toMatch(/GatewayClass cilium not in the input/);
  });

  it('class missing in a live cluster: broken', () => {
    const e = gwRow([gateway('gw', { gatewayClassName: 'cilium' }, {}, programmed('192.0.2.1'))], 'cluster');
    expect(e.status).toBe('broken');
    expect(e.implementation).toBeNull();
  });

  it('ports from listeners, hosts from listener hostnames', () => {
    const e = gwRow([
      gateway('gw', {
        gatewayClassName: 'c',
        listeners: [
          { name: 'web', protocol: 'HTTPS', port: 443, hostname: '*.example.com' },
          { name: 'dns', protocol: 'UDP', port: 53 },
        ],
      }),
      gatewayClass('c', 'io.cilium/gateway-controller'),
    ]);
    expect(e.ports).toEqual([
      { port: 443, protocol: 'TCP', name: 'web' },
      { port: 53, protocol: 'UDP', name: 'dns' },
    ]);
    expect(e.hosts).toEqual(['*.example.com']);
    expect(e).toMatchObject({ mode: 'gateway', kind: 'Gateway', sourceIP: 'unknown' });
  });

  it.each([
    ['live, programmed with an address: ready', 'cluster', programmed('192.0.2.1'), {}, 'ready', ['192.0.2.1']],
    ['live, no address: pending', 'cluster', { conditions: [] }, {}, 'pending', []],
    [
      'live, not programmed: broken',
      'cluster',
      {
        addresses: [],
        conditions: [{ type: 'Programmed', status: 'False', reason: 'Invalid', message: 'bad listener' }],
      },
      {},
      'broken',
      [],
    ],
    [
      'files, spec.addresses: shown, unknown',
      'files',
      undefined,
      { addresses: [{ value: '192.0.2.5' }] },
      'unknown',
      ['192.0.2.5'],
    ],
    ['files, no addresses: unknown', 'files', undefined, {}, 'unknown', []],
  ])('%s', (_, source, status, spec, expected, addresses) => {
    const e = gwRow(
      [
        gateway('gw', { gatewayClassName: 'c', ...spec }, {}, status),
        gatewayClass('c', 'io.cilium/gateway-controller'),
      ],
      source as 'files' | 'cluster',
    );
    expect(e.status).toBe(expected);
    expect(e.addresses).toEqual(addresses);
  });

  it('finds the data-plane Service by the gateway-name label', () => {
    const dp = service(
      'cilium-gateway-gw',
      { type: 'LoadBalancer', selector: undefined },
      { labels: { 'gateway.networking.k8s.io/gateway-name': 'gw' } },
    );
    const e = gwRow(
      [
        gateway('gw', { gatewayClassName: 'c' }, {}, programmed('192.0.2.1')),
        gatewayClass('c', 'io.cilium/gateway-controller'),
        dp,
        slice('cilium-gateway-gw', [{}]),
      ],
      'cluster',
    );
    expect(e.service).toEqual({ namespace: 'default', name: 'cilium-gateway-gw' });
    expect(e.endpoints).toEqual({ ready: 1, total: 1 });
    expect(e.status).toBe('ready');
  });
});

describe('route rows', () => {
  const cls = gatewayClass('c', 'io.cilium/gateway-controller');
  const gw = gateway('gw', { gatewayClassName: 'c' }, {}, programmed('192.0.2.1'));

  it('service = first backendRef, addresses and implementation of the parent, ports of the listener', () => {
    const e = routeRow([gw, cls, http('r', [{ name: 'gw' }]), service('web', {}), slice('web', [{}])], 'cluster')!;
    expect(e).toMatchObject({
      kind: 'HTTPRoute',
      mode: 'gateway',
      implementation: 'cilium',
      addresses: ['192.0.2.1'],
      service: { namespace: 'default', name: 'web' },
      endpoints: { ready: 1, total: 1 },
      status: 'ready',
      hosts: ['app.example.com'],
    });
    expect(e.ports).toEqual([{ port: 80, protocol: 'TCP', name: 'http', targetPort: 8080 }]);
  });

  it.each(['GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'])('%s gets a row', (kind) => {
    const listeners = [
      {
        name: 'l',
        protocol: kind === 'UDPRoute' ? 'UDP' : kind === 'TCPRoute' ? 'TCP' : kind === 'TLSRoute' ? 'TLS' : 'HTTP',
        port: 9000,
      },
    ];
    const e = routeRow([
      gateway('gw', { gatewayClassName: 'c', listeners }),
      cls,
      route(kind, 'r', {
        parentRefs: [{ name: 'gw', sectionName: 'l' }],
        rules: [{ backendRefs: [{ name: 'b', port: 1 }] }],
      }),
    ]);
    expect(e).toMatchObject({
      kind,
      mode: 'gateway',
      implementation: 'cilium',
      service: { namespace: 'default', name: 'b' },
    });
    expect(e!.ports[0]!.port).toBe(9000);
  });

  it.each([
    [
      'parent missing (live): broken',
      [http('r', [{ name: 'nope' }]), service('web', {}), slice('web', [{}])],
      'cluster',
      'broken',
      /parent Gateway default\/nope not found/,
    ],
    [
      'parent missing (files): unknown',
      [http('r', [{ name: 'nope' }])],
      'files',
      'unknown',
      /parent Gateway default\/nope not in the input/,
    ],
    [
      'sectionName names no listener',
      [gw, cls, http('r', [{ name: 'gw', sectionName: 'https' }])],
      'files',
      'broken',
      /has no listener https/,
    ],
    [
      'other namespace, listener allows Same only',
      [gw, cls, http('r', [{ name: 'gw', namespace: 'default' }], 'web', { namespace: 'apps' })],
      'files',
      'broken',
      /admits routes from namespace default only/,
    ],
    [
      'kind not allowed by the listener',
      [
        gateway('gw', {
          gatewayClassName: 'c',
          listeners: [{ name: 't', protocol: 'TCP', port: 5432, allowedRoutes: { kinds: [{ kind: 'TCPRoute' }] } }],
        }),
        cls,
        http('r', [{ name: 'gw' }]),
      ],
      'files',
      'broken',
      /admits only TCPRoute, not HTTPRoute/,
    ],
    [
      'listener protocol does not fit',
      [
        gateway('gw', { gatewayClassName: 'c', listeners: [{ name: 't', protocol: 'TLS', port: 443 }] }),
        cls,
        http('r', [{ name: 'gw' }]),
      ],
      'files',
      'broken',
      /speaks TLS/,
    ],
    [
      'route not accepted (live status)',
      [
        gw,
        cls,
        http(
          'r',
          [{ name: 'gw' }],
          'web',
          {},
          {
            parents: [
              {
                parentRef: { name: 'gw' },
                conditions: [{ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners' }],
              },
            ],
          },
        ),
        service('web', {}),
        slice('web', [{}]),
      ],
      'cluster',
      'broken',
      /not accepted by gw \(NotAllowedByListeners\)/,
    ],
    [
      'backend Service missing (live)',
      [gw, cls, http('r', [{ name: 'gw' }])],
      'cluster',
      'broken',
      /backend Service default\/web not found/,
    ],
    [
      'parent Gateway pending (live)',
      [
        gateway('gw', { gatewayClassName: 'c' }, {}, { addresses: [] }),
        cls,
        http('r', [{ name: 'gw' }]),
        service('web', {}),
        slice('web', [{}]),
      ],
      'cluster',
      'pending',
      /parent Gateway default\/gw: no address/,
    ],
  ])('%s', (_, objs, source, status, reason) => {
    const e = routeRow(objs as KubeObject[], source as 'files' | 'cluster')!;
    expect(e.status).toBe(status);
    expect(e.reason).toMatch(reason);
  });

  it('cross-namespace attachment allowed with from: All', () => {
    const shared = gateway(
      'shared',
      {
        gatewayClassName: 'c',
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }],
      },
      { namespace: 'infra' },
      programmed('192.0.2.9'),
    );
    const e = routeRow(
      [
        shared,
        cls,
        http('r', [{ name: 'shared', namespace: 'infra' }], 'web', { namespace: 'apps' }),
        service('web', {}, { namespace: 'apps' }),
        slice('web', [{}], 'IPv4', 's', 'apps'),
      ],
      'cluster',
    )!;
    expect(e).toMatchObject({
      namespace: 'apps',
      status: 'ready',
      addresses: ['192.0.2.9'],
      service: { namespace: 'apps', name: 'web' },
    });
  });

  it('a backendRef in another namespace keeps its namespace', () => {
    const e = routeRow([
      gw,
      cls,
      route('HTTPRoute', 'r', {
        parentRefs: [{ name: 'gw' }],
        rules: [{ backendRefs: [{ name: 'api', namespace: 'backend', port: 80 }] }],
      }),
    ])!;
    expect(e.service).toEqual({ namespace: 'backend', name: 'api' });
  });

  it('a mesh route (parent is a Service or Mesh) is not an exposure', () => {
    expect(
      routeRow([route('HTTPRoute', 'm', { parentRefs: [{ group: '', kind: 'Service', name: 'web' }], rules: [] })]),
    ).toBeUndefined();
    expect(
      routeRow([
        route('TCPRoute', 'm', { parentRefs: [{ group: 'example.io', kind: 'Mesh', name: 'mesh' }], rules: [] }),
      ]),
    ).toBeUndefined();
  });

  it('a Gateway read twice: the route attaches to the version that accepts it', () => {
    const tls = gateway('gw', { gatewayClassName: 'c', listeners: [{ name: 'tls', protocol: 'TLS', port: 443 }] });
    const e = routeRow([gateway('gw', { gatewayClassName: 'c' }), tls, cls, http('r', [{ name: 'gw' }])])!;
    expect(e.ports.map((p) => p.port)).toEqual([80]);
    expect(e.status).not.toBe('broken');
  });
});

describe('Gateway and route source IP', () => {
  const cls = gatewayClass('c', 'io.cilium/gateway-controller');
  const dp = (policy?: string) =>
    service('cilium-gateway-gw', {
      type: 'LoadBalancer',
      selector: undefined,
      ...(policy ? { externalTrafficPolicy: policy } : {}),
    });
  const gw = gateway('gw', {
    gatewayClassName: 'c',
    listeners: [
      { name: 'http', protocol: 'HTTP', port: 80 },
      { name: 'tcp', protocol: 'TCP', port: 5432 },
    ],
  });
  const tcp = route('TCPRoute', 't', {
    parentRefs: [{ name: 'gw', sectionName: 'tcp' }],
    rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }],
  });
  const h = route('HTTPRoute', 'h', {
    parentRefs: [{ name: 'gw', sectionName: 'http' }],
    rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
  });
  it.each([
    ['no data-plane Service', [], 'unknown', 'unknown', 'unknown'],
    ['data-plane Service with Local policy', [dp('Local')], 'preserved', 'preserved', 'unknown'],
    ['data-plane Service with Cluster policy', [dp()], 'lost', 'lost', 'lost'],
  ])('%s: gateway %s, HTTPRoute %s, TCPRoute %s', (_, extra, atGateway, atHttp, atTcp) => {
    const rows = rowsOf([gw, cls, h, tcp, ...extra]);
    expect(rows.find((e) => e.kind === 'Gateway')!.sourceIP).toBe(atGateway);
    expect(rows.find((e) => e.kind === 'HTTPRoute')!.sourceIP).toBe(atHttp);
    expect(rows.find((e) => e.kind === 'TCPRoute')!.sourceIP).toBe(atTcp);
  });
});
