// Helpers for integration tests against the real control plane started by global-setup.ts.
//
//   const ns = useNamespace('harness');          // beforeAll: create, afterAll: delete
//   await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: yaml });
//   const pods = await kubectlJson<List>(['get', 'pods', '-n', ns.name]);
//   await waitUntil('pods ready', async () => (ready(pods) ? pods : undefined));

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, inject } from 'vitest';
import type { ExposectlTestCluster } from './global-setup.js';

/** The cluster of this test run: kubeconfig paths, the built kubectl, the API server URL. */
export function testCluster(): ExposectlTestCluster {
  const c = inject('exposectlCluster');
  if (c) return c;
  const kubeconfig = process.env.EXPOSECTL_TEST_KUBECONFIG;
  const kubectlBin = process.env.EXPOSECTL_TEST_KUBECTL;
  const dir = process.env.EXPOSECTL_TEST_CLUSTER_DIR;
  if (!kubeconfig || !kubectlBin || !dir) {
    throw new Error(
      'no test cluster: run the integration project (vitest run --project integration), whose globalSetup starts one',
    );
  }
  return {
    dir,
    kubeconfig,
    kubeconfigReadonly: process.env.EXPOSECTL_TEST_KUBECONFIG_READONLY ?? path.join(dir, 'kubeconfig-readonly'),
    kubectl: kubectlBin,
    apiserverUrl: '',
  };
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface KubectlOptions {
  /** stdin (e.g. YAML for `apply -f -`) */
  input?: string;
  /** use this kubeconfig instead of the admin one (e.g. testCluster().kubeconfigReadonly) */
  kubeconfig?: string;
  /** resolve with a non-zero exit code instead of throwing */
  allowFailure?: boolean;
  timeoutMs?: number;
  /** another cluster than the run's (e.g. one a fault test starts for itself) */
  cluster?: ExposectlTestCluster;
}

/** Runs the control plane's own kubectl (never the machine's) against the test cluster. */
export async function kubectl(args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const c = options.cluster ?? testCluster();
  const kubeconfig = options.kubeconfig ?? c.kubeconfig;
  // --cache-dir: discovery cache inside the cluster folder (never ./.kube or ~/.kube).
  const r = await execa(
    c.kubectl,
    ['--kubeconfig', kubeconfig, '--cache-dir', path.join(c.dir, 'kube-cache'), ...args],
    {
      input: options.input,
      reject: false,
      timeout: options.timeoutMs ?? 60_000,
      env: { KUBECONFIG: kubeconfig, HOME: c.dir, PATH: process.env.PATH ?? '/usr/bin:/bin' },
      extendEnv: false,
    },
  );
  const result = { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
  if (result.exitCode !== 0 && !options.allowFailure) {
    throw new Error(`kubectl ${args.join(' ')} failed (exit ${result.exitCode}):\n${result.stderr}${result.stdout}`);
  }
  return result;
}

/** `kubectl ... -o json`, parsed. */
export async function kubectlJson<T = unknown>(
  args: string[],
  options: Omit<KubectlOptions, 'allowFailure'> = {},
): Promise<T> {
  const r = await kubectl([...args, '-o', 'json'], options);
  return JSON.parse(r.stdout) as T;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `check` until it returns a value other than undefined/false/null and returns that
 * value. Errors thrown by `check` count as "not yet" and the last one is reported on timeout.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
      last = undefined;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? `; last error: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting until ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Runs `attempt` again until `done` accepts its result or `timeoutMs` has passed, and
 * returns the last result either way: for checks whose "not yet" is itself the answer the
 * test asserts on (no answer, answers from more than one Pod), unlike waitUntil, which throws.
 */
export async function retryUntil<T>(
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  options: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const result = await attempt();
    if (done(result) || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
  }
}

export interface TestNamespace {
  /** set in beforeAll */
  name: string;
}

/**
 * Gives the calling test file its own namespace: created in beforeAll (and waited for its
 * `default` ServiceAccount, which pods need), deleted in afterAll without waiting for the
 * finalizers. Call at the top level of the test file.
 */
export function useNamespace(prefix: string): TestNamespace {
  const ns: TestNamespace = { name: '' };
  beforeAll(async () => {
    const base =
      prefix
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || 'test';
    ns.name = `it-${base}-${randomBytes(3).toString('hex')}`;
    await kubectl(['create', 'namespace', ns.name]);
    await kubectl(['label', 'namespace', ns.name, 'exposectl.test/integration=true']);
    await waitUntil(
      `serviceaccount default in namespace ${ns.name}`,
      async () =>
        (await kubectl(['get', 'serviceaccount', 'default', '-n', ns.name], { allowFailure: true })).exitCode === 0,
    );
  });
  afterAll(async () => {
    if (ns.name) await kubectl(['delete', 'namespace', ns.name, '--wait=false', '--ignore-not-found']);
  });
  return ns;
}

/**
 * A Deployment of `replicas` pods labelled app=NAME with one container listening on 8080
 * (port "http"), optionally pinned to one kwok node. The image is never pulled: kwok only
 * plays the pods.
 */
export function deploymentYaml(
  name: string,
  replicas: number,
  opts: { namespace?: string; node?: string } = {},
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}${opts.namespace ? `, namespace: ${opts.namespace}` : ''}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:${opts.node ? `\n      nodeSelector: {kubernetes.io/hostname: ${opts.node}}` : ''}
      containers: [{name: app, image: registry.invalid/app:1, ports: [{name: http, containerPort: 8080}]}]`;
}

/** deploymentYaml and a ClusterIP Service `name` (port 80 "http" to the pods' "http"), as one YAML stream. */
export function backendYaml(name: string, replicas: number, opts: { namespace?: string } = {}): string {
  return `${deploymentYaml(name, replicas, opts)}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}${opts.namespace ? `, namespace: ${opts.namespace}` : ''}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: http}]
`;
}
