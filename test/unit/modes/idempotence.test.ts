// "Running the same command twice changes nothing the second time": feed what a first
// run generated back as cluster facts, plan again, and get the very same objects.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { type ExposeFacts, type ExposeSpec, planExpose } from '../../../src/modes/index.js';
import { bgpad, l2ad, named, node, pool, svc } from './helpers.js';

/** The facts after applying `objects` (as the API server would hold them). */
function withApplied(facts: ExposeFacts, objects: KubeObject[]): ExposeFacts {
  const next: ExposeFacts = { ...facts };
  const add = <K extends keyof ExposeFacts>(key: K, o: KubeObject) => {
    (next as Record<string, unknown>)[key] = [...((next[key] as unknown[] | undefined) ?? []), o];
  };
  for (const o of objects) {
    switch (o.kind) {
      case 'Service': {
        // Replace the user's Service by its patched form, or add the new one (with an address when LB).
        const status =
          o.spec?.type === 'LoadBalancer'
            ? {
                loadBalancer: {
                  ingress: [{ ip: o.metadata.annotations?.['metallb.io/loadBalancerIPs'] ?? '203.0.113.10' }],
                },
              }
            : undefined;
        const rest = (next.services ?? []).filter(
          (s) => !(s.metadata.name === o.metadata.name && s.metadata.namespace === o.metadata.namespace),
        );
        const old = (next.services ?? []).find(
          (s) => s.metadata.name === o.metadata.name && s.metadata.namespace === o.metadata.namespace,
        );
        const merged = old
          ? {
              ...old,
              metadata: { ...old.metadata, annotations: { ...old.metadata.annotations, ...o.metadata.annotations } },
              spec: { ...old.spec, ...o.spec, ports: old.spec?.ports },
            }
          : { ...o, status };
        next.services = [...rest, merged as never];
        break;
      }
      case 'IPAddressPool':
        add('pools', o);
        break;
      case 'L2Advertisement':
        add('l2Advertisements', o);
        break;
      case 'BGPAdvertisement':
        add('bgpAdvertisements', o);
        break;
      case 'BGPPeer':
        add('bgpPeers', o);
        break;
      case 'Gateway':
        add('gateways', o);
        break;
      case 'DaemonSet':
        add('hostWorkloads', o);
        break;
      default:
        break;
    }
  }
  return next;
}

const web = svc('web', { ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
const facts: ExposeFacts = {
  services: [web],
  nodes: [node('n1', { edge: 'true' })],
  ingressClasses: [named('IngressClass', 'traefik')],
  secrets: [named('Secret', 'tls', 'shop')],
  gatewayClasses: [named('GatewayClass', 'eg')],
  gateways: [],
  pools: [pool('lab', ['10.20.0.0/24'])],
  l2Advertisements: [],
  bgpAdvertisements: [bgpad('other', ['unrelated'])],
  bgpPeers: [],
  hostWorkloads: [],
};

const specs: Array<[string, ExposeSpec]> = [
  ['nodeport fixed', { service: web, mode: 'nodeport', nodePort: 30080 }],
  ['nodeport in place', { service: web, mode: 'nodeport', nodePort: 30080, inPlace: true }],
  ['ingress', { service: web, mode: 'ingress', host: 'a.example.com', ingressClass: 'traefik', tlsSecret: 'tls' }],
  ['l2 addresses', { service: web, mode: 'l2', addresses: ['203.0.113.10-203.0.113.11'] }],
  ['l2 reused pool without advertisement', { service: web, mode: 'l2', pool: 'lab', ip: '10.20.0.5' }],
  ['l2 in place', { service: web, mode: 'l2', pool: 'lab', ip: '10.20.0.6', inPlace: true }],
  [
    'bgp new peer',
    { service: web, mode: 'bgp', addresses: ['203.0.113.16/28'], peer: '192.0.2.1', peerASN: 64500, myASN: 64512 },
  ],
  ['hostnetwork', { service: web, mode: 'hostnetwork', nodeSelector: { edge: 'true' } }],
  ['gateway', { service: web, mode: 'gateway', host: 'a.example.com' }],
];

describe('re-running expose over its own objects', () => {
  for (const [name, spec] of specs) {
    it(name, () => {
      const first = planExpose(spec, facts);
      expect(first.problems).toEqual([]);
      const second = planExpose(spec, withApplied(facts, first.manifests));
      expect(second.problems).toEqual([]);
      expect(second.manifests).toEqual(first.manifests);
    });
  }

  it('l2 advertisement of someone else covering the pool is reused, not duplicated', () => {
    const f = { ...facts, l2Advertisements: [l2ad('all')] };
    expect(planExpose({ service: web, mode: 'l2', pool: 'lab' }, f).manifests.map((o) => o.kind)).toEqual(['Service']);
  });
});
