// `diagnose --probe` and the reach probe: reach needs no flag, so it runs whenever the reach
// check is selected (alone or with every check), also on -f files; gatherReach tries every
// way in of the Services in scope once, here against real sockets on loopback.
// And the echo mirror of `probe reach --count`: the plan's one echo Pod becomes N.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/discover/context.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { planProbes } from '../../../src/probes/diagnose-plan.js';
import { gatherReach, withReplicas } from '../../../src/probes/reach/index.js';
import { service, snapshotOf } from '../analyzers/helpers.js';

describe('diagnose --probe plans the reach probe', () => {
  it('runs without any flag, with a SERVICE or not, on a live cluster or -f files', () => {
    for (const s of [
      { service: false, files: false },
      { service: true, files: true },
    ])
      expect(planProbes(['reachProbe'], s)).toEqual({ run: ['reachProbe'], skipped: [] });
  });
});

describe('gatherReach: every way in of the Services in scope, once each', () => {
  let open: net.Server;
  let openPort: number;
  let closedPort: number;
  beforeAll(async () => {
    open = net.createServer((s) => s.end());
    await new Promise<void>((r) => open.listen(0, '127.0.0.1', r));
    openPort = (open.address() as net.AddressInfo).port;
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  afterAll(() => open.close());

  const ctx = () =>
    buildContext(
      snapshotOf([
        service(
          'up',
          { type: 'ClusterIP', externalIPs: ['127.0.0.1'], ports: [{ port: openPort }] },
          { namespace: 'shop' },
        ),
        service(
          'down',
          { type: 'ClusterIP', externalIPs: ['127.0.0.1'], ports: [{ port: closedPort }] },
          { namespace: 'shop' },
        ),
        service('inside', { type: 'ClusterIP', ports: [{ port: 80 }] }, { namespace: 'shop' }),
      ]),
    );

  it('every Service with a way in from outside (a ClusterIP-only one has none and is left out)', async () => {
    const probes = await gatherReach(ctx(), { timeoutMs: 2000 });
    expect(probes.map((p) => [p.service?.name, p.count, p.results.map((r) => r.outcomes)])).toEqual([
      ['up', 1, [{ connected: 1 }]],
      ['down', 1, [{ refused: 1 }]],
    ]);
    expect(probes.every((p) => p.mirror === null)).toBe(true);
  });

  it('the one SERVICE asked for, even without a way in (its probe then says nothing was tried)', async () => {
    const [inside] = await gatherReach(ctx(), { timeoutMs: 2000, service: { namespace: 'shop', name: 'inside' } });
    expect(inside).toMatchObject({ service: { namespace: 'shop', name: 'inside' }, results: [] });
    const only = await gatherReach(ctx(), { timeoutMs: 2000, service: { namespace: 'shop', name: 'down' } });
    expect(only.map((p) => p.service?.name)).toEqual(['down']);
  });
});

describe('withReplicas: the echo mirror with N echo Pods', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'exposectl-echo-abc', labels: { p: 'abc' } } };
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'exposectl-echo-abc' } };
  it("the plan's Pod first, then NAME-2 ... NAME-N with the same labels, then the rest in order", () => {
    const out = withReplicas([pod, svc] as KubeObject[], 3);
    expect(out.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'Pod exposectl-echo-abc',
      'Pod exposectl-echo-abc-2',
      'Pod exposectl-echo-abc-3',
      'Service exposectl-echo-abc',
    ]);
    expect(out[2]!.metadata.labels).toEqual({ p: 'abc' });
    expect(withReplicas([pod, svc] as KubeObject[], 1)).toEqual([pod, svc]);
  });
});
