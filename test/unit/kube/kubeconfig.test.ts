import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  contextNamespace,
  kubeconfigFiles,
  mergeKubeconfigs,
  resolveKubeconfig,
} from '../../../src/kube/kubeconfig.js';
import { clusterContext } from '../../../src/sources/cluster.js';
import { UsageError } from '../../../src/util/errors.js';

let dir: string;
const write = (rel: string, text: string): string => {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'exposectl-kc-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const A = `apiVersion: v1
kind: Config
current-context: a
clusters:
- name: c1
  cluster: {server: "https://a.example:6443", certificate-authority: certs/ca.crt}
- name: shared
  cluster: {server: "https://from-a.example"}
users:
- name: u1
  user: {client-certificate: certs/u.crt, client-key: /abs/u.key, exec: {command: ./bin/auth, apiVersion: client.authentication.k8s.io/v1}}
contexts:
- name: a
  context: {cluster: c1, user: u1, namespace: team-a}
- name: s
  context: {cluster: shared, user: u1}
`;
const B = `apiVersion: v1
kind: Config
current-context: b
clusters:
- name: c2
  cluster: {server: "https://b.example"}
- name: shared
  cluster: {server: "https://from-b.example"}
users:
- name: u2
  user: {token: t}
contexts:
- name: b
  context: {cluster: c2, user: u2}
- name: a
  context: {cluster: c2, user: u2}
`;

async function usageError(f: () => unknown): Promise<UsageError> {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('kubeconfig files (kubectl rules)', () => {
  test('--kubeconfig wins over KUBECONFIG, and must exist', async () => {
    const a = write('one/a.yaml', A);
    const b = write('one/b.yaml', B);
    expect(kubeconfigFiles(a, { KUBECONFIG: b })).toEqual([a]);
    const err = await usageError(() => kubeconfigFiles(path.join(dir, 'missing'), {}));
    expect(err.message).toMatch(/the kubeconfig ".*missing" given with --kubeconfig does not exist/);
  });

  test('KUBECONFIG: list separated by ":", missing files and empty entries ignored', () => {
    const a = write('two/a.yaml', A);
    const b = write('two/b.yaml', B);
    expect(kubeconfigFiles(undefined, { KUBECONFIG: `${path.join(dir, 'nope')}::${b}:${a}:${b}` })).toEqual([b, a]);
  });

  test('~/.kube/config when there is no KUBECONFIG', () => {
    const home = path.join(dir, 'home');
    const cfg = write('home/.kube/config', A);
    expect(kubeconfigFiles(undefined, { HOME: home })).toEqual([cfg]);
    expect(kubeconfigFiles(undefined, { HOME: path.join(dir, 'nohome') })).toEqual([]);
  });

  test('merge: the first file to define a name or current-context wins; relative paths become absolute', () => {
    const a = write('merge/a/config', A);
    const b = write('merge/b/config', B);
    const merged = mergeKubeconfigs([a, b]);
    expect(merged['current-context']).toBe('a');
    expect(merged.clusters.map((c) => c.name)).toEqual(['c1', 'shared', 'c2']);
    expect(merged.clusters.find((c) => c.name === 'shared')?.cluster?.server).toBe('https://from-a.example');
    expect(merged.contexts.find((c) => c.name === 'a')?.context?.cluster).toBe('c1');
    expect(merged.clusters[0]?.cluster?.['certificate-authority']).toBe(path.join(dir, 'merge/a/certs/ca.crt'));
    const user = merged.users[0]!.user!;
    expect(user['client-certificate']).toBe(path.join(dir, 'merge/a/certs/u.crt'));
    expect(user['client-key']).toBe('/abs/u.key');
    expect((user.exec as Record<string, unknown>).command).toBe(path.join(dir, 'merge/a/bin/auth'));
    const reversed = mergeKubeconfigs([b, a]);
    expect(reversed['current-context']).toBe('b');
  });
});

describe('resolveKubeconfig', () => {
  test('current context, its server and namespace', () => {
    const a = write('r/a.yaml', A);
    const r = resolveKubeconfig({ kubeconfig: a });
    expect(r).toMatchObject({
      contextName: 'a',
      clusterName: 'c1',
      server: 'https://a.example:6443',
      userName: 'u1',
      namespace: 'team-a',
      sources: [a],
      inCluster: false,
    });
  });

  test('--context overrides; a context without namespace defaults to "default"', () => {
    const a = write('r2/a.yaml', A);
    expect(resolveKubeconfig({ kubeconfig: a, context: 's' })).toMatchObject({
      contextName: 's',
      server: 'https://from-a.example',
      namespace: 'default',
    });
  });

  test('KUBECONFIG merge through the environment', () => {
    const a = write('r3/a.yaml', A);
    const b = write('r3/b.yaml', B);
    const r = resolveKubeconfig({ env: { KUBECONFIG: [b, a].join(path.delimiter) } });
    expect(r).toMatchObject({ contextName: 'b', server: 'https://b.example', userName: 'u2', sources: [b, a] });
  });

  test('an unknown --context is a UsageError listing the contexts', async () => {
    const a = write('r4/a.yaml', A);
    const err = await usageError(() => resolveKubeconfig({ kubeconfig: a, context: 'nope' }));
    expect(err.message).toBe(`context "nope" does not exist in ${a} (contexts: a, s)`);
    expect(err.exitCode).toBe(2);
  });

  test('no current context is a UsageError', async () => {
    const f = write('r5/config', A.replace('current-context: a\n', ''));
    const err = await usageError(() => resolveKubeconfig({ kubeconfig: f }));
    expect(err.message).toMatch(/^no current context is set in .*\(contexts: a, s\)$/);
    expect(err.hint).toMatch(/--context/);
  });

  test('a context naming a missing cluster is a UsageError', async () => {
    const f = write('r6/config', 'contexts:\n- name: x\n  context: {cluster: ghost}\ncurrent-context: x\n');
    const err = await usageError(() => resolveKubeconfig({ kubeconfig: f }));
    expect(err.message).toMatch(/context "x" names cluster "ghost", which is not defined/);
  });

  test('no kubeconfig at all is a UsageError with a hint', async () => {
    const err = await usageError(() =>
      resolveKubeconfig({ env: { HOME: path.join(dir, 'empty-home') }, serviceAccountDir: path.join(dir, 'no-sa') }),
    );
    expect(err.message).toMatch(/^no kubeconfig found: .*empty-home\/\.kube\/config does not exist$/);
    expect(err.hint).toMatch(/--kubeconfig/);
    const err2 = await usageError(() =>
      resolveKubeconfig({ env: { KUBECONFIG: path.join(dir, 'nope') }, serviceAccountDir: path.join(dir, 'no-sa') }),
    );
    expect(err2.message).toMatch(/KUBECONFIG=.* names no existing file/);
  });

  test('malformed kubeconfig is a UsageError naming the file', async () => {
    const f = write('r7/config', 'clusters: [\n');
    const err = await usageError(() => resolveKubeconfig({ kubeconfig: f }));
    expect(err.message).toMatch(/the kubeconfig ".*r7\/config" is not valid YAML/);
  });

  test('in-cluster service account when there is no kubeconfig', () => {
    const sa = path.join(dir, 'sa');
    write('sa/token', 'tok');
    write('sa/namespace', 'infra\n');
    const r = resolveKubeconfig({
      env: { HOME: path.join(dir, 'empty-home'), KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
      serviceAccountDir: sa,
    });
    expect(r).toMatchObject({
      contextName: 'in-cluster',
      server: 'https://10.96.0.1:443',
      namespace: 'infra',
      inCluster: true,
    });
  });

  test('clusterContext gives name, server and default namespace without contacting anything', () => {
    const a = write('r8/a.yaml', A);
    expect(clusterContext({ kubeconfig: a })).toEqual({
      contextName: 'a',
      server: 'https://a.example:6443',
      namespace: 'team-a',
      userName: 'u1',
      inCluster: false,
      sources: [a],
    });
  });

  test('contextNamespace: the context namespace for -f, "default" without any kubeconfig', async () => {
    const a = write('r9/a.yaml', A);
    expect(contextNamespace({ kubeconfig: a })).toBe('team-a');
    expect(contextNamespace({ kubeconfig: a, context: 's' })).toBe('default');
    expect(
      contextNamespace({ env: { HOME: path.join(dir, 'empty-home') }, serviceAccountDir: path.join(dir, 'no-sa') }),
    ).toBe('default');
    expect(contextNamespace({ env: { KUBECONFIG: a } })).toBe('team-a');
    await usageError(() => contextNamespace({ kubeconfig: a, context: 'nope' }));
  });
});
