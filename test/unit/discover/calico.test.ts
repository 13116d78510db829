import { describe, expect, it } from 'vitest';
import { calicoBgp, calicoNodeBackend } from '../../../src/discover/calico.js';
import { buildContext } from '../../../src/discover/context.js';
import { discoverExposures } from '../../../src/discover/index.js';
import { lbStatus, live, node, service, slice, snap } from '../../helpers/builders.js';
import { bgpConfig, calicoNode, calicoPeer, cidrs } from './calico-builders.js';

const router = calicoPeer('tor', { peerIP: '192.0.2.1', asNumber: 65001 });
const calicoRows = (objects: Parameters<typeof snap>[0], source: 'files' | 'cluster' = 'files') =>
  discoverExposures(snap(objects, source)).filter((e) => e.implementation === 'calico');

describe('Calico BGP: which addresses it advertises', () => {
  const config = bgpConfig({
    serviceLoadBalancerIPs: cidrs('198.51.100.0/24'),
    serviceExternalIPs: cidrs('203.0.113.0/28'),
    serviceClusterIPs: cidrs('10.96.0.0/12'),
  });

  it('a LoadBalancer address inside serviceLoadBalancerIPs is a bgp row of implementation calico', () => {
    const svc = service('web', { type: 'LoadBalancer', clusterIP: '172.16.0.5' }, {}, lbStatus('198.51.100.7'));
    const rows = calicoRows(
      [config, router, svc, node('n1', '10.0.0.1'), slice('web', [{ ready: true, node: 'n1' }])],
      'cluster',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'Service',
      name: 'web',
      mode: 'bgp',
      implementation: 'calico',
      addresses: ['198.51.100.7'],
      status: 'ready',
      sourceIP: 'lost',
    });
    expect(rows[0]!.reason).toContain('serviceLoadBalancerIPs 198.51.100.0/24');
  });

  it('cluster IPs and external IPs inside their ranges are listed; addresses outside any range are not', () => {
    const svc = service('api', {
      clusterIP: '10.96.3.4',
      externalIPs: ['203.0.113.3', '192.0.2.200'],
      externalTrafficPolicy: 'Local',
    });
    const [row] = calicoRows([config, router, svc, slice('api', [{ ready: true, node: 'n1' }])], 'cluster');
    expect(row).toMatchObject({ addresses: ['10.96.3.4', '203.0.113.3'], sourceIP: 'preserved' });
    expect(row!.reason).toContain('externalTrafficPolicy Local');
  });

  it('a Service with only an advertised cluster IP: source IP unknown (kube-proxy masquerades outside traffic to cluster IPs)', () => {
    const [row] = calicoRows(
      [config, router, service('db', { clusterIP: '10.96.0.9' }), slice('db', [{ ready: true }])],
      'cluster',
    );
    expect(row).toMatchObject({ addresses: ['10.96.0.9'], sourceIP: 'unknown' });
  });

  it('only the BGPConfiguration named default carries Service ranges', () => {
    const other = bgpConfig({ serviceLoadBalancerIPs: cidrs('198.51.100.0/24') }, 'node.n1');
    expect(calicoRows([other, router, service('web', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.7'))])).toEqual(
      [],
    );
  });

  it('no BGPPeer with a peerIP: broken, routes stay inside the cluster (live, or files holding Nodes)', () => {
    const svc = service('web', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.7'));
    const mesh = calicoPeer('mesh', { peerSelector: 'all()' });
    for (const objects of [
      [config, mesh, svc, slice('web', [{ ready: true }])],
      [config, svc, node('n1', '10.0.0.1'), slice('web', [{ ready: true }])],
    ]) {
      const [row] = calicoRows(objects, 'cluster');
      expect(row!.status).toBe('broken');
      expect(row!.reason).toMatch(/no BGPPeer with a peerIP/);
    }
  });

  it('files without BGPPeers or Nodes: unknown, "not in the input"', () => {
    const [row] = calicoRows([config, service('web', { type: 'LoadBalancer', loadBalancerIP: '198.51.100.9' })]);
    expect(row).toMatchObject({ addresses: ['198.51.100.9'], status: 'unknown' });
    expect(row!.reason).toContain('BGPPeer not in the input');
  });

  it('a peer pinned to a node that does not exist takes nothing out', () => {
    const ghost = calicoPeer('ghost', { peerIP: '192.0.2.1', asNumber: 65001, node: 'gone' });
    const ctx = buildContext(live([config, ghost, node('n1', '10.0.0.1')]));
    expect(calicoBgp(ctx)!.routerPeers).toEqual([]);
  });
});

describe('Calico BGP: is it running', () => {
  it('calico-node with the default backend (bird) is evidence; vxlan or none is not', () => {
    expect(calicoNodeBackend(calicoNode())).toBe('bird');
    expect(calicoNodeBackend(calicoNode('vxlan'))).toBe('vxlan');
    expect(calicoBgp(buildContext(snap([calicoNode()])))!.evidence).toEqual(['DaemonSet kube-system/calico-node']);
    expect(calicoBgp(buildContext(snap([calicoNode('vxlan')])))).toBeUndefined();
    expect(calicoBgp(buildContext(snap([])))).toBeUndefined();
  });

  it('defaults: AS 64512, node-to-node mesh on, aggregation on', () => {
    const bgp = calicoBgp(buildContext(snap([bgpConfig({})])))!;
    expect(bgp).toMatchObject({ asNumber: 64512, nodeToNodeMesh: true, aggregation: true });
    expect(
      calicoBgp(
        buildContext(
          snap([
            bgpConfig({ asNumber: 65010, nodeToNodeMeshEnabled: false, serviceLoadBalancerAggregation: 'Disabled' }),
          ]),
        ),
      ),
    ).toMatchObject({ asNumber: 65010, nodeToNodeMesh: false, aggregation: false });
  });
});

describe('Calico BGP: one row per published Service', () => {
  it('a LoadBalancer row of unknown implementation whose address Calico advertises becomes the calico row', () => {
    const config = bgpConfig({ serviceLoadBalancerIPs: cidrs('198.51.100.0/24') });
    const svc = service('web', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.7'));
    expect(discoverExposures(snap([config, router, svc])).map((e) => [e.mode, e.implementation])).toEqual([
      ['bgp', 'calico'],
    ]);
    // An address Calico does not advertise keeps its own row.
    const other = service('api', { type: 'LoadBalancer' }, {}, lbStatus('192.0.2.9'));
    expect(discoverExposures(snap([config, router, other])).map((e) => [e.mode, e.implementation])).toEqual([
      ['loadbalancer', null],
    ]);
  });
});
