// A control plane of a test file's own, for tests that kill and restart its API server
// (the run's shared cluster must never see that). Started in beforeAll with
// scripts/cluster/up.ts in a temp folder, stopped in afterAll with down.ts (also when a
// test failed, and on process exit as a last resort). About 40 s to start: one per file.
//
//   const own = useOwnCluster();
//   await kubectl(['get', 'nodes'], { cluster: own.cluster });
//   await own.killApiserver(); ...; await own.startApiserver();
//
// EXPOSECTL_TEST_OWN_CLUSTER_DIR=DIR uses a cluster started with `npm run cluster:up -- --dir DIR`
// instead (not started or stopped here; its API server IS killed and restarted): edit-run loops.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { killComponent, startComponent, waitApiserverReady } from '../../scripts/cluster/restart.ts';
import type { ExposectlTestCluster } from './global-setup.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const UP = path.join(REPO, 'scripts', 'cluster', 'up.ts');
const DOWN = path.join(REPO, 'scripts', 'cluster', 'down.ts');

export interface OwnCluster {
  /** set in beforeAll */
  cluster: ExposectlTestCluster;
  /** SIGKILL kube-apiserver (a crash, not a clean shutdown); returns once it is gone. */
  killApiserver(): Promise<void>;
  /** Start kube-apiserver again with the same arguments; returns when /readyz is ok. */
  startApiserver(): Promise<void>;
}

export function useOwnCluster(): OwnCluster {
  const reused = process.env.EXPOSECTL_TEST_OWN_CLUSTER_DIR;
  const dir = reused ? path.resolve(reused) : fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-faults-'));
  let failed = false;
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    spawnSync(process.execPath, [DOWN, '--dir', dir], { stdio: 'inherit' });
  };
  const own: OwnCluster = {
    cluster: undefined as unknown as ExposectlTestCluster,
    killApiserver: () => killComponent(dir, 'kube-apiserver'),
    startApiserver: async () => {
      startComponent(dir, 'kube-apiserver');
      await waitApiserverReady(dir);
    },
  };

  beforeAll(async () => {
    if (!reused) {
      process.once('exit', stopSync);
      const { code, output } = await runNode(UP, ['--dir', dir]);
      if (code !== 0) {
        stopSync();
        throw new Error(`cluster:up --dir ${dir} failed (exit ${code}):\n${output.slice(-3000)}`);
      }
    }
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as {
      kubeconfig: string;
      kubeconfigReadonly: string;
      binDir: string;
      apiserverUrl: string;
    };
    own.cluster = {
      dir,
      kubeconfig: s.kubeconfig,
      kubeconfigReadonly: s.kubeconfigReadonly,
      kubectl: path.join(s.binDir, 'kubectl'),
      apiserverUrl: s.apiserverUrl,
    };
  }, 300_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true;
  });

  afterAll(async () => {
    if (reused) return;
    if (!stopped) {
      stopped = true;
      const { code, output } = await runNode(DOWN, ['--dir', dir]);
      if (code !== 0) console.error(`cluster:down --dir ${dir} failed (exit ${code}):\n${output}`);
    }
    process.removeListener('exit', stopSync);
    if (failed || process.env.EXPOSECTL_TEST_KEEP_CLUSTER)
      console.log(`[faults] cluster folder kept for inspection: ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  return own;
}

function runNode(script: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}
