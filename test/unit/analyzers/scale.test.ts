// A large cluster stays fast: no analyzer may go quadratic in Services or Pods unnoticed.
import { expect, test } from 'vitest';
import { runAnalyzers } from '../../../src/analyzers/registry.js';
import { buildContext } from '../../../src/discover/context.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { l2adv, live, node, pod, pool, service } from '../../helpers/builders.js';
import { clock } from './helpers.js';

test('1000 Services, 3000 Pods, 50 nodes, one MetalLB pool: well under the bound', () => {
  const objects: KubeObject[] = [pool('p', ['10.10.0.0/21']), l2adv('l2')];
  for (let i = 0; i < 50; i++) objects.push(node(`n${i}`, `192.0.2.${i + 1}`));
  for (let i = 0; i < 1000; i++) {
    const namespace = `ns${i % 20}`;
    objects.push(
      service(
        `svc${i}`,
        {
          type: i % 3 ? 'LoadBalancer' : 'NodePort',
          selector: { app: `a${i}` },
          ports: [{ port: 80, nodePort: 30000 + (i % 2700) }],
        },
        { namespace },
        { loadBalancer: i % 5 ? { ingress: [{ ip: `10.10.${Math.floor(i / 250)}.${i % 250}` }] } : {} },
      ),
    );
    for (let j = 0; j < 3; j++)
      objects.push(pod(`p${i}-${j}`, { app: `a${i}` }, true, `n${(i + j) % 50}`, { namespace }));
  }
  const s = live(objects);
  const start = performance.now();
  const r = runAnalyzers({ snapshot: s, ctx: buildContext(s), probes: {} }, clock);
  const ms = performance.now() - start;
  expect(s.services).toHaveLength(1000);
  expect(s.pods).toHaveLength(3000);
  expect(r.findings.length).toBeGreaterThan(0);
  expect(ms).toBeLessThan(15_000);
}, 60_000);
