// Topology of Istio's edge gateway: client -> address -> ingress gateway Service -> Gateway
// -> VirtualService -> Service -> Pods.
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../../src/model/topology.js';
import { buildTopology } from '../../../src/topology/build.js';
import { service, slice, snap } from '../../helpers/builders.js';
import { schemaErrors } from '../../helpers/schema.js';
import { httpRoute, ingressGatewayService, istioGateway, server, virtualService } from '../discover/istio-builders.js';

const objects = [
  ingressGatewayService('Local'),
  istioGateway('public', [server(80, ['*.example.com'])]),
  virtualService('shop', {
    hosts: ['shop.example.com'],
    gateways: ['istio-system/public'],
    http: [httpRoute('web', 80)],
  }),
  service('web', { ports: [{ port: 80, protocol: 'TCP' }] }),
  slice('web', [{ ready: true, node: 'n1' }]),
];
const valid = (t: Topology) => {
  expect(schemaErrors('topology.schema.json', JSON.parse(JSON.stringify(t)))).toEqual([]);
  return t;
};
const has = (t: Topology, from: string, to: string) => t.edges.some((e) => e.from === from && e.to === to);

describe('Istio topology', () => {
  for (const only of [undefined, { namespace: 'default', name: 'web' }]) {
    it(`the whole path${only ? ' (topology web)' : ''}`, () => {
      const t = valid(buildTopology(snap(objects), only ? { service: only } : {}));
      const gw = 'gateway:Gateway/istio-system/public';
      const ingressSvc = 'service:istio-system/istio-ingressgateway';
      expect(has(t, 'client', 'address:198.51.100.80')).toBe(true);
      expect(has(t, 'address:198.51.100.80', ingressSvc)).toBe(true);
      expect(has(t, ingressSvc, gw)).toBe(true);
      expect(has(t, gw, 'route:VirtualService/default/shop')).toBe(true);
      expect(has(t, 'route:VirtualService/default/shop', 'service:default/web')).toBe(true);
      expect(t.nodes.find((n) => n.id === 'route:VirtualService/default/shop')).toMatchObject({
        objectKind: 'VirtualService',
        implementation: 'istio',
        details: ['hosts shop.example.com'],
      });
      expect(t.nodes.some((n) => n.kind === 'pod')).toBe(true);
    });
  }

  it('a VirtualService bound to a Gateway not in the input: the Gateway is drawn as unknown', () => {
    const t = valid(
      buildTopology(
        snap([
          virtualService('shop', { hosts: ['a'], gateways: ['gone'], http: [httpRoute('web')] }),
          service('web', {}),
        ]),
      ),
    );
    expect(t.nodes.find((n) => n.id === 'gateway:Gateway/default/gone')).toMatchObject({ status: 'unknown' });
  });
});
