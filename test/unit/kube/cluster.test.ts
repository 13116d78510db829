// The cluster source and paginated lists against a fake API server on loopback.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createClient } from '../../../src/kube/client.js';
import { KINDS } from '../../../src/kube/kinds.js';
import { resolveKubeconfig } from '../../../src/kube/kubeconfig.js';
import { collectionPath, listKind, METADATA_ONLY_ACCEPT } from '../../../src/kube/list.js';
import { loadCluster, readCluster } from '../../../src/sources/cluster.js';
import { RuntimeError } from '../../../src/util/errors.js';
import { runBounded } from '../../../src/util/run-bounded.js';
import { type FakeApiServer, startFakeApiServer, writeKubeconfig } from '../../helpers/fake-apiserver.js';

const kind = (k: string) => KINDS.find((x) => x.kind === k)!;
let fake: FakeApiServer;
let kubeconfig: string;
beforeEach(async () => {
  fake = await startFakeApiServer();
  kubeconfig = writeKubeconfig(fake.url, { namespace: 'shop' });
});
afterEach(async () => {
  await fake.close();
});

const svc = (name: string, ns = 'shop') => ({
  metadata: { name, namespace: ns, managedFields: [{ manager: 'kubectl' }] },
  spec: { type: 'NodePort' },
});

describe('listKind', () => {
  test('pages of 500 with continue tokens; apiVersion/kind set, managedFields dropped', async () => {
    const items = Array.from({ length: 1201 }, (_, i) => svc(`s${i}`));
    fake.collections.set('/api/v1/namespaces/shop/services', items);
    const client = await createClient(resolveKubeconfig({ kubeconfig }));
    const pages: number[] = [];
    const seen: unknown[] = [];
    const result = await listKind(client, kind('Service'), { namespace: 'shop' }, (objs) => {
      pages.push(objs.length);
      seen.push(...objs);
    });
    expect(result).toEqual({ version: 'v1', count: 1201, pages: 3 });
    expect(pages).toEqual([500, 500, 201]);
    expect(fake.requests.map((r) => [r.query.get('limit'), r.query.get('continue')])).toEqual([
      ['500', null],
      ['500', '500'],
      ['500', '1000'],
    ]);
    expect(seen[0]).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's0', namespace: 'shop' },
      spec: { type: 'NodePort' },
    });
  });

  test('versions are tried in order; none served means absent, not an error', async () => {
    fake.collections.set('/apis/gateway.networking.k8s.io/v1alpha2/namespaces/shop/tcproutes', [
      { metadata: { name: 'r' } },
    ]);
    const client = await createClient(resolveKubeconfig({ kubeconfig }));
    const got: string[] = [];
    const r = await listKind(client, kind('TCPRoute'), { namespace: 'shop' }, (o) =>
      got.push(...o.map((x) => `${x.apiVersion} ${x.kind}`)),
    );
    expect(r.version).toBe('v1alpha2');
    expect(got).toEqual(['gateway.networking.k8s.io/v1alpha2 TCPRoute']);
    expect(fake.requests.map((x) => x.path)).toEqual([
      '/apis/gateway.networking.k8s.io/v1/namespaces/shop/tcproutes',
      '/apis/gateway.networking.k8s.io/v1alpha2/namespaces/shop/tcproutes',
    ]);
    const none = await listKind(client, kind('IPAddressPool'), {}, () => {});
    expect(none).toEqual({ version: null, count: 0, pages: 0 });
  });

  test('an expired continue token (410) goes on with the token the server gives', async () => {
    let calls = 0;
    fake.handler = (req, res) => {
      calls++;
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
        return true;
      };
      if (!req.query.get('continue')) return send(200, { items: [svc('a')], metadata: { continue: 'old' } });
      if (req.query.get('continue') === 'old')
        return send(410, { kind: 'Status', code: 410, reason: 'Expired', metadata: { continue: 'fresh' } });
      return send(200, { items: [svc('b')], metadata: {} });
    };
    const client = await createClient(resolveKubeconfig({ kubeconfig }));
    const names: string[] = [];
    await listKind(client, kind('Service'), { namespace: 'shop' }, (o) =>
      names.push(...o.map((x) => x.metadata.name!)),
    );
    expect(names).toEqual(['a', 'b']);
    expect(calls).toBe(3);
  });

  test('paths of core, grouped, namespaced and cluster-scoped kinds', () => {
    expect(collectionPath(kind('Service'), 'v1', 'a b')).toBe('/api/v1/namespaces/a%20b/services');
    expect(collectionPath(kind('Service'), 'v1', undefined)).toBe('/api/v1/services');
    expect(collectionPath(kind('Node'), 'v1', 'ignored')).toBe('/api/v1/nodes');
    expect(collectionPath(kind('IPAddressPool'), 'v1beta1', 'metallb-system')).toBe(
      '/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools',
    );
  });
});

describe('readCluster', () => {
  test('the context namespace by default; cluster-scoped and clusterWide kinds everywhere; absent CRDs are empty', async () => {
    fake.collections.set('/api/v1/namespaces/shop/services', [svc('web')]);
    fake.collections.set('/api/v1/nodes', [{ metadata: { name: 'n1' } }]);
    fake.collections.set('/apis/metallb.io/v1beta1/ipaddresspools', [
      { metadata: { name: 'pool', namespace: 'metallb-system' }, spec: { addresses: ['192.0.2.0/28'] } },
    ]);
    fake.collections.set('/api/v1/configmaps', [
      { metadata: { name: 'kubevip', namespace: 'kube-system' }, data: { 'range-global': '192.0.2.10-192.0.2.20' } },
      { metadata: { name: 'app-settings', namespace: 'shop' }, data: { LOG_LEVEL: 'debug' } },
    ]);
    fake.collections.set('/api/v1/namespaces/shop/secrets', [
      { metadata: { name: 'tls', namespace: 'shop' }, type: 'kubernetes.io/tls', data: { 'tls.key': 'c2VjcmV0' } },
    ]);
    for (const p of ['/api/v1/namespaces/shop/pods', '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices'])
      fake.collections.set(p, []);
    const load = await loadCluster({ kubeconfig, allNamespaces: false });
    const s = load.snapshot;
    expect(load.namespace).toBe('shop');
    expect(load.context).toMatchObject({
      contextName: 'test',
      server: fake.url,
      namespace: 'shop',
      userName: 'tester',
    });
    expect(s.source).toEqual({ kind: 'cluster', description: `context "test" (${fake.url}), namespace "shop"` });
    expect(s.services.map((x) => x.metadata.name)).toEqual(['web']);
    expect(s.nodes.map((x) => x.metadata.name)).toEqual(['n1']);
    expect(s.metallb.ipAddressPools.map((x) => `${x.apiVersion} ${x.metadata.namespace}/${x.metadata.name}`)).toEqual([
      'metallb.io/v1beta1 metallb-system/pool',
    ]);
    expect(s.configMaps.map((x) => x.metadata.name)).toEqual(['kubevip']);
    // Secrets: asked metadata-only, and data dropped whatever the server sends.
    expect(s.secrets).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'shop' }, type: 'kubernetes.io/tls' },
    ]);
    expect(fake.requests.find((r) => r.path.endsWith('/secrets'))?.headers.accept).toBe(METADATA_ONLY_ACCEPT);
    expect(
      fake.requests.filter((r) => r.path.endsWith('/configmaps')).map((r) => `${r.path}?limit=${r.query.get('limit')}`),
    ).toEqual(['/api/v1/configmaps?limit=100']); // clusterWide, small pages
    expect(load.absent).toContain('gateways.gateway.networking.k8s.io');
    expect(load.absent).toContain('ciliumloadbalancerippools.cilium.io');
    expect(load.absent).not.toContain('services');
    expect(load.unreadable).toEqual([]);
    // Services were asked first, alone.
    expect(fake.requests[0]?.path).toBe('/api/v1/namespaces/shop/services');
  });

  test('-n and -A select the namespace', async () => {
    fake.collections.set('/api/v1/services', [svc('a', 'x'), svc('b', 'y')]);
    fake.collections.set('/api/v1/namespaces/other/services', [svc('c', 'other')]);
    const all = await readCluster({ kubeconfig, allNamespaces: true });
    expect(all.services.map((x) => x.metadata.name)).toEqual(['a', 'b']);
    expect(all.source.description).toMatch(/all namespaces$/);
    const other = await readCluster({ kubeconfig, namespace: 'other', allNamespaces: false });
    expect(other.services.map((x) => x.metadata.name)).toEqual(['c']);
  });

  test('403 on a supporting kind leaves it empty and reports it; 403 on Services is an error', async () => {
    fake.collections.set('/api/v1/namespaces/shop/services', [svc('web')]);
    fake.statuses.set('/api/v1/nodes', {
      code: 403,
      reason: 'Forbidden',
      message: 'nodes is forbidden: User "dev" cannot list resource "nodes" in API group "" at the cluster scope',
    });
    fake.statuses.set('/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes', {
      code: 403,
      reason: 'Forbidden',
      message: 'no',
    });
    const warnings: string[] = [];
    const load = await loadCluster({ kubeconfig, allNamespaces: false, onWarning: (w) => warnings.push(w) });
    expect(load.snapshot.services).toHaveLength(1);
    expect(load.unreadable).toContainEqual({
      kind: 'Node',
      resource: 'nodes',
      message: 'forbidden: user "dev" cannot list nodes at the cluster scope (context "test")',
    });
    expect(load.unreadable.map((u) => u.resource).sort()).toEqual(['httproutes.gateway.networking.k8s.io', 'nodes']);
    expect(warnings).toContain(
      'forbidden: user "dev" cannot list nodes at the cluster scope (context "test"): Node objects are not shown',
    );
    expect(warnings).toHaveLength(2);

    fake.statuses.set('/api/v1/namespaces/shop/services', { code: 403, reason: 'Forbidden', message: 'no' });
    const err = await readCluster({ kubeconfig, allNamespaces: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe(
      'forbidden: user "tester" cannot list services in namespace "shop" (context "test")',
    );
  });

  test('an unusable cluster fails on the first request, without a storm of others', async () => {
    fake.statuses.set('/api/v1/namespaces/shop/services', {
      code: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized',
    });
    const err = await readCluster({ kubeconfig, allNamespaces: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/^unauthorized: /);
    expect(fake.requests).toHaveLength(1);
  });

  test('a forbidden kind that matters stops the remaining lists', async () => {
    fake.collections.set('/api/v1/namespaces/shop/services', []);
    fake.statuses.set('/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices', {
      code: 403,
      reason: 'Forbidden',
      message: 'no',
    });
    const err = await readCluster({ kubeconfig, allNamespaces: false, concurrency: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/cannot list endpointslices.discovery.k8s.io in namespace "shop"/);
    expect(fake.requests.length).toBeLessThan(5);
  });
});

test('runBounded never runs more than the limit at once', async () => {
  let running = 0;
  let peak = 0;
  await runBounded(
    Array.from({ length: 20 }, (_, i) => i),
    4,
    async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    },
  );
  expect(peak).toBe(4);
});

test('the snapshot order follows the kinds table, not the order answers arrive in', async () => {
  const fake = await startFakeApiServer();
  try {
    const kubeconfig = writeKubeconfig(fake.url);
    fake.collections.set('/api/v1/namespaces/default/services', []);
    fake.collections.set('/apis/apps/v1/namespaces/default/deployments', [{ metadata: { name: 'deploy' } }]);
    fake.collections.set('/apis/apps/v1/namespaces/default/statefulsets', [{ metadata: { name: 'sts' } }]);
    fake.collections.set('/apis/apps/v1/namespaces/default/daemonsets', []); // served (discovery), answered by the handler
    // DaemonSets answer last.
    fake.handler = (req, res) => {
      if (!req.path.endsWith('/daemonsets')) return false;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items: [{ metadata: { name: 'ds' } }], metadata: {} }));
      }, 150);
      return true;
    };
    const s = await readCluster({ kubeconfig, allNamespaces: false });
    expect(s.workloads.map((w) => `${w.kind}/${w.metadata.name}`)).toEqual([
      'DaemonSet/ds',
      'Deployment/deploy',
      'StatefulSet/sts',
    ]);
  } finally {
    await fake.close();
  }
});
