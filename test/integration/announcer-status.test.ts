// What the implementations write about their announcements, read live (issue #16, points 3
// and 10): MetalLB's ServiceL2Status/ServiceBGPStatus as the real CRDs accept them (status
// subresource), and only Cilium's cilium-l2announce-* Leases among the cluster's Leases.
// The statuses are judged by the unit tests (test/unit/discover/announcer-status.test.ts);
// here the API server decides what exists and the reader must bring exactly that.
import { describe, expect, it } from 'vitest';
import { ciliumL2Lease } from '../../src/discover/cilium-l2-lease.js';
import { buildContext } from '../../src/discover/context.js';
import { serviceBgpStatuses, serviceL2Statuses } from '../../src/discover/metallb-status.js';
import { readCluster } from '../../src/sources/cluster.js';
import { kubectl, testCluster, useNamespace } from './helpers.js';

const ns = useNamespace('announcer-status');

const status = (kind: string, name: string, st: Record<string, unknown>) =>
  kubectl([
    'patch',
    kind,
    name,
    '-n',
    ns.name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: st }),
  ]);

describe('announcer statuses read from the API server', () => {
  it('ServiceL2Status and ServiceBGPStatus with their status, and only the Cilium announce Leases', async () => {
    await kubectl(['apply', '-n', ns.name, '-f', '-'], {
      input: `
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: ClusterIP, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: metallb.io/v1beta1
kind: ServiceL2Status
metadata: {name: l2-web}
---
apiVersion: metallb.io/v1beta1
kind: ServiceBGPStatus
metadata: {name: bgp-web}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: cilium-l2announce-${ns.name}-web}
spec: {holderIdentity: node-2, leaseDurationSeconds: 15}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: some-controller-lock}
spec: {holderIdentity: node-1}
`,
    });
    await status('servicel2statuses.metallb.io', 'l2-web', {
      node: 'node-1',
      serviceName: 'web',
      serviceNamespace: ns.name,
      interfaces: [{ name: 'eth0' }],
    });
    await status('servicebgpstatuses.metallb.io', 'bgp-web', {
      node: 'node-1',
      serviceName: 'web',
      serviceNamespace: ns.name,
      peers: ['tor'],
    });

    const snapshot = await readCluster({
      kubeconfig: testCluster().kubeconfig,
      namespace: ns.name,
      allNamespaces: false,
    });
    const ctx = buildContext(snapshot);
    const svc = snapshot.services.find((s) => s.metadata.name === 'web')!;
    expect(serviceL2Statuses(ctx, svc)).toMatchObject([
      { ref: `ServiceL2Status ${ns.name}/l2-web`, node: 'node-1', interfaces: ['eth0'] },
    ]);
    expect(serviceBgpStatuses(ctx, svc)).toMatchObject([{ node: 'node-1', peers: ['tor'] }]);
    expect(ciliumL2Lease(ctx, svc)).toMatchObject({ holder: 'node-2', namespace: ns.name });
    expect(snapshot.cilium.l2AnnounceLeases.map((l) => l.metadata.name)).not.toContain('some-controller-lock');
    expect(snapshot.cilium.l2AnnounceLeases.every((l) => l.metadata.name?.startsWith('cilium-l2announce-'))).toBe(true);
  });
});
