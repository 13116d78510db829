// Identities for RBAC tests: a ServiceAccount with a token from the TokenRequest API, and
// a kubeconfig for it next to the admin's cluster entry (same server, same CA).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { kubectl, testCluster } from './helpers.js';

interface ClusterEntry {
  name: string;
  cluster: Record<string, unknown>;
}

/** The admin kubeconfig's cluster entry (server, certificate-authority-data). */
export function adminCluster(): ClusterEntry {
  const doc = parse(readFileSync(testCluster().kubeconfig, 'utf8')) as { clusters: ClusterEntry[] };
  return doc.clusters[0]!;
}

/** Writes a kubeconfig with one context and returns its path. */
export function writeKubeconfig(
  cluster: ClusterEntry,
  user: { name: string; user: Record<string, unknown> },
  namespace = 'default',
): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'exposectl-id-'));
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [cluster],
      users: [user],
      contexts: [
        { name: `${user.name}@${cluster.name}`, context: { cluster: cluster.name, user: user.name, namespace } },
      ],
      'current-context': `${user.name}@${cluster.name}`,
    }),
    { mode: 0o600 },
  );
  return file;
}

/** Creates ServiceAccount NAME in NAMESPACE and returns a kubeconfig that authenticates as it with a 1-hour token. */
export async function serviceAccountKubeconfig(namespace: string, name: string): Promise<string> {
  await kubectl(['create', 'serviceaccount', name, '-n', namespace]);
  const token = (await kubectl(['create', 'token', name, '-n', namespace, '--duration', '1h'])).stdout.trim();
  return writeKubeconfig(adminCluster(), { name, user: { token } }, namespace);
}
