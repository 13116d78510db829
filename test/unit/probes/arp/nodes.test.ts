// MAC-to-node mapping and the announcer the cluster reports. Pure.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../../src/discover/context.js';
import type { KubeObject } from '../../../../src/model/kube-object.js';
import type { Service } from '../../../../src/model/snapshot.js';
import {
  announcerOf,
  mapMacsToNodes,
  nodeIPv4Addresses,
  serviceArpAddress,
  toArpObservation,
} from '../../../../src/probes/arp/nodes.js';
import { l2adv, lbStatus, node, pool, service, snap } from '../../../helpers/builders.js';

const l2Status = (name: string, svc: string, nodeName: string, ns = 'default'): KubeObject =>
  ({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'ServiceL2Status',
    metadata: { name, namespace: 'metallb-system' },
    status: { node: nodeName, serviceName: svc, serviceNamespace: ns, interfaces: [{ name: 'eth0' }] },
  }) as KubeObject;

describe('announcerOf', () => {
  it('reads MetalLB ServiceL2Status for the Service', () => {
    const s = snap([
      pool('p', ['198.51.100.0/24']),
      l2adv('a'),
      service('web', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.10')),
      l2Status('l2-other', 'api', 'n3'),
      l2Status('l2-web', 'web', 'n2'),
    ]);
    expect(announcerOf(buildContext(s), s.services[0]!)).toEqual({
      implementation: 'metallb',
      node: 'n2',
      mac: null,
      source: 'ServiceL2Status metallb-system/l2-web',
      interfaces: ['eth0'],
    });
  });

  it("reads kube-vip's vipHost label and hwaddr annotation", () => {
    const s = snap([
      service(
        'web',
        { type: 'LoadBalancer' },
        { labels: { 'kube-vip.io/vipHost': 'n1' }, annotations: { 'kube-vip.io/hwaddr': '00:00:5E:00:53:01' } },
        lbStatus('198.51.100.11'),
      ),
    ]);
    expect(announcerOf(buildContext(s), s.services[0]!)).toMatchObject({
      implementation: 'kube-vip',
      node: 'n1',
      mac: '00:00:5e:00:53:01',
    });
  });

  it('reports no holder when the cluster says nothing', () => {
    const s = snap([service('web', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.12'))]);
    expect(announcerOf(buildContext(s), s.services[0]!)).toMatchObject({ node: null, mac: null, source: null });
  });
});

describe('serviceArpAddress and nodeIPv4Addresses', () => {
  it('takes the first IPv4 LoadBalancer address', () => {
    const s = snap([service('web', { type: 'LoadBalancer' }, {}, lbStatus('2001:db8::1', '198.51.100.10'))]);
    expect(serviceArpAddress(s.services[0] as Service)).toBe('198.51.100.10');
    const none = snap([service('web', { type: 'LoadBalancer' })]);
    expect(serviceArpAddress(none.services[0] as Service)).toBeUndefined();
  });

  it('lists every IPv4 InternalIP and ExternalIP of every node, IPv6 left out', () => {
    const s = snap([node('n1', '192.0.2.21', { external: '203.0.113.21' }), node('n2', 'fd00::2')]);
    expect(nodeIPv4Addresses(s.nodes)).toEqual([
      { node: 'n1', address: '192.0.2.21' },
      { node: 'n1', address: '203.0.113.21' },
    ]);
  });
});

describe('mapMacsToNodes', () => {
  const nodeMacs = [
    { node: 'n1', address: '192.0.2.21', macs: ['02:00:00:00:00:01'] },
    { node: 'n2', address: '192.0.2.22', macs: ['02:00:00:00:00:02'] },
    { node: 'n3', address: '192.0.2.23', macs: [] },
    // A router answering proxy ARP for two nodes: its MAC maps to neither.
    { node: 'n4', address: '192.0.2.24', macs: ['02:00:00:00:00:99'] },
    { node: 'n5', address: '192.0.2.25', macs: ['02:00:00:00:00:99'] },
  ];

  it('maps a MAC to the node whose own address it answers for', () => {
    expect(mapMacsToNodes(['02:00:00:00:00:02', '02:00:00:00:00:01'], nodeMacs)).toEqual({
      '02:00:00:00:00:02': 'n2',
      '02:00:00:00:00:01': 'n1',
    });
  });

  it('normalises the answering MACs', () => {
    expect(mapMacsToNodes(['02:00:00:00:00:1'], nodeMacs)).toEqual({ '02:00:00:00:00:01': 'n1' });
  });

  it('leaves unknown and ambiguous MACs out', () => {
    expect(mapMacsToNodes(['02:00:00:00:00:77', '02:00:00:00:00:99'], nodeMacs)).toEqual({});
  });

  it("uses the MAC the implementation reports when the node's address does not tell", () => {
    const announcer = { implementation: 'kube-vip' as const, node: 'n3', mac: '00:00:5e:00:53:01', source: 'x' };
    expect(mapMacsToNodes(['00:00:5e:00:53:01'], nodeMacs, announcer)).toEqual({ '00:00:5e:00:53:01': 'n3' });
  });
});

describe('toArpObservation', () => {
  it("gives the analyzers' fact", () => {
    const r = {
      ip: '198.51.100.10',
      interface: 'eth0',
      replies: [{ mac: '02:00:00:00:00:01', count: 3, firstMs: 1, lastMs: 2001 }],
      requests: 3,
      timeoutMs: 1000,
      durationMs: 3005,
      startedAt: '2026-11-27T12:00:00.000Z',
      tool: 'arping (Thomas Habets)',
    };
    expect(
      toArpObservation(r, {
        nodeOfMac: { '02:00:00:00:00:01': 'n1' },
        expectedHolder: 'n1',
        service: { namespace: 'default', name: 'web' },
      }),
    ).toEqual({
      ip: '198.51.100.10',
      interface: 'eth0',
      service: { namespace: 'default', name: 'web' },
      macs: ['02:00:00:00:00:01'],
      nodeOfMac: { '02:00:00:00:00:01': 'n1' },
      expectedHolder: 'n1',
      requests: 3,
      durationMs: 3005,
      at: '2026-11-27T12:00:03.005Z',
    });
  });
});
