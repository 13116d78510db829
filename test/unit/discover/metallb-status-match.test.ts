// MetalLB's ServiceL2Status/ServiceBGPStatus as one fact: the topology's announcer hops and
// the ARP analyzer's expected holder read the same status (they used to match it two ways).
import { expect, test } from 'vitest';
import { buildContext } from '../../../src/discover/context.js';
import { metallbPeerTexts } from '../../../src/discover/metallb-peers.js';
import { serviceBgpStatuses, serviceL2Statuses } from '../../../src/discover/metallb-status.js';
import type { Custom, Service } from '../../../src/model/snapshot.js';
import { live, service } from '../../helpers/builders.js';

const l2Status = (name: string, status: Record<string, unknown>, labels: Record<string, string> = {}) =>
  ({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'ServiceL2Status',
    metadata: { name, namespace: 'metallb-system', labels },
    status,
  }) as Custom;

test('the status names the Service and node; MetalLB labels fill in what it leaves out', () => {
  const web = service('web', { type: 'LoadBalancer' }) as Service;
  const ctx = buildContext(
    live([
      web,
      l2Status('l2-a', { serviceName: 'web', serviceNamespace: 'default', node: 'n1', interfaces: [{ name: 'eth0' }] }),
      l2Status(
        'l2-b',
        {},
        {
          'metallb.io/service-name': 'web',
          'metallb.io/service-namespace': 'default',
          'metallb.io/node': 'n2',
        },
      ),
      l2Status('l2-c', { serviceName: 'web', serviceNamespace: 'other', node: 'n3' }),
      l2Status('l2-d', { serviceName: 'web', node: 'n4' }),
    ]),
  );
  expect(serviceL2Statuses(ctx, web).map((s) => [s.ref, s.node, s.interfaces])).toEqual([
    ['ServiceL2Status metallb-system/l2-a', 'n1', ['eth0']],
    ['ServiceL2Status metallb-system/l2-b', 'n2', []],
    // no namespace anywhere: the Service of that name
    ['ServiceL2Status metallb-system/l2-d', 'n4', []],
  ]);
  expect(serviceBgpStatuses(ctx, web)).toEqual([]);
  expect(metallbPeerTexts(ctx)).toEqual([]);
});
