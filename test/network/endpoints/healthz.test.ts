// `exposectl probe endpoints --healthz` against kube-proxy-like health checks: a small Node
// HTTP server in each "node" namespace answers GET /healthz as kube-proxy does for a
// Local-policy Service (200 with local endpoints, 503 without, JSON body). The CLI runs
// in the "client" namespace with the cluster facts from a file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../../helpers/schema.js';
import type { Lab } from '../arp/lab.js';
import { nodesYaml, startHealthzLab, webEndpointSliceYaml, webServiceYaml } from '../lab-facts.js';

const HC_PORT = 32100;
const NODES = [
  { role: 'n1', ip: '192.0.2.21', mac: '02:00:5e:00:02:21' },
  { role: 'n2', ip: '192.0.2.22', mac: '02:00:5e:00:02:22' },
  { role: 'n3', ip: '192.0.2.23', mac: '02:00:5e:00:02:23' },
];

// EndpointSlices: a ready endpoint on n1 and on n2 (kube-proxy on n2 says 0: not caught up), nothing on n3.
const FACTS = `
${nodesYaml(NODES)}
${webServiceYaml({ localPolicy: true, healthCheckNodePort: HC_PORT })}
---
${webEndpointSliceYaml([
  { ip: '10.244.1.5', node: 'n1', ready: true },
  { ip: '10.244.1.6', node: 'n1', ready: false },
  { ip: '10.244.2.5', node: 'n2', ready: true },
])}
`;

let lab: Lab;
let file: string;

beforeAll(async () => {
  ({ lab, file } = await startHealthzLab({
    client: { role: 'client', ip: '192.0.2.10', mac: '02:00:5e:00:02:10' },
    nodes: NODES,
    facts: FACTS,
    port: HC_PORT,
    localEndpointsByRole: { n1: 1, n2: 0 },
  }));
});

afterAll(async () => {
  await lab?.destroy();
});

describe('probe endpoints --healthz (kube-proxy-like health checks in namespaces)', () => {
  it('asks every node, compares with the EndpointSlices, and names the nodes that drop traffic', async () => {
    const r = await lab.cli('client', [
      'probe',
      'endpoints',
      'shop/web',
      '-f',
      file,
      '--healthz',
      '--timeout',
      '1s',
      '-o',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      kind: 'EndpointsProbe',
      healthCheckNodePort: HC_PORT,
      externalTrafficPolicy: 'Local',
      healthzProbed: true,
      endpoints: { ready: 2, total: 3 },
    });
    const rows = Object.fromEntries(doc.nodes.map((n: { node: string }) => [n.node, n]));
    expect(rows.n1).toMatchObject({
      ready: 1,
      notReady: 1,
      dropsTraffic: false,
      healthz: { address: '192.0.2.21', status: 200, localEndpoints: 1, agrees: true },
    });
    expect(rows.n2).toMatchObject({
      ready: 1,
      notReady: 0,
      dropsTraffic: true,
      healthz: { address: '192.0.2.22', status: 503, localEndpoints: 0, agrees: false },
    });
    expect(rows.n3).toMatchObject({
      ready: 0,
      dropsTraffic: true,
      healthz: { status: null, error: 'connection refused', agrees: null },
    });
    expect(doc.blackholeNodes).toEqual(['n2', 'n3']);
    expect(doc.healthzMismatches).toEqual(['n2']);
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(['endpoints/local-policy-blackhole']);
    expect(doc.findings[0].message).toContain('n2');
    expect(schemaErrors('endpoints-probe.schema.json', doc)).toEqual([]);
    // A healthz answer with an impossible HTTP status is rejected.
    const bad = {
      ...doc,
      nodes: doc.nodes.map((n: { healthz?: object }) =>
        n.healthz ? { ...n, healthz: { ...n.healthz, status: 42 } } : n,
      ),
    };
    expect(schemaErrors('endpoints-probe.schema.json', bad)).toContain('/nodes/0/healthz/status must be >= 100');
  });

  it('text output, and --fail-on warning exits 3', async () => {
    const r = await lab.cli('client', [
      'probe',
      'endpoints',
      'shop/web',
      '-f',
      file,
      '--healthz',
      '--timeout',
      '1s',
      '--fail-on',
      'warning',
    ]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/n2\s+192\.0\.2\.22\s+1\s+0\s+DROPPED\s+503\s+0 \(slices say 1\)/);
    expect(r.stdout).toContain('<connection refused>');
    expect(r.stdout).toContain('WARNING endpoints/local-policy-blackhole');
  });

  it('without --healthz and no known announcer: no node is said to drop; the text names the one without endpoints', async () => {
    const r = await lab.cli('client', ['probe', 'endpoints', 'shop/web', '-f', file, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.receivers.known).toBe(false);
    expect(doc.blackholeNodes).toEqual([]);
    expect(schemaErrors('endpoints-probe.schema.json', doc)).toEqual([]);
    const text = await lab.cli('client', ['probe', 'endpoints', 'shop/web', '-f', file]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Nodes without a local ready endpoint drop what reaches them: n3.');
    expect(text.stdout).toContain('Run with --healthz');
  });

  it('a Service that is not there exits 1; a malformed SERVICE exits 2', async () => {
    const missing = await lab.cli('client', ['probe', 'endpoints', 'shop/nope', '-f', file]);
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stderr).toContain('services "nope" not found');
    const bad = await lab.cli('client', ['probe', 'endpoints', 'a/b/c', '-f', file]);
    expect(bad.code, bad.stderr).toBe(2);
  });
});
