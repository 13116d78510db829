import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import { attachmentConfig, parseNetworkSelections, parseNetworkStatus } from '../../../src/discover/multus.js';
import { exposureListApiVersion } from '../../../src/model/exposure.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { buildTopology } from '../../../src/topology/build.js';
import { schemaErrors } from '../../helpers/schema.js';
import { service, snap } from './builders.js';

const nad = (name: string, config: string, ns = 'media'): KubeObject =>
  ({
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name, namespace: ns },
    spec: { config },
  }) as KubeObject;
const MACVLAN = '{"cniVersion":"0.3.1","type":"macvlan","master":"eth0","mode":"bridge","ipam":{"type":"dhcp"}}';
const lanPod = (name: string, annotations: Record<string, string>, ready?: boolean): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'media', annotations },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8554 }] }] },
    ...(ready === undefined
      ? {}
      : {
          status: {
            phase: 'Running',
            podIP: '10.244.1.7',
            conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
          },
        }),
  }) as KubeObject;
const status = (ips: string[], name = 'media/lan') =>
  JSON.stringify([
    { name: 'cbr0', interface: 'eth0', ips: ['10.244.1.7'], default: true },
    { name, interface: 'net1', ips, mac: '02:42:c0:00:02:32' },
  ]);
const lanRows = (objects: KubeObject[], source: 'files' | 'cluster' = 'files') =>
  discoverExposures(snap(objects, source)).filter((e) => e.mode === 'lan');

describe('Multus: Pods on the LAN', () => {
  it('reads both forms of the networks annotation', () => {
    expect(parseNetworkSelections('lan, other/vlan20@net2', 'media')).toEqual([
      { namespace: 'media', name: 'lan', ips: [] },
      { namespace: 'other', name: 'vlan20', interface: 'net2', ips: [] },
    ]);
    expect(parseNetworkSelections('[{"name":"lan","interface":"net1","ips":["192.0.2.50/24"]}]', 'media')).toEqual([
      { namespace: 'media', name: 'lan', interface: 'net1', ips: ['192.0.2.50'] },
    ]);
    expect(parseNetworkSelections('[{"name":', 'media')).toMatch(/not a JSON list/);
  });

  it("network-status (and the older networks-status) and a conflist's first plugin", () => {
    expect(parseNetworkStatus({ 'k8s.v1.cni.cncf.io/networks-status': status(['192.0.2.50']) })[1]).toEqual({
      name: 'media/lan',
      interface: 'net1',
      ips: ['192.0.2.50'],
      mac: '02:42:c0:00:02:32',
      default: false,
    });
    expect(
      attachmentConfig(nad('x', '{"cniVersion":"1.0.0","plugins":[{"type":"ipvlan","master":"bond0","mode":"l2"}]}')),
    ).toEqual({
      cniType: 'ipvlan',
      master: 'bond0',
      mode: 'l2',
    });
    expect(attachmentConfig(nad('x', ''))).toEqual({});
  });

  it('a macvlan Pod: a lan row with its LAN address, source IP preserved; the list is v1alpha2', () => {
    const rows = lanRows(
      [
        nad('lan', MACVLAN),
        lanPod(
          'streamer-0',
          { 'k8s.v1.cni.cncf.io/networks': 'lan', 'k8s.v1.cni.cncf.io/network-status': status(['192.0.2.50']) },
          true,
        ),
      ],
      'cluster',
    );
    expect(rows).toEqual([
      {
        namespace: 'media',
        name: 'streamer-0',
        kind: 'Pod',
        service: null,
        mode: 'lan',
        implementation: 'macvlan',
        addresses: ['192.0.2.50'],
        ports: [{ port: 8554, protocol: 'TCP' }],
        endpoints: { ready: 1, total: 1 },
        sourceIP: 'preserved',
        status: 'ready',
        sticky: 'none',
      },
    ]);
    expect(exposureListApiVersion(rows)).toBe('exposectl.dev/v1alpha2');
    expect(exposureListApiVersion(discoverExposures(snap([service('web', { type: 'NodePort' })])))).toBe(
      'exposectl.dev/v1alpha1',
    );
  });

  it('no row for a bridge network or a Pod without the annotation; pending live before Multus writes its status; broken for a missing definition', () => {
    expect(
      lanRows([
        nad('br', '{"type":"bridge","bridge":"br0"}'),
        lanPod('a', { 'k8s.v1.cni.cncf.io/networks': 'br' }),
        lanPod('b', {}),
      ]),
    ).toEqual([]);
    const live = lanRows(
      [nad('lan', MACVLAN), lanPod('c', { 'k8s.v1.cni.cncf.io/networks': 'lan' }, false)],
      'cluster',
    );
    expect(live.map((r) => [r.status, r.reason])).toEqual([
      ['pending', 'Multus has written no LAN address in network-status yet; Pod not ready'],
    ]);
    const missing = lanRows([lanPod('d', { 'k8s.v1.cni.cncf.io/networks': 'nope@net1' }, true)], 'cluster');
    expect(missing.map((r) => [r.status, r.reason])).toEqual([
      ['broken', 'NetworkAttachmentDefinition media/nope not found: Multus cannot wire the Pod'],
    ]);
  });

  it('topology: client -> the LAN address -> the Pod, no hop that loses the client address', () => {
    const t = buildTopology(
      snap(
        [
          nad('lan', MACVLAN),
          lanPod(
            'streamer-0',
            { 'k8s.v1.cni.cncf.io/networks': 'lan', 'k8s.v1.cni.cncf.io/network-status': status(['192.0.2.50']) },
            true,
          ),
        ],
        'cluster',
      ),
    );
    expect(t.edges.map((e) => [e.id, e.sourceIpLost])).toEqual([
      ['client->address:192.0.2.50', false],
      ['address:192.0.2.50->pod:media/streamer-0', false],
    ]);
    const pod = t.nodes.find((n) => n.kind === 'pod')!;
    expect(pod.details).toEqual(['macvlan media/lan on net1 (master eth0, mode bridge)']);
    expect(t.edges[1]!.note).toMatch(/no NAT, no proxy/);
  });

  it('the schema keeps v1alpha1 to its modes: a lan row is valid only in a v1alpha2 list', () => {
    const row = {
      namespace: 'media',
      name: 'streamer-0',
      kind: 'Pod',
      service: null,
      mode: 'lan',
      implementation: 'macvlan',
      addresses: ['192.0.2.50'],
      ports: [],
      endpoints: null,
      sourceIP: 'preserved',
      status: 'ready',
    };
    const list = (apiVersion: string, items: unknown[]) => ({ apiVersion, kind: 'ExposureList', items });
    expect(schemaErrors('exposure-list.schema.json', list('exposectl.dev/v1alpha2', [row]))).toEqual([]);
    expect(schemaErrors('exposure-list.schema.json', list('exposectl.dev/v1alpha1', [row]))).not.toEqual([]);
    expect(
      schemaErrors(
        'exposure-list.schema.json',
        list('exposectl.dev/v1alpha1', [{ ...row, kind: 'Service', mode: 'l2' }]),
      ),
    ).toEqual([]);
  });
});
