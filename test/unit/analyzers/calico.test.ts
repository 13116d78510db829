import { describe, expect, it } from 'vitest';
import { diagnose, lbStatus, node, pairs, pool, service, slice, snapshotOf, l2adv } from './helpers.js';
import { bgpConfig, calicoNode, calicoPeer, cidrs } from '../discover/calico-builders.js';

const router = calicoPeer('tor', { peerIP: '192.0.2.1', asNumber: 65001 });
const config = bgpConfig({ serviceLoadBalancerIPs: cidrs('198.51.100.0/24'), serviceExternalIPs: cidrs('203.0.113.0/28') });
const lb = (ip: string, name = 'web') => service(name, { type: 'LoadBalancer' }, {}, lbStatus(ip));
const bgpFindings = (objects: Parameters<typeof snapshotOf>[0], source: 'files' | 'cluster' = 'cluster') =>
  diagnose(snapshotOf(objects, source), { check: 'bgp' });

describe('bgp/not-advertised with Calico', () => {
  it('a LoadBalancer address outside serviceLoadBalancerIPs, nobody else announcing it', () => {
    const f = bgpFindings([config, router, lb('192.0.2.77'), slice('web', [{ ready: true }])]);
    expect(pairs(f)).toEqual([['bgp/not-advertised', 'Service default/web']]);
    expect(f[0]!.message).toContain('LoadBalancer address 192.0.2.77 is outside serviceLoadBalancerIPs (198.51.100.0/24)');
    expect(f[0]!.fix).toContain('{cidr: 192.0.2.77/32}');
    expect(f[0]!.fix).toContain('exposectl expose default/web --mode bgp --addresses 192.0.2.77/32');
  });

  it('from files as well: a manifest asking for an address Calico does not advertise', () => {
    const f = bgpFindings([config, router, service('web', { type: 'LoadBalancer', loadBalancerIP: '192.0.2.77' })], 'files');
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
    const f = bgpFindings([withClusterIPs, node('n1', '10.0.0.1'), service('a', { clusterIP: '10.96.0.1' }), service('b', { clusterIP: '10.96.0.2' })]);
    expect(pairs(f)).toEqual([['bgp/not-advertised', 'BGPConfiguration /default']]);
    expect(f[0]!.message).toContain('cluster IPs of 2 Service(s)');
  });

  it('external IPs: reported only when serviceExternalIPs is in use', () => {
    const svc = service('ext', { externalIPs: ['192.0.2.5'] });
    expect(pairs(bgpFindings([config, router, svc]))).toEqual([['bgp/not-advertised', 'Service default/ext']]);
    expect(bgpFindings([bgpConfig({ serviceLoadBalancerIPs: cidrs('198.51.100.0/24') }), router, svc])).toEqual([]);
  });

  it('an address MetalLB announces in L2 is not Calico\'s business', () => {
    const objs = [config, router, pool('p', ['192.0.2.0/24']), l2adv('l2'), lb('192.0.2.77')];
    expect(bgpFindings(objs)).toEqual([]);
  });

  it('MetalLB assigns, Calico advertises: no lb/no-advertisement for the pool', () => {
    const objs = [config, router, pool('p', ['198.51.100.0/24']), lb('198.51.100.7'), slice('web', [{ ready: true }])];
    expect(diagnose(snapshotOf(objs, 'cluster'), { check: 'lb' }).map((x) => x.code)).not.toContain('lb/no-advertisement');
  });

  it('no Calico at all: the analyzer says nothing', () => {
    expect(bgpFindings([lb('192.0.2.77'), slice('web', [{ ready: true }])])).toEqual([]);
  });
});
