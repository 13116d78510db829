import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import { destinationService, serversFor } from '../../../src/discover/istio.js';
import { service, slice, snap } from '../../helpers/builders.js';
import { httpRoute, ingressGatewayService, istioGateway, server, virtualService } from './istio-builders.js';

const gw = istioGateway('public', [server(80, ['*.example.com'])]);
const vs = (over: Record<string, unknown> = {}) =>
  virtualService('shop', {
    hosts: ['shop.example.com'],
    gateways: ['istio-system/public'],
    http: [httpRoute('web', 80)],
    ...over,
  });
const web = service('web', { ports: [{ port: 80, protocol: 'TCP' }] });
const istioRows = (objects: Parameters<typeof snap>[0], source: 'files' | 'cluster' = 'cluster') =>
  discoverExposures(snap(objects, source)).filter((e) => e.implementation === 'istio');

describe('Istio Gateway and VirtualService rows', () => {
  it("a bound VirtualService: ingress row with the gateway Service's address, its hosts, its destination", () => {
    const rows = istioRows([
      ingressGatewayService(),
      gw,
      vs(),
      web,
      slice('web', [{ ready: true }]),
      slice('istio-ingressgateway', [{ ready: true }], 'IPv4', 'gw', 'istio-system'),
    ]);
    expect(rows.map((r) => [r.kind, r.namespace, r.name, r.mode, r.status])).toEqual([
      ['VirtualService', 'default', 'shop', 'ingress', 'ready'],
      ['Gateway', 'istio-system', 'public', 'ingress', 'ready'],
    ]);
    expect(rows[0]).toMatchObject({
      addresses: ['198.51.100.80'],
      hosts: ['shop.example.com'],
      service: { namespace: 'default', name: 'web' },
      ports: [{ port: 80, protocol: 'TCP', name: 'http-80', targetPort: 80 }],
      sourceIP: 'lost',
    });
    expect(rows[1]).toMatchObject({
      service: { namespace: 'istio-system', name: 'istio-ingressgateway' },
      hosts: ['*.example.com'],
    });
  });

  it('the ingress gateway Service with externalTrafficPolicy Local keeps the client address', () => {
    const [row] = istioRows([ingressGatewayService('Local'), gw, vs(), web, slice('web', [{ ready: true }])]);
    expect(row!.sourceIP).toBe('preserved');
  });

  it('mesh-only VirtualServices (no gateways, or only mesh) are east-west: no row', () => {
    expect(
      istioRows([vs({ gateways: undefined }), vs({ gateways: ['mesh'] })]).filter((r) => r.kind === 'VirtualService'),
    ).toEqual([]);
  });

  it('bound to no existing Gateway: broken live, unknown from files', () => {
    const [live] = istioRows([vs({ gateways: ['nope'] }), web, slice('web', [{ ready: true }])]);
    expect(live).toMatchObject({ status: 'broken', reason: 'Gateway default/nope not found' });
    const [files] = istioRows([vs({ gateways: ['nope'] }), web], 'files');
    expect(files!.status).toBe('unknown');
  });

  it('hosts that match no server of the Gateway: broken', () => {
    const [row] = istioRows([
      ingressGatewayService(),
      gw,
      vs({ hosts: ['shop.example.org'] }),
      web,
      slice('web', [{ ready: true }]),
    ]);
    expect(row).toMatchObject({
      status: 'broken',
      reason: 'no server of Gateway istio-system/public accepts its hosts',
    });
  });

  it('a destination Service or port that does not exist: broken', () => {
    const [missing] = istioRows([ingressGatewayService(), gw, vs({ http: [httpRoute('nope')] })]);
    expect(missing!.reason).toContain('destination Service default/nope not found');
    const [port] = istioRows([
      ingressGatewayService(),
      gw,
      vs({ http: [httpRoute('web', 8080)] }),
      web,
      slice('web', [{ ready: true }]),
    ]);
    expect(port!.reason).toContain('destination Service default/web has no port 8080');
  });
});

describe('Istio matching rules', () => {
  it('server hosts with a namespace scope accept only VirtualServices of that namespace', () => {
    const scoped = istioGateway('g', [server(80, ['shop/*'])]);
    expect(serversFor(scoped, vs())).toEqual([]);
    expect(serversFor(scoped, virtualService('x', { hosts: ['a.example.com'] }, 'shop'))).toHaveLength(1);
    expect(serversFor(istioGateway('g', [server(80, ['./*.example.com'])], 'default'), vs())).toHaveLength(1);
  });

  it('destination hosts: short names and FQDNs; Istio takes any other dotted host literally', () => {
    expect(destinationService('web', 'shop')).toEqual({ namespace: 'shop', name: 'web' });
    expect(destinationService('web.other', 'shop')).toBeUndefined();
    expect(destinationService('web.other.svc.cluster.local', 'shop')).toEqual({ namespace: 'other', name: 'web' });
    expect(destinationService('api.example.com', 'shop')).toBeUndefined();
  });
});
