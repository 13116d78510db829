// The completeness rule (src/discover/completeness.ts) over each shape of input, read the
// way the CLI reads -f: manifests with and without a kind, a `kubectl get -o yaml` export
// (kind: List), an input with Nodes, --input-complete both ways, and a live cluster.
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { runAnalyzers } from '../../../src/analyzers/registry.js';
import { inputIsCluster, kindComplete, kindKey } from '../../../src/discover/completeness.js';
import { buildContext } from '../../../src/discover/context.js';
import type { InputCompleteness } from '../../../src/model/snapshot.js';
import { readManifests } from '../../../src/sources/files.js';
import { clock } from '../analyzers/helpers.js';

async function read(yaml: string, completeness?: InputCompleteness) {
  const snapshot = await readManifests(['-'], {
    stdin: Readable.from([yaml]),
    ...(completeness ? { completeness } : {}),
  });
  return { snapshot, ctx: buildContext(snapshot) };
}

const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop }
spec:
  ingressClassName: nginx
  tls: [{ hosts: [shop.example.org], secretName: shop-tls }]
  rules:
    - host: shop.example.org
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: web, port: { number: 80 } } }
`;
const secretIn = (ns: string) => `---
apiVersion: v1
kind: Secret
metadata: { name: db-password, namespace: ${ns} }
type: Opaque
`;
const serviceIn = (ns: string, name = 'api') => `---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns} }
spec: { selector: { app: ${name} }, ports: [{ port: 80 }] }
`;
const node = `---
apiVersion: v1
kind: Node
metadata: { name: node-a }
`;
const ingressClass = `---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: nginx }
spec: { controller: k8s.io/ingress-nginx }
`;
/** The same objects as a `kubectl get -o yaml` export. */
function asList(yaml: string): string {
  const items = yaml
    .split(/^---\n/m)
    .filter((d) => d.trim() !== '')
    .map((d) => `- ${d.trimEnd().replace(/\n/g, '\n  ')}`)
    .join('\n');
  return `apiVersion: v1\nkind: List\nitems:\n${items}\n`;
}

async function findings(yaml: string, completeness?: InputCompleteness) {
  const { snapshot, ctx } = await read(yaml, completeness);
  return runAnalyzers({ snapshot, ctx, probes: {} }, clock).findings.map(
    (f) => `${f.code} ${f.subject.kind} ${f.subject.namespace}/${f.subject.name}`,
  );
}

describe('kindComplete: what the absence of an object proves', () => {
  test('manifests without a kind prove nothing about it', async () => {
    const { ctx } = await read(ingress);
    expect(inputIsCluster(ctx)).toBeUndefined();
    expect(kindComplete(ctx, 'Secret', 'shop')).toBe(false);
    expect(kindComplete(ctx, 'Service', 'shop')).toBe(false);
    expect(kindComplete(ctx, 'IngressClass')).toBe(false);
    expect(await findings(ingress)).not.toContainEqual(expect.stringMatching(/backend-missing|tls-secret-missing/));
  });

  test('a namespaced kind is complete where the input holds objects of it, nowhere else', async () => {
    const { ctx } = await read(ingress + secretIn('shop') + serviceIn('other'));
    expect(kindComplete(ctx, 'Secret', 'shop')).toBe(true);
    expect(kindComplete(ctx, 'Secret', 'monitoring')).toBe(false);
    expect(kindComplete(ctx, 'Secret')).toBe(true); // held somewhere: MetalLB-style configuration
    expect(kindComplete(ctx, 'Service', 'shop')).toBe(false);
    expect(kindComplete(ctx, 'Service', 'other')).toBe(true);
  });

  test('a cluster-scoped kind present is complete everywhere', async () => {
    const { ctx } = await read(ingress + ingressClass);
    expect(kindComplete(ctx, 'IngressClass')).toBe(true);
    expect(kindComplete(ctx, 'GatewayClass')).toBe(false);
  });

  test('objects dropped as irrelevant still show the kind is held (a ConfigMap exposectl does not keep)', async () => {
    const { snapshot, ctx } = await read(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app-settings, namespace: shop }\ndata: { color: blue }\n',
    );
    expect(snapshot.configMaps).toEqual([]);
    expect(kindComplete(ctx, 'ConfigMap', 'shop')).toBe(true);
  });

  test('with the kind present, absence findings are raised and say "not in the input"', async () => {
    const { snapshot, ctx } = await read(ingress + secretIn('shop') + serviceIn('shop') + ingressClass);
    const report = runAnalyzers({ snapshot, ctx, probes: {} }, clock).findings;
    const tls = report.find((f) => f.code === 'ingress/tls-secret-missing');
    const backend = report.find((f) => f.code === 'ingress/backend-missing');
    expect(tls?.message).toContain('names Secret shop/shop-tls, which is not in the input');
    expect(backend?.message).toContain('to Service shop/web, which is not in the input');
    for (const f of report) expect(f.message).not.toMatch(/does not exist/);
  });

  test('a kubectl get -o yaml export (kind: List) is complete for every kind', async () => {
    const yaml = asList(ingress + secretIn('kube-system') + serviceIn('shop', 'web'));
    const { ctx } = await read(yaml);
    expect(inputIsCluster(ctx)).toBe('export');
    expect(kindComplete(ctx, 'Secret', 'shop')).toBe(true);
    expect(kindComplete(ctx, 'IngressClass')).toBe(true);
    expect(kindComplete(ctx, 'L2Advertisement', 'metallb-system')).toBe(true);
    expect(await findings(yaml)).toEqual(
      expect.arrayContaining([
        'ingress/tls-secret-missing Ingress shop/shop',
        'ingress/no-controller Ingress shop/shop',
      ]),
    );
  });

  test('a dump without any object of a kind every cluster has (Pods) did not dump that kind', async () => {
    const { ctx } = await read(asList(ingress + serviceIn('shop', 'web')));
    expect(kindComplete(ctx, 'Pod', 'shop')).toBe(false);
    expect(kindComplete(ctx, 'ConfigMap', 'shop')).toBe(false);
    expect(await findings(asList(ingress + serviceIn('shop', 'web')))).not.toContainEqual(
      expect.stringContaining('endpoints/selector-matches-nothing'),
    );
    const withPods = asList(
      `${ingress + serviceIn('shop', 'web')}---\napiVersion: v1\nkind: Pod\nmetadata: { name: other, namespace: kube-system }\n`,
    );
    const { ctx: dumped } = await read(withPods);
    expect(kindComplete(dumped, 'Pod', 'shop')).toBe(true);
    expect(await findings(withPods)).toContain('endpoints/selector-matches-nothing Service shop/web');
  });

  test('from files, a workload template that matches the selector stands for its Pods', async () => {
    const yaml = asList(
      `${serviceIn('shop', 'web')}---
apiVersion: v1
kind: Pod
metadata: { name: other, namespace: kube-system }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`,
    );
    expect(await findings(yaml)).not.toContainEqual(expect.stringContaining('selector-matches-nothing'));
  });

  test('an input that holds Nodes is complete for every kind', async () => {
    const { ctx } = await read(ingress + node);
    expect(inputIsCluster(ctx)).toBe('nodes');
    expect(kindComplete(ctx, 'Secret', 'shop')).toBe(true);
    expect(kindComplete(ctx, 'networking.istio.io/Gateway', 'shop')).toBe(true);
  });

  test('--input-complete=all takes manifests as the whole cluster', async () => {
    const { ctx } = await read(ingress, 'all');
    expect(inputIsCluster(ctx)).toBe('flag');
    expect(kindComplete(ctx, 'Secret', 'shop')).toBe(true);
    expect(kindComplete(ctx, 'Pod', 'shop')).toBe(true);
    expect(await findings(ingress, 'all')).toEqual(
      expect.arrayContaining([
        'ingress/tls-secret-missing Ingress shop/shop',
        'ingress/backend-missing Ingress shop/shop',
        'ingress/no-controller Ingress shop/shop',
      ]),
    );
  });

  test('--input-complete=none proves no absence, even in an export with Nodes', async () => {
    const yaml = asList(ingress + secretIn('shop') + serviceIn('shop') + node);
    const { ctx } = await read(yaml, 'none');
    expect(inputIsCluster(ctx)).toBeUndefined();
    expect(kindComplete(ctx, 'Secret', 'shop')).toBe(false);
    expect(await findings(yaml, 'none')).not.toContainEqual(
      expect.stringMatching(/tls-secret-missing|backend-missing|no-controller/),
    );
  });

  test('a live cluster is complete', async () => {
    const { snapshot } = await read(ingress);
    const ctx = buildContext({ ...snapshot, source: { kind: 'cluster', description: 'test' } });
    expect(inputIsCluster(ctx)).toBe('live');
    expect(kindComplete(ctx, 'Secret', 'shop')).toBe(true);
  });

  test('cert-manager issues the TLS Secret of an annotated Ingress: not missing from files', async () => {
    const annotated = ingress.replace(
      'metadata: { name: shop, namespace: shop }',
      'metadata: { name: shop, namespace: shop, annotations: { cert-manager.io/cluster-issuer: letsencrypt } }',
    );
    expect(await findings(annotated + secretIn('shop'))).not.toContainEqual(
      expect.stringContaining('tls-secret-missing'),
    );
  });

  test('kind names: unique names stand alone, shared ones need their group', () => {
    expect(kindKey('Secret')).toBe('/Secret');
    expect(kindKey('IPAddressPool')).toBe('metallb.io/IPAddressPool');
    expect(() => kindKey('Gateway')).toThrow(/ambiguous/);
    expect(kindKey('networking.istio.io/Gateway')).toBe('networking.istio.io/Gateway');
  });
});
