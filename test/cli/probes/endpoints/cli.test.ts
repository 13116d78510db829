// `exposectl probe endpoints` from files (no cluster, no network: --healthz is only asked
// where the Service has no healthCheckNodePort, so nothing is sent).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../helpers/cli.js';
import { schemaErrors } from '../../../helpers/schema.js';

const FILE = fileURLToPath(new URL('../../../unit/probes/endpoints/fixtures/local-policy.yaml', import.meta.url));
const probe = (args: string[]) =>
  runCli(['probe', 'endpoints', ...args, '-f', FILE], { env: { KUBECONFIG: '/nonexistent/kubeconfig' } });

describe('probe endpoints -f', () => {
  it('text: endpoints per node and the nodes that drop Local-policy traffic; exit 0 without --fail-on', async () => {
    const r = await probe(['shop/web']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/node-a\s+192\.0\.2\.21\s+1\s+0\s+served locally/);
    expect(r.stdout).toMatch(/node-b\s+192\.0\.2\.22\s+0\s+1\s+DROPPED/);
    expect(r.stdout).toMatch(/node-c \(NotReady\)\s+192\.0\.2\.23\s+0\s+0\s+DROPPED/);
    expect(r.stdout).toContain('WARNING endpoints/local-policy-blackhole');
  });

  it('json, and --fail-on warning exits 3', async () => {
    const r = await probe(['web', '-n', 'shop', '-o', 'json', '--fail-on', 'warning']);
    expect(r.exitCode, r.stderr).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      apiVersion: 'exposectl.dev/v1alpha1',
      kind: 'EndpointsProbe',
      service: { namespace: 'shop', name: 'web' },
      healthCheckNodePort: 32100,
      blackholeNodes: ['node-b', 'node-c'],
      healthzProbed: false,
    });
    expect(doc.findings).toHaveLength(1);
    expect(schemaErrors('endpoints-probe.schema.json', doc)).toEqual([]);
    // The schema is not a rubber stamp: a missing field, a wrong type and an unknown field are named.
    const { blackholeNodes: _dropped, ...withoutBlackholes } = doc;
    expect(schemaErrors('endpoints-probe.schema.json', withoutBlackholes)).toEqual([
      " must have required property 'blackholeNodes'",
    ]);
    expect(schemaErrors('endpoints-probe.schema.json', { ...doc, nodes: [{ ...doc.nodes[0], ready: '1' }] })).toEqual([
      '/nodes/0/ready must be integer',
    ]);
    expect(
      schemaErrors('endpoints-probe.schema.json', { ...doc, findings: [{ ...doc.findings[0], code: 'arp/no-reply' }] }),
    ).toEqual(['/findings/0/code must match pattern "^endpoints/[a-z0-9-]+$"']);
  });

  it('--healthz on a Service without healthCheckNodePort warns and asks nothing', async () => {
    const r = await probe(['shop/api', '--healthz', '-o', 'json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('has no healthCheckNodePort');
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      externalTrafficPolicy: 'Cluster',
      healthzProbed: false,
      blackholeNodes: [],
      findings: [],
    });
    expect(schemaErrors('endpoints-probe.schema.json', doc)).toEqual([]);
  });

  it('a missing Service exits 1, a malformed one 2', async () => {
    expect((await probe(['shop/nope'])).exitCode).toBe(1);
    expect((await probe(['Shop/Web!'])).exitCode).toBe(2);
  });
});
