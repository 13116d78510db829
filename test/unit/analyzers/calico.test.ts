import { describe, expect, it } from 'vitest';
import type { BgpObservation, BgpPeerObservation } from '../../../src/probes/bgp/collector.js';
import { bgpConfig, calicoNode, calicoPeer, cidrs } from '../discover/calico-builders.js';
import { diagnose, l2adv, lbStatus, node, pairs, pool, service, slice, snapshotOf } from './helpers.js';

const router = calicoPeer('tor', { peerIP: '192.0.2.1', asNumber: 65001 });
const config = bgpConfig({
  serviceLoadBalancerIPs: cidrs('198.51.100.0/24'),
  serviceExternalIPs: cidrs('203.0.113.0/28'),
});
const lb = (ip: string, name = 'web') => service(name, { type: 'LoadBalancer' }, {}, lbStatus(ip));
const bgpFindings = (objects: Parameters<typeof snapshotOf>[0], source: 'files' | 'cluster' = 'cluster') =>
  diagnose(snapshotOf(objects, source), { check: 'bgp' });

describe('bgp/not-advertised with Calico', () => {
  it('a LoadBalancer address outside serviceLoadBalancerIPs, nobody else announcing it', () => {
    const f = bgpFindings([config, router, lb('192.0.2.77'), slice('web', [{ ready: true }])]);
    expect(pairs(f)).toEqual([['bgp/not-advertised', 'Service default/web']]);
    expect(f[0]!.message).toContain(
      'LoadBalancer address 192.0.2.77 is outside serviceLoadBalancerIPs (198.51.100.0/24)',
    );
    expect(f[0]!.fix).toContain('{cidr: 192.0.2.77/32}');
    expect(f[0]!.fix).toContain('exposectl expose default/web --mode bgp --addresses 192.0.2.77/32');
  });

  it('from files as well: a manifest asking for an address Calico does not advertise', () => {
    const f = bgpFindings(
      [config, router, service('web', { type: 'LoadBalancer', loadBalancerIP: '192.0.2.77' })],
      'files',
    );
    expect(pairs(f)).toEqual([['bgp/not-advertised', 'Service default/web']]);
  });

  it('no default BGPConfiguration but calico-node runs BGP: the fix says to create it', () => {
    const f = bgpFindings([calicoNode(), router, lb('198.51.100.7')]);
    expect(f[0]!.message).toContain('serviceLoadBalancerIPs (empty)');
    expect(f[0]!.fix).toContain('BGPConfiguration default (there is none)');
  });

  it('inside the range with a router peer: nothing to say', () => {
    expect(bgpFindings([config, router, lb('198.51.100.7'), slice('web', [{ ready: true }])])).toEqual([]);
  });

  it('inside the range but no BGPPeer with a peerIP: advertised only inside the cluster', () => {
    const f = bgpFindings([config, node('n1', '10.0.0.1'), lb('198.51.100.7')]);
    expect(pairs(f)).toEqual([['bgp/not-advertised', 'Service default/web']]);
    expect(f[0]!.message).toMatch(/only inside the cluster: no Calico BGPPeer has a peerIP \(the node-to-node mesh/);
  });

  it('advertised cluster IPs with no peer: one finding on the BGPConfiguration, not one per Service', () => {
    const withClusterIPs = bgpConfig({ serviceClusterIPs: cidrs('10.96.0.0/12') });
    const f = bgpFindings([
      withClusterIPs,
      node('n1', '10.0.0.1'),
      service('a', { clusterIP: '10.96.0.1' }),
      service('b', { clusterIP: '10.96.0.2' }),
    ]);
    expect(pairs(f)).toEqual([['bgp/not-advertised', 'BGPConfiguration /default']]);
    expect(f[0]!.message).toContain('cluster IPs of 2 Service(s)');
  });

  it('external IPs: reported only when serviceExternalIPs is in use', () => {
    const svc = service('ext', { externalIPs: ['192.0.2.5'] });
    expect(pairs(bgpFindings([config, router, svc]))).toEqual([['bgp/not-advertised', 'Service default/ext']]);
    expect(bgpFindings([bgpConfig({ serviceLoadBalancerIPs: cidrs('198.51.100.0/24') }), router, svc])).toEqual([]);
  });

  it("an address MetalLB announces in L2 is not Calico's business", () => {
    const objs = [config, router, pool('p', ['192.0.2.0/24']), l2adv('l2'), lb('192.0.2.77')];
    expect(bgpFindings(objs)).toEqual([]);
  });

  it('MetalLB assigns, Calico advertises: no lb/no-advertisement for the pool', () => {
    const objs = [config, router, pool('p', ['198.51.100.0/24']), lb('198.51.100.7'), slice('web', [{ ready: true }])];
    expect(diagnose(snapshotOf(objs, 'cluster'), { check: 'lb' }).map((x) => x.code)).not.toContain(
      'lb/no-advertisement',
    );
  });

  it('no Calico at all: the analyzer says nothing', () => {
    expect(bgpFindings([lb('192.0.2.77'), slice('web', [{ ready: true }])])).toEqual([]);
  });
});

// `probe bgp` against Calico: what its BIRD sent, held against what Calico should advertise.

function bird(address: string, routes: Array<{ prefix: string; nextHop: string }>): BgpPeerObservation {
  return {
    address,
    expected: true,
    state: 'Established',
    remoteAs: 64512,
    routerId: address,
    holdTime: 90,
    capabilities: null,
    establishedAt: '2026-11-27T11:59:00Z',
    connections: 1,
    establishedCount: 1,
    lastNotification: null,
    lastCloseReason: null,
    lastClosedAt: null,
    updateErrors: 0,
    lastUpdateError: null,
    endOfRib: [],
    routes: routes.map((r) => ({
      family: 'ipv4-unicast',
      prefix: r.prefix,
      nextHop: r.nextHop,
      asPath: '',
      asPathSegments: [],
      communities: [],
      largeCommunities: [],
    })),
    history: [],
  } as unknown as BgpPeerObservation;
}
const seen = (peers: BgpPeerObservation[]): BgpObservation => ({
  apiVersion: 'exposectl.dev/v1alpha1',
  kind: 'BgpObservation',
  listen: { address: '0.0.0.0', port: 1790 },
  localAs: 65001,
  routerId: '192.0.2.254',
  startedAt: '2026-11-27T11:58:00Z',
  capturedAt: '2026-11-27T12:00:00Z',
  peers,
  rejected: [],
});

describe("probe bgp against Calico's expectations", () => {
  const cluster = (policy: 'Local' | 'Cluster') => [
    config,
    router,
    node('n1', '192.0.2.11'),
    node('n2', '192.0.2.12'),
    service('web', { type: 'LoadBalancer', externalTrafficPolicy: policy }, {}, lbStatus('198.51.100.7')),
    slice('web', [{ ready: true, node: 'n1' }]),
  ];
  const probeFindings = (objects: Parameters<typeof snapshotOf>[0], obs: BgpObservation) =>
    diagnose(snapshotOf(objects, 'cluster'), { check: 'bgp', probes: { bgp: obs } });

  it('the aggregated range from every node covers a Cluster Service: nothing to say', () => {
    const obs = seen([
      bird('192.0.2.11', [{ prefix: '198.51.100.0/24', nextHop: '192.0.2.11' }]),
      bird('192.0.2.12', [{ prefix: '198.51.100.0/24', nextHop: '192.0.2.12' }]),
    ]);
    expect(probeFindings(cluster('Cluster'), obs)).toEqual([]);
  });

  it("BIRD sends nothing covering the address: bgp/not-advertised with Calico's fix", () => {
    const f = probeFindings(
      cluster('Cluster'),
      seen([bird('192.0.2.11', [{ prefix: '10.244.0.0/26', nextHop: '192.0.2.11' }])]),
    );
    expect(pairs(f)).toEqual([['bgp/not-advertised', 'Service default/web']]);
    expect(f[0]!.fix).toContain('BGPConfiguration default serviceLoadBalancerIPs 198.51.100.0/24');
  });

  it('Local: a /32 from a node without a ready endpoint is bgp/nexthop-without-endpoints', () => {
    const obs = seen([
      bird('192.0.2.11', [{ prefix: '198.51.100.7/32', nextHop: '192.0.2.11' }]),
      bird('192.0.2.12', [{ prefix: '198.51.100.7/32', nextHop: '192.0.2.12' }]),
    ]);
    const f = probeFindings(cluster('Local'), obs);
    expect(pairs(f)).toEqual([['bgp/nexthop-without-endpoints', 'Service default/web']]);
    expect(f[0]!.message).toContain('node n2');
    expect(f[0]!.fix).toContain('Calico advertises the /32 of a Local Service only from nodes with a ready endpoint');
  });
});
