import { describe, expect, it } from 'vitest';
import { httpRoute, ingressGatewayService, istioGateway, server, virtualService } from '../discover/istio-builders.js';
import { diagnose, pairs, service, slice, snapshotOf } from './helpers.js';

const gw = istioGateway('public', [server(80, ['*.example.com'])]);
const vs = (over: Record<string, unknown> = {}) =>
  virtualService('shop', {
    hosts: ['shop.example.com'],
    gateways: ['istio-system/public'],
    http: [httpRoute('web', 80)],
    ...over,
  });
const web = service('web', { ports: [{ port: 80, protocol: 'TCP' }] });
const find = (objects: Parameters<typeof snapshotOf>[0], source: 'files' | 'cluster' = 'cluster') =>
  diagnose(snapshotOf(objects, source)).filter((f) => f.subject.kind === 'VirtualService');

describe('Istio VirtualService findings', () => {
  it('a good binding says nothing', () => {
    expect(find([ingressGatewayService(), gw, vs(), web, slice('web', [{ ready: true }])])).toEqual([]);
  });

  it('bound to a Gateway that does not exist (live): gateway/route-not-attached; from files: nothing proven', () => {
    const f = find([vs({ gateways: ['public'] }), web]);
    expect(pairs(f)).toEqual([['gateway/route-not-attached', 'VirtualService default/shop']]);
    expect(f[0]!.message).toContain('Gateway default/public (spec.gateways "public"), which does not exist');
    expect(find([vs({ gateways: ['public'] }), web], 'files')).toEqual([]);
  });

  it('hosts matching no server of the Gateway: gateway/route-not-attached, from files too', () => {
    const f = find([gw, vs({ hosts: ['shop.example.org'] }), web], 'files');
    expect(pairs(f)).toEqual([['gateway/route-not-attached', 'VirtualService default/shop']]);
    expect(f[0]!.message).toContain('matches a server host of the Gateway (*.example.com)');
  });

  it('a destination Service or port that does not exist: ingress/backend-missing', () => {
    expect(pairs(find([gw, vs({ http: [httpRoute('nope')] })]))).toEqual([
      ['ingress/backend-missing', 'VirtualService default/shop'],
    ]);
    const port = find([gw, vs({ http: [httpRoute('web', 8080)] }), web], 'files');
    expect(port[0]!.message).toContain('port 8080 of Service default/web, which has no such port (ports: 80)');
  });

  it('diagnose SERVICE keeps the VirtualServices that send to it', () => {
    const objs = snapshotOf([gw, vs({ http: [httpRoute('web', 8080)] }), web], 'files');
    expect(diagnose(objs, { service: { namespace: 'default', name: 'web' } }).map((f) => f.code)).toContain(
      'ingress/backend-missing',
    );
    expect(
      diagnose(objs, { service: { namespace: 'default', name: 'other' } }).filter(
        (f) => f.subject.kind === 'VirtualService',
      ),
    ).toEqual([]);
  });
});
