import { describe, expect, it } from 'vitest';
import { mappingBackend } from '../../../src/discover/emissary.js';
import { discoverExposures } from '../../../src/discover/index.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { buildTopology } from '../../../src/topology/build.js';
import { diagnose, pairs } from '../analyzers/helpers.js';
import { lbStatus, service, slice, snap } from './builders.js';

const mapping = (name: string, spec: Record<string, unknown>, ns = 'shop'): KubeObject =>
  ({ apiVersion: 'getambassador.io/v3alpha1', kind: 'Mapping', metadata: { name, namespace: ns }, spec }) as KubeObject;
const host = (name: string, hostname: string, ns = 'shop'): KubeObject =>
  ({
    apiVersion: 'getambassador.io/v3alpha1',
    kind: 'Host',
    metadata: { name, namespace: ns },
    spec: { hostname },
  }) as KubeObject;
const emissarySvc = service(
  'emissary-ingress',
  { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { 'app.kubernetes.io/name': 'emissary-ingress' } },
  { namespace: 'emissary', labels: { 'app.kubernetes.io/name': 'emissary-ingress' } },
  lbStatus('198.51.100.90'),
);
const web = service('web', {}, { namespace: 'shop' });

describe('Emissary Mapping and Host', () => {
  it('spec.service: name, name.namespace, FQDN, scheme and port; external names and addresses are not Services', () => {
    const b = (s: string) => {
      const x = mappingBackend(mapping('m', { prefix: '/', service: s }));
      return x ? [x.namespace, x.service, x.port.number] : undefined;
    };
    expect(b('web')).toEqual(['shop', 'web', 80]);
    expect(b('web.other:8080')).toEqual(['other', 'web', 8080]);
    expect(b('https://web.other.svc.cluster.local')).toEqual(['other', 'web', 443]);
    expect(b('api.example.com:443')).toBeUndefined();
    expect(b('192.0.2.5:80')).toBeUndefined();
  });

  it('rows of mode ingress, implementation emissary, at the Emissary Service address with its source IP', () => {
    const rows = discoverExposures(
      snap(
        [
          emissarySvc,
          web,
          host('shop', 'shop.example.com'),
          mapping('web', { hostname: 'shop.example.com', prefix: '/', service: 'web:80' }),
          slice('web', [{ ready: true }], 'IPv4', 'web-1', 'shop'),
        ],
        'cluster',
      ),
    ).filter((r) => r.implementation === 'emissary');
    expect(rows.map((r) => [r.kind, r.name, r.mode, r.addresses, r.sourceIP, r.hosts, r.service])).toEqual([
      [
        'Host',
        'shop',
        'ingress',
        ['198.51.100.90'],
        'preserved',
        ['shop.example.com'],
        { namespace: 'emissary', name: 'emissary-ingress' },
      ],
      [
        'Mapping',
        'web',
        'ingress',
        ['198.51.100.90'],
        'preserved',
        ['shop.example.com'],
        { namespace: 'shop', name: 'web' },
      ],
    ]);
  });

  it('diagnose: a Mapping whose Service does not exist is ingress/backend-missing (live), not from files without Services', () => {
    const bad = mapping('api', { prefix: '/api/', service: 'api-v2:8080' });
    expect(pairs(diagnose(snap([emissarySvc, bad], 'cluster')).filter((f) => f.check === 'ingress'))).toEqual([
      ['ingress/backend-missing', 'Mapping shop/api'],
    ]);
    expect(diagnose(snap([bad])).filter((f) => f.code === 'ingress/backend-missing')).toEqual([]);
  });

  it('topology: client -> address -> Emissary Service -> Mapping -> Service', () => {
    const t = buildTopology(snap([emissarySvc, web, mapping('web', { prefix: '/', service: 'web' })], 'cluster'), {
      service: { namespace: 'shop', name: 'web' },
    });
    expect(t.edges.map((e) => e.id)).toEqual(
      expect.arrayContaining([
        'client->address:198.51.100.90',
        'address:198.51.100.90->service:emissary/emissary-ingress',
        'service:emissary/emissary-ingress->gateway:Mapping/shop/web',
        'gateway:Mapping/shop/web->service:shop/web',
      ]),
    );
  });
});
