// list against the real API server: a user without the right to list Services gets one
// clear line naming the verb, resource and namespace, and exit 1; a read-only user is told
// which kinds it could not read and still gets the list.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { kubectl, testCluster, useNamespace } from './helpers.js';

const ns = useNamespace('list');

/** A kubeconfig for a ServiceAccount with no permissions at all. */
async function nobodyKubeconfig(): Promise<string> {
  await kubectl(['create', 'serviceaccount', 'nobody', '-n', ns.name]);
  const token = (await kubectl(['create', 'token', 'nobody', '-n', ns.name])).stdout.trim();
  const admin = parse(readFileSync(testCluster().kubeconfig, 'utf8')) as {
    clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  };
  const cluster = admin.clusters[0]!;
  const path = join(mkdtempSync(join(tmpdir(), 'exposectl-nobody-')), 'kubeconfig');
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'nobody',
      clusters: [cluster],
      users: [{ name: 'nobody', user: { token } }],
      contexts: [{ name: 'nobody', context: { cluster: cluster.name, user: 'nobody', namespace: ns.name } }],
    }),
  );
  return path;
}

describe('list against the real API server', () => {
  it('a forbidden list exits 1 naming what was refused', async () => {
    const kubeconfig = await nobodyKubeconfig();
    const r = await runCli(['list', '--kubeconfig', kubeconfig]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`forbidden: .*cannot list services in namespace "${ns.name}"`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a read-only user gets the list and a warning for each kind it may not read', async () => {
    await kubectl(['create', 'service', 'nodeport', 'ro-web', '--tcp=80:8080', '-n', ns.name]);
    const r = await runCli(['list', '--kubeconfig', testCluster().kubeconfigReadonly, '-n', ns.name]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/service\/ro-web\s+nodeport/);
    expect(r.stderr).toMatch(/^Warning: .*nodes/m);
  });
});
