// vitest globalSetup of the `integration` project: one real control plane per test run.
//
// Starts `scripts/cluster/up.ts --dir <tmp>` (which builds the binaries first when the cache
// is cold), hands the cluster to the tests and stops it at teardown, also when tests fail.
//
// Tests read the cluster with `inject('exposectlCluster')` (see helpers.ts: testCluster());
// the same values are also in the environment of the test workers:
//   EXPOSECTL_TEST_KUBECONFIG           admin kubeconfig (system:masters)
//   EXPOSECTL_TEST_KUBECONFIG_READONLY  user exposectl-readonly (ClusterRole `view`)
//   EXPOSECTL_TEST_KUBECTL              the kubectl built with the control plane
//   EXPOSECTL_TEST_CLUSTER_DIR          the cluster's folder (cluster.json, logs/, pids/)
//
// Knobs:
//   EXPOSECTL_TEST_CLUSTER_DIR=DIR   use a cluster already started with `npm run cluster:up -- --dir DIR`
//                                    (not started or stopped here; fast edit-run loops)
//   EXPOSECTL_TEST_KEEP_CLUSTER=1    keep the temp folder (logs, etcd data) after the run; it is
//                                    also kept when a test failed
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

export interface ExposectlTestCluster {
  dir: string;
  kubeconfig: string;
  kubeconfigReadonly: string;
  kubectl: string;
  apiserverUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    exposectlCluster: ExposectlTestCluster;
  }
}

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const UP = path.join(REPO, 'scripts', 'cluster', 'up.ts');
const DOWN = path.join(REPO, 'scripts', 'cluster', 'down.ts');

function readCluster(dir: string): ExposectlTestCluster {
  const file = path.join(dir, 'cluster.json');
  const s = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    kubeconfig: string;
    kubeconfigReadonly: string;
    binDir: string;
    apiserverUrl: string;
  };
  return {
    dir,
    kubeconfig: s.kubeconfig,
    kubeconfigReadonly: s.kubeconfigReadonly,
    kubectl: path.join(s.binDir, 'kubectl'),
    apiserverUrl: s.apiserverUrl,
  };
}

function runNode(script: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    // stdout/stderr go to the terminal: a cold build prints its progress for tens of minutes.
    const child = spawn(process.execPath, [script, ...args], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function expose(project: TestProject, c: ExposectlTestCluster): void {
  project.provide('exposectlCluster', c);
  process.env.EXPOSECTL_TEST_KUBECONFIG = c.kubeconfig;
  process.env.EXPOSECTL_TEST_KUBECONFIG_READONLY = c.kubeconfigReadonly;
  process.env.EXPOSECTL_TEST_KUBECTL = c.kubectl;
  process.env.EXPOSECTL_TEST_CLUSTER_DIR = c.dir;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 23) {
    throw new Error(
      `the integration tests need Node >= 23.6 (scripts/cluster/*.ts run with native type stripping); this is ${process.version}. Run: source .ci/node-env.sh`,
    );
  }

  const existing = process.env.EXPOSECTL_TEST_CLUSTER_DIR;
  if (existing) {
    const c = readCluster(path.resolve(existing));
    console.log(`[integration] using the running cluster in ${c.dir} (EXPOSECTL_TEST_CLUSTER_DIR); it is left running`);
    expose(project, c);
    return async () => {};
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-it-'));
  console.log(`[integration] starting a control plane in ${dir}`);
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    spawnSync(process.execPath, [DOWN, '--dir', dir], { stdio: 'inherit' });
  };
  // Last resort when vitest exits without running the teardown (e.g. a crash): never leave
  // etcd and the API server behind.
  process.once('exit', stopSync);

  const code = await runNode(UP, ['--dir', dir]);
  if (code !== 0) {
    stopSync();
    throw new Error(`cluster:up failed (exit ${code}); logs in ${path.join(dir, 'logs')}`);
  }
  const cluster = readCluster(dir);
  expose(project, cluster);

  return async () => {
    if (!stopped) {
      stopped = true;
      const rc = await runNode(DOWN, ['--dir', dir]);
      if (rc !== 0) console.error(`[integration] cluster:down --dir ${dir} failed (exit ${rc})`);
    }
    process.removeListener('exit', stopSync);
    const failed =
      project.vitest.state.getCountOfFailedTests() > 0 || project.vitest.state.getFailedFilepaths().length > 0;
    if (failed || process.env.EXPOSECTL_TEST_KEEP_CLUSTER) {
      console.log(`[integration] cluster folder kept for inspection: ${dir} (logs/, cluster.json)`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
