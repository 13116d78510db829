// Topology of Services Calico advertises over BGP: next hops as Calico's BIRD sets them.
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../../src/model/topology.js';
import { buildTopology } from '../../../src/topology/build.js';
import { lbStatus, node, service, slice, snap } from '../../helpers/builders.js';
import { schemaErrors } from '../../helpers/schema.js';
import { bgpConfig, calicoPeer, cidrs } from '../discover/calico-builders.js';

const nodes = [node('n1', '192.0.2.1'), node('n2', '192.0.2.2'), node('n3', '192.0.2.3')];
const calico = [
  bgpConfig({ serviceLoadBalancerIPs: cidrs('198.51.100.0/24') }),
  calicoPeer('tor', { peerIP: '192.0.2.254', asNumber: 65001 }),
];
const valid = (t: Topology) => {
  expect(schemaErrors('topology.schema.json', JSON.parse(JSON.stringify(t)))).toEqual([]);
  return t;
};
const hops = (t: Topology) => t.nodes.filter((n) => n.kind === 'nexthop');

describe('Calico BGP next hops', () => {
  it('externalTrafficPolicy Local: a /32 next hop only on the nodes with a ready endpoint', () => {
    const t = valid(
      buildTopology(
        snap([
          ...nodes,
          ...calico,
          service('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, {}, lbStatus('198.51.100.7')),
          slice('web', [
            { ready: true, node: 'n2' },
            { ready: false, node: 'n3' },
          ]),
        ]),
      ),
    );
    expect(hops(t).map((h) => [h.node, h.details])).toEqual([
      ['n2', ['/32 (node has a ready endpoint)', 'peers: 192.0.2.254 (AS 65001)']],
    ]);
    expect(t.edges.find((e) => e.from === 'address:198.51.100.7' && e.to === hops(t)[0]!.id)?.label).toBe(
      'BGP route (Calico)',
    );
    expect(t.nodes.find((n) => n.id === 'address:198.51.100.7')?.details).toEqual([
      'BGP peers (Calico): 192.0.2.254 (AS 65001)',
    ]);
  });

  it('Cluster: every node is a next hop', () => {
    const t = valid(
      buildTopology(
        snap([
          ...nodes,
          ...calico,
          service('web', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.7')),
          slice('web', [{ ready: true, node: 'n1' }]),
        ]),
      ),
    );
    expect(hops(t).map((h) => h.node)).toEqual(['n1', 'n2', 'n3']);
  });

  it('Local with no ready endpoint: nobody advertises it', () => {
    const t = valid(
      buildTopology(
        snap([
          ...nodes,
          ...calico,
          service('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, {}, lbStatus('198.51.100.7')),
          slice('web', [{ ready: false, node: 'n1' }]),
        ]),
      ),
    );
    expect(hops(t).map((h) => h.details)).toEqual([
      ['no node advertises it: no ready endpoint (externalTrafficPolicy Local)'],
    ]);
  });

  it('no peer with a peerIP: the address says so', () => {
    const t = valid(
      buildTopology(
        snap([...nodes, calico[0]!, service('web', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.7'))]),
      ),
    );
    expect(t.nodes.find((n) => n.id === 'address:198.51.100.7')?.details).toEqual([
      'BGP peers (Calico): none with a peerIP',
    ]);
  });
});
