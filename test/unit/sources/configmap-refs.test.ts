// #16 point 5: a controller's ConfigMap is found through its --configmap argument, not only by
// its labels or content (keepConfigMap sees one object at a time).
import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { relatedSubjects } from '../../../src/analyzers/registry.js';
import { buildContext } from '../../../src/discover/context.js';
import { loadManifests } from '../../../src/sources/files.js';

const MANIFESTS = `
apiVersion: v1
kind: ConfigMap
metadata: { name: edge-settings, namespace: edge }
data: { proxy-body-size: 8m }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: edge-tcp, namespace: edge }
data: {}
---
apiVersion: v1
kind: ConfigMap
metadata: { name: unrelated, namespace: edge }
data: { foo: bar }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: edge-controller, namespace: edge }
spec:
  selector: { matchLabels: { app: edge } }
  template:
    metadata: { labels: { app: edge } }
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.9.4
          args: [/nginx-ingress-controller, "--configmap=$(POD_NAMESPACE)/edge-settings", --tcp-services-configmap, edge-tcp]
---
apiVersion: v1
kind: Service
metadata: { name: edge, namespace: edge }
spec:
  type: LoadBalancer
  selector: { app: edge }
  ports: [{ name: http, port: 80, targetPort: 80 }]
`;

const load = () => loadManifests(['-'], { stdin: Readable.from([MANIFESTS]) });

test('ConfigMaps named by --configmap and --tcp-services-configmap are kept, whatever they hold; others are not', async () => {
  const { snapshot, skipped } = await load();
  expect(snapshot.configMaps.map((c) => c.metadata.name)).toEqual(['edge-settings', 'edge-tcp']);
  expect(skipped.filter((s) => s.kind === 'ConfigMap').map((s) => s.name)).toEqual(['unrelated']);
  expect(snapshot.origins.get(snapshot.configMaps[0]!)).toMatchObject({ file: '<stdin>' });
});

test("diagnose/describe of the controller's own Service take in its workload and ConfigMaps", async () => {
  const { snapshot } = await load();
  const related = relatedSubjects({
    snapshot,
    ctx: buildContext(snapshot),
    probes: {},
    service: { namespace: 'edge', name: 'edge' },
  });
  expect([...related].sort()).toEqual([
    'ConfigMap|edge|edge-settings',
    'ConfigMap|edge|edge-tcp',
    'Deployment|edge|edge-controller',
    'Service|edge|edge',
  ]);
});
