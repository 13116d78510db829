import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { isServed, parseDiscovery } from '../../../src/kube/discovery.js';
import { loadCluster } from '../../../src/sources/cluster.js';
import { type FakeApiServer, startFakeApiServer, writeKubeconfig } from '../../helpers/fake-apiserver.js';

const aggregated = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  items: [
    {
      metadata: { name: 'apps' },
      versions: [
        {
          version: 'v1',
          resources: [{ resource: 'deployments' }, { resource: 'daemonsets' }, { resource: 'statefulsets' }],
        },
      ],
    },
    {
      metadata: { name: 'discovery.k8s.io' },
      versions: [{ version: 'v1', resources: [{ resource: 'endpointslices' }] }],
    },
    {
      metadata: { name: 'networking.k8s.io' },
      versions: [{ version: 'v1', resources: [{ resource: 'ingresses' }, { resource: 'ingressclasses' }] }],
    },
    {
      metadata: { name: 'gateway.networking.k8s.io' },
      versions: [
        {
          version: 'v1',
          resources: [{ resource: 'gateways' }, { resource: 'httproutes' }, { resource: 'gatewayclasses' }],
        },
        { version: 'v1alpha2', resources: [{ resource: 'tcproutes' }] },
      ],
    },
    {
      metadata: { name: 'metallb.io' },
      versions: [{ version: 'v1beta1', resources: [{ resource: 'ipaddresspools' }] }],
    },
  ],
};

describe('parseDiscovery', () => {
  test('aggregated discovery gives group versions and resources', () => {
    const apis = parseDiscovery(aggregated);
    expect(isServed(apis, 'gateway.networking.k8s.io', 'v1', 'httproutes')).toBe(true);
    expect(isServed(apis, 'gateway.networking.k8s.io', 'v1', 'tcproutes')).toBe(false);
    expect(isServed(apis, 'gateway.networking.k8s.io', 'v1alpha2', 'tcproutes')).toBe(true);
    expect(isServed(apis, 'cilium.io', 'v2', 'ciliumloadbalancerippools')).toBe(false);
    expect(isServed(apis, '', 'v1', 'services')).toBe(true);
  });

  test('legacy APIGroupList gives group versions only', () => {
    const apis = parseDiscovery({
      kind: 'APIGroupList',
      groups: [{ name: 'metallb.io', versions: [{ groupVersion: 'metallb.io/v1beta1', version: 'v1beta1' }] }],
    });
    expect(apis.resources).toBeNull();
    expect(isServed(apis, 'metallb.io', 'v1beta1', 'anything')).toBe(true);
    expect(isServed(apis, 'metallb.io', 'v1beta2', 'bgppeers')).toBe(false);
  });
});

describe('the cluster source uses discovery', () => {
  let fake: FakeApiServer;
  beforeEach(async () => {
    fake = await startFakeApiServer();
  });
  afterEach(async () => {
    await fake.close();
  });

  test('absent CRDs are not asked for (so a 403 for them cannot happen), served versions are picked directly', async () => {
    fake.handler = (req, res) => {
      if (req.path !== '/apis') return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(aggregated));
      return true;
    };
    // As the real API server does for users without RBAC on them: 403 even though not installed.
    for (const p of ['ciliumloadbalancerippools', 'ciliumbgppeeringpolicies'])
      fake.statuses.set(`/apis/cilium.io/v2/${p}`, { code: 403, message: 'forbidden' });
    fake.collections.set('/api/v1/namespaces/default/services', []);
    fake.collections.set('/apis/gateway.networking.k8s.io/v1alpha2/namespaces/default/tcproutes', [
      { metadata: { name: 't' } },
    ]);
    const load = await loadCluster({ kubeconfig: writeKubeconfig(fake.url), allNamespaces: false });
    expect(fake.requests.filter((r) => r.path.includes('cilium.io'))).toEqual([]);
    expect(fake.requests.filter((r) => r.path.includes('tcproutes')).map((r) => r.path)).toEqual([
      '/apis/gateway.networking.k8s.io/v1alpha2/namespaces/default/tcproutes',
    ]);
    expect(fake.requests[1]?.headers.accept).toMatch(
      /^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/,
    );
    expect(load.unreadable).toEqual([]);
    expect(load.absent).toContain('ciliumloadbalancerippools.cilium.io');
    expect(load.absent).toContain('udproutes.gateway.networking.k8s.io');
    expect(load.snapshot.routes.map((r) => `${r.apiVersion} ${r.kind}`)).toEqual([
      'gateway.networking.k8s.io/v1alpha2 TCPRoute',
    ]);
  });
});
