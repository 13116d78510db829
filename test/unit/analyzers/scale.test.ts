// A large cluster stays fast: no analyzer may go quadratic in Services or Pods unnoticed.
import { expect, test } from 'vitest';
import { runAnalyzers } from '../../../src/analyzers/registry.js';
import { buildContext } from '../../../src/discover/context.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { emptySnapshot } from '../../../src/model/snapshot.js';
import { clock } from './helpers.js';

test('1000 Services, 3000 Pods, 50 nodes, one MetalLB pool: well under the bound', () => {
  const s = emptySnapshot({ kind: 'cluster', description: 'scale' });
  s.metallb.ipAddressPools.push({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: 'p', namespace: 'metallb-system' },
    spec: { addresses: ['10.10.0.0/21'] },
  } as KubeObject);
  s.metallb.l2Advertisements.push({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'L2Advertisement',
    metadata: { name: 'l2', namespace: 'metallb-system' },
  } as KubeObject);
  for (let i = 0; i < 50; i++)
    s.nodes.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `n${i}` },
      status: { addresses: [{ type: 'InternalIP', address: `192.0.2.${i + 1}` }] },
    } as never);
  for (let i = 0; i < 1000; i++) {
    const ns = `ns${i % 20}`;
    s.services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `svc${i}`, namespace: ns },
      spec: {
        type: i % 3 ? 'LoadBalancer' : 'NodePort',
        selector: { app: `a${i}` },
        ports: [{ port: 80, nodePort: 30000 + (i % 2700) }],
      },
      status: { loadBalancer: i % 5 ? { ingress: [{ ip: `10.10.${Math.floor(i / 250)}.${i % 250}` }] } : {} },
    } as never);
    for (let j = 0; j < 3; j++) {
      s.pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}-${j}`, namespace: ns, labels: { app: `a${i}` } },
        spec: { nodeName: `n${(i + j) % 50}`, containers: [{ name: 'c', image: 'x' }] },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      } as never);
    }
  }
  const start = performance.now();
  const r = runAnalyzers({ snapshot: s, ctx: buildContext(s), probes: {} }, clock);
  const ms = performance.now() - start;
  expect(r.findings.length).toBeGreaterThan(0);
  expect(ms).toBeLessThan(15_000);
}, 60_000);
