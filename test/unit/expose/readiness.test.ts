import { describe, expect, it } from 'vitest';
import { LineProgress } from '../../../src/expose/progress.js';
import { assessReadiness, objectId } from '../../../src/expose/readiness.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import type { EndpointSlice } from '../../../src/model/snapshot.js';

const lb: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web-lb', namespace: 'shop' },
  spec: { type: 'LoadBalancer' },
};
const ds: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'web-hostnet', namespace: 'shop' },
};
const pool: KubeObject = {
  apiVersion: 'metallb.io/v1beta1',
  kind: 'IPAddressPool',
  metadata: { name: 'p', namespace: 'metallb-system' },
};

function slice(...ready: boolean[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 's' },
    addressType: 'IPv4',
    endpoints: ready.map((r, i) => ({ addresses: [`10.244.0.${i + 1}`], conditions: { ready: r } })),
  };
}

const traffic = { namespace: 'shop', name: 'web-lb' };

describe('assessReadiness', () => {
  it('waits for the address, node ports and a ready endpoint of a LoadBalancer Service', () => {
    const pending = { ...lb, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] }, status: {} };
    const checks = assessReadiness({
      manifests: [pool, lb],
      observed: new Map([
        [objectId(pool), pool],
        [objectId(lb), pending],
      ]),
      endpointSlices: [slice(false)],
      trafficService: traffic,
    });
    expect(checks.map((c) => [c.what, c.ready, c.detail])).toEqual([
      ['ipaddresspool/p', true, 'present'],
      ['service/web-lb address', false, '<pending>'],
      ['service/web-lb node ports', false, '<none>'],
      ['service/web-lb endpoints', false, '0/1 ready'],
    ]);
    const served = {
      ...lb,
      spec: { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 31000 }] },
      status: { loadBalancer: { ingress: [{ ip: '198.51.100.10' }] } },
    };
    const after = assessReadiness({
      manifests: [pool, lb],
      observed: new Map([
        [objectId(pool), pool],
        [objectId(lb), served],
      ]),
      endpointSlices: [slice(true, false)],
      trafficService: traffic,
    });
    expect(after.every((c) => c.ready)).toBe(true);
    expect(after.map((c) => c.detail)).toEqual(['present', '198.51.100.10', '31000', '1/2 ready']);
  });

  it('an object not created yet is not ready', () => {
    const checks = assessReadiness({
      manifests: [pool],
      observed: new Map(),
      endpointSlices: [],
      trafficService: traffic,
    });
    expect(checks[0]).toEqual({ what: 'ipaddresspool/p', ready: false, detail: 'not created yet' });
    expect(checks[1]).toEqual({ what: 'service/web-lb endpoints', ready: false, detail: 'no endpoints' });
  });

  it('a DaemonSet is ready when every scheduled pod is updated and ready', () => {
    const at = (desired: number, ready: number, updated: number) =>
      assessReadiness({
        manifests: [ds],
        observed: new Map([
          [
            objectId(ds),
            { ...ds, status: { desiredNumberScheduled: desired, numberReady: ready, updatedNumberScheduled: updated } },
          ],
        ]),
        endpointSlices: [slice(true)],
        trafficService: traffic,
      })[0];
    expect(at(0, 0, 0)).toMatchObject({ ready: false, detail: 'no node selected yet' });
    expect(at(2, 1, 2)).toMatchObject({ ready: false, detail: '1/2 ready' });
    expect(at(2, 2, 1)).toMatchObject({ ready: false });
    expect(at(2, 2, 2)).toMatchObject({ ready: true, detail: '2/2 ready' });
  });

  it('Gateways must be Programmed and routes Accepted', () => {
    const gw: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'g', namespace: 'shop' },
    };
    const route: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'shop' },
    };
    const observed = new Map<string, KubeObject>([
      [
        objectId(gw),
        {
          ...gw,
          status: { conditions: [{ type: 'Programmed', status: 'True' }], addresses: [{ value: '198.51.100.12' }] },
        },
      ],
      [objectId(route), { ...route, status: { parents: [{ conditions: [{ type: 'Accepted', status: 'False' }] }] } }],
    ]);
    const checks = assessReadiness({
      manifests: [gw, route],
      observed,
      endpointSlices: [slice(true)],
      trafficService: traffic,
    });
    expect(checks.map((c) => c.ready)).toEqual([true, false, true]);
    expect(checks[0]!.detail).toBe('198.51.100.12');
  });
});

describe('LineProgress', () => {
  it('prints a line only when a check changes', () => {
    const lines: string[] = [];
    const progress = new LineProgress((l) => lines.push(l));
    const waiting = [{ what: 'service/web-lb address', ready: false, detail: '<pending>' }];
    progress.update(waiting, 0);
    progress.update(waiting, 1000);
    progress.update([{ what: 'service/web-lb address', ready: true, detail: '198.51.100.10' }], 2500);
    expect(lines).toEqual([
      '[  0.0s] waiting: service/web-lb address: <pending>',
      '[  2.5s] ready:   service/web-lb address: 198.51.100.10',
    ]);
  });
});
