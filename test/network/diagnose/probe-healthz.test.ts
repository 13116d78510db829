// `diagnose endpoints SERVICE --probe` against kube-proxy-like health checks in network
// namespaces (as test/network/endpoints/healthz.test.ts does for `probe endpoints`): each
// "node" serves GET /healthz on the healthCheckNodePort as kube-proxy does (200 with local
// endpoints, 503 without). For a LoadBalancer Service the snapshot alone cannot tell which
// nodes drop Local-policy traffic, so endpoints/local-policy-blackhole appears only from
// the real answers. As root:
//   npx vitest run --project network test/network/diagnose/probe-healthz.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../../helpers/schema.js';
import type { Lab } from '../arp/lab.js';
import { nodesYaml, startHealthzLab, webEndpointSliceYaml, webServiceYaml } from '../lab-facts.js';

const HC_PORT = 32110;
const NODES = [
  { role: 'n1', ip: '192.0.2.41', mac: '02:00:5e:00:02:41' },
  { role: 'n2', ip: '192.0.2.42', mac: '02:00:5e:00:02:42' },
];

// The EndpointSlices list a ready endpoint on both nodes; kube-proxy on n2 counts none (not caught up).
const FACTS = `
${nodesYaml(NODES)}
${webServiceYaml({ localPolicy: true, healthCheckNodePort: HC_PORT, vip: '198.51.100.40' })}
---
${webEndpointSliceYaml([
  { ip: '10.244.1.5', node: 'n1', ready: true },
  { ip: '10.244.2.5', node: 'n2', ready: true },
])}
`;

let lab: Lab;
let file: string;

beforeAll(async () => {
  ({ lab, file } = await startHealthzLab({
    client: { role: 'client', ip: '192.0.2.40', mac: '02:00:5e:00:02:40' },
    nodes: NODES,
    facts: FACTS,
    port: HC_PORT,
    localEndpointsByRole: { n1: 1, n2: 0 },
  }));
});

afterAll(async () => {
  await lab?.destroy();
});

describe('diagnose endpoints --probe (kube-proxy-like health checks in namespaces)', () => {
  it('n2 answers 503: endpoints/local-policy-blackhole on shop/web from the probe; without --probe, nothing', async () => {
    const r = await lab.cli('client', [
      'diagnose',
      'endpoints',
      'shop/web',
      '-f',
      file,
      '--probe',
      '--probe-timeout',
      '1s',
      '-o',
      'json',
      '--fail-on',
      'none',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; subject: object; message: string }> };
    expect(schemaErrors('diagnosis-report.schema.json', report)).toEqual([]);
    expect(report.findings.map((f) => [f.code, f.subject])).toEqual([
      ['endpoints/local-policy-blackhole', { kind: 'Service', namespace: 'shop', name: 'web' }],
    ]);
    expect(report.findings[0]!.message).toContain(
      '(n2: 192.0.2.42) drop it because their kube-proxy health check (port 32110/healthz) answers 503',
    );
    expect(report.findings[0]!.message).toContain(
      'on n2 the EndpointSlices list a ready endpoint that kube-proxy does not count',
    );

    const snapshotOnly = await lab.cli('client', ['diagnose', 'endpoints', 'shop/web', '-f', file, '-o', 'json']);
    expect(snapshotOnly.code, snapshotOnly.stderr).toBe(0);
    expect(JSON.parse(snapshotOnly.stdout).findings).toEqual([]);
  });
});
