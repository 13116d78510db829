// Gateway API facts: hostname intersection as the spec defines it, attachment, redirect-only
// routes, ReferenceGrants; and `list` and `diagnose` reading the same facts.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/discover/context.js';
import {
  attachmentsOf,
  gatewayApiFacts,
  hostnamesIntersect,
  referencePermitted,
  routeServes,
} from '../../../src/discover/gateway-api.js';
import { discoverExposures } from '../../../src/discover/index.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { gateway, gatewayClass, referenceGrant, route, service } from '../../helpers/builders.js';
import { diagnose, pairs, snapshotOf } from '../analyzers/helpers.js';

const cls = gatewayClass('c', 'example.net/gateway-controller');
const listener = (name: string, hostname?: string, extra: Record<string, unknown> = {}) => ({
  name,
  protocol: 'HTTP',
  port: 80,
  ...(hostname ? { hostname } : {}),
  allowedRoutes: { namespaces: { from: 'All' } },
  ...extra,
});
const httpRoute = (name: string, spec: Record<string, unknown>, namespace = 'default') =>
  route('HTTPRoute', name, spec, { namespace });

describe('hostname intersection (Gateway API "Hostnames": wildcards are suffix matches)', () => {
  it.each([
    ['test.example.com', 'test.example.com', true],
    ['test.example.com', '*.example.com', true],
    ['*.example.com', 'test.example.com', true],
    ['*.example.com', 'foo.test.example.com', true],
    ['*.example.com', '*.foo.example.com', true],
    ['*.com', 'test.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'test.example.net', false],
    ['test.example.com', 'other.example.com', false],
    ['Test.Example.com', 'test.example.com', true],
    ['*.example.com', '*.example.net', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(hostnamesIntersect(a, b)).toBe(expected);
    expect(hostnamesIntersect(b, a)).toBe(expected);
  });
});

describe('attachment', () => {
  const attachments = (objs: KubeObject[]) => {
    const ctx = buildContext(snapshotOf(objs));
    return attachmentsOf(ctx, gatewayApiFacts(ctx).routes[0]!);
  };

  it('a route hostname outside the listener hostname: refused, with the hostnames', () => {
    const [a] = attachments([
      gateway(
        'gw',
        { gatewayClassName: 'c', listeners: [listener('https', 'services.example.net')] },
        { namespace: 'gw' },
      ),
      httpRoute('r', {
        parentRefs: [{ name: 'gw', namespace: 'gw', sectionName: 'https' }],
        hostnames: ['repo.example.net'],
        rules: [],
      }),
    ]);
    expect(a).toMatchObject({ state: 'refused' });
    expect(a!.state === 'refused' && a!.why).toMatch(
      /listener https serves hostname services.example.net, which none of the route's hostnames \(repo.example.net\) matches/,
    );
  });

  it('without sectionName, the route attaches to the listeners whose hostnames intersect, only those', () => {
    const [a] = attachments([
      gateway('gw', {
        gatewayClassName: 'c',
        listeners: [listener('a', 'a.example.com'), listener('wild', '*.example.com'), listener('any')],
      }),
      httpRoute('r', { parentRefs: [{ name: 'gw' }], hostnames: ['b.example.com'], rules: [] }),
    ]);
    expect(a!.state === 'attached' && a!.listeners.map((l) => l.name)).toEqual(['wild', 'any']);
  });

  it('no hostnames on the route, or TCPRoute (no hostnames at all): the listener hostname does not refuse', () => {
    const [a] = attachments([
      gateway('gw', { gatewayClassName: 'c', listeners: [listener('h', 'a.example.com')] }),
      httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [] }),
    ]);
    expect(a!.state).toBe('attached');
    const [b] = attachments([
      gateway('gw', {
        gatewayClassName: 'c',
        listeners: [
          {
            name: 't',
            protocol: 'TLS',
            port: 443,
            hostname: 'a.example.com',
            allowedRoutes: { kinds: [{ kind: 'TCPRoute' }] },
          },
        ],
      }),
      route('TCPRoute', 'r', { parentRefs: [{ name: 'gw' }], rules: [] }),
    ]);
    expect(b!.state).toBe('attached');
  });

  it('list and diagnose agree: the hostname refusal is a broken row and a route-not-attached finding', () => {
    const objs = [
      cls,
      gateway('gw', { gatewayClassName: 'c', listeners: [listener('https', 'services.example.net')] }),
      httpRoute('r', {
        parentRefs: [{ name: 'gw', sectionName: 'https' }],
        hostnames: ['repo.example.net'],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
      }),
    ];
    const row = discoverExposures(snapshotOf(objs)).find((e) => e.kind === 'HTTPRoute')!;
    expect(row.status).toBe('broken');
    expect(row.reason).toMatch(/none of the route's hostnames/);
    expect(pairs(diagnose(snapshotOf(objs), { check: 'gateway' }))).toEqual([
      ['gateway/route-not-attached', 'HTTPRoute default/r'],
    ]);
  });
});

describe('redirect-only routes (a RequestRedirect rule without backendRefs is valid)', () => {
  const redirect = httpRoute('redirect', {
    parentRefs: [{ name: 'gw' }],
    hostnames: ['shop.example.com'],
    rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
  });
  const programmed = {
    addresses: [{ type: 'IPAddress', value: '192.0.2.9' }],
    conditions: [
      { type: 'Accepted', status: 'True' },
      { type: 'Programmed', status: 'True' },
    ],
  };
  const objs = [cls, gateway('gw', { gatewayClassName: 'c', listeners: [listener('http')] }, {}, programmed), redirect];

  it('list: not broken, says it redirects; diagnose: no finding; both read routeServes', () => {
    const row = discoverExposures(snapshotOf(objs)).find((e) => e.kind === 'HTTPRoute')!;
    expect(row.status).toBe('ready');
    expect(row.reason).toMatch(/redirects \(RequestRedirect\), no backend/);
    expect(diagnose(snapshotOf(objs))).toEqual([]);
    const ctx = buildContext(snapshotOf(objs));
    expect(routeServes(gatewayApiFacts(ctx).routes[0]!)).toBe(true);
  });

  it('a rule with neither backendRefs nor a redirect still makes the row broken (no backendRef)', () => {
    const empty = httpRoute('empty', {
      parentRefs: [{ name: 'gw' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }],
    });
    const row = discoverExposures(snapshotOf([...objs.slice(0, 2), empty])).find((e) => e.kind === 'HTTPRoute')!;
    expect(row.status).toBe('broken');
    expect(row.reason).toMatch(/no backendRef/);
  });
});

describe('ReferenceGrants', () => {
  const gw = gateway('gw', { gatewayClassName: 'c', listeners: [listener('http')] }, { namespace: 'infra' });
  const toApi = (ns: string) =>
    httpRoute(
      'r',
      {
        parentRefs: [{ name: 'gw', namespace: 'infra' }],
        rules: [{ backendRefs: [{ name: 'api', namespace: 'backend', port: 80 }] }],
      },
      ns,
    );
  const api = service('api', { ports: [{ port: 80 }] }, { namespace: 'backend' });
  const grant = (fromNs: string, to: Record<string, unknown>) =>
    referenceGrant(
      'g',
      'backend',
      [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: fromNs }],
      [to],
    );

  it.each([
    [
      'a grant for the route namespace and the Service by name',
      grant('apps', { group: '', kind: 'Service', name: 'api' }),
      true,
    ],
    ['a grant for every Service of the namespace (no name)', grant('apps', { group: '', kind: 'Service' }), true],
    ['a grant for another namespace', grant('other', { group: '', kind: 'Service' }), false],
    ['a grant for another Service', grant('apps', { group: '', kind: 'Service', name: 'db' }), false],
    ['a grant for Secrets only', grant('apps', { group: '', kind: 'Secret' }), false],
  ])('%s: permitted %s', (_, g, permitted) => {
    const ctx = buildContext(snapshotOf([gw, toApi('apps'), api, g]));
    expect(
      referencePermitted(ctx, 'HTTPRoute', 'apps', { group: '', kind: 'Service', namespace: 'backend', name: 'api' }),
    ).toBe(permitted);
  });

  it('files: judged only when the input holds ReferenceGrants and the target namespace (the grant may live in another repository)', () => {
    const without = pairs(diagnose(snapshotOf([gw, toApi('apps'), api]), { check: 'gateway' }));
    expect(without).toEqual([]);
    const other = pairs(
      diagnose(snapshotOf([gw, toApi('apps'), api, grant('other', { group: '', kind: 'Service' })]), {
        check: 'gateway',
      }),
    );
    expect(other).toEqual([['gateway/ref-not-permitted', 'HTTPRoute apps/r']]);
  });

  it('list: the route row is broken with the reason; with the grant it is not', () => {
    const bad = discoverExposures(
      snapshotOf([cls, gw, toApi('apps'), api, grant('other', { group: '', kind: 'Service' })]),
    ).find((e) => e.kind === 'HTTPRoute')!;
    expect(bad.status).toBe('broken');
    expect(bad.reason).toMatch(
      /backendRef backend\/api not permitted: no ReferenceGrant in backend allows HTTPRoutes from apps/,
    );
    const good = discoverExposures(
      snapshotOf([cls, gw, toApi('apps'), api, grant('apps', { group: '', kind: 'Service' })]),
    ).find((e) => e.kind === 'HTTPRoute')!;
    expect(good.reason ?? '').not.toMatch(/not permitted/);
  });

  it('a certificateRef into another namespace needs a grant from the Gateway (live)', () => {
    const tlsGw = gateway(
      'gw',
      {
        gatewayClassName: 'c',
        listeners: [
          {
            name: 'https',
            protocol: 'HTTPS',
            port: 443,
            tls: { certificateRefs: [{ kind: 'Secret', name: 'wild', namespace: 'certs' }] },
          },
        ],
      },
      { namespace: 'infra' },
    );
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'wild', namespace: 'certs' },
      type: 'kubernetes.io/tls',
    } as KubeObject;
    const gatewayGrant = referenceGrant(
      'g',
      'certs',
      [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra' }],
      [{ group: '', kind: 'Secret', name: 'wild' }],
    );
    expect(pairs(diagnose(snapshotOf([tlsGw, secret], 'cluster'), { check: 'gateway' }))).toEqual([
      ['gateway/ref-not-permitted', 'Gateway infra/gw'],
    ]);
    expect(pairs(diagnose(snapshotOf([tlsGw, secret, gatewayGrant], 'cluster'), { check: 'gateway' }))).toEqual([]);
  });
});
