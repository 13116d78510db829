// vitest globalSetup of the `e2e` project: one lab (npm run lab:up, docs/lab.md) per run,
// the real data plane the end-to-end tests send real requests through.
//
//   EXPOSECTL_LAB_DIR=DIR   use a lab already started with `npm run lab:up -- --dir DIR`
//                           (not started or stopped here)
//   EXPOSECTL_LAB_KEEP=1    keep the temp folder (logs) after the run; also kept when a test failed
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    exposectlLabDir: string;
  }
}

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function runNode(script: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, script), ...args], {
      cwd: REPO,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (Number(process.versions.node.split('.')[0]) < 23) {
    throw new Error(
      `the e2e tests need Node >= 23.6 (the lab scripts run with native type stripping); this is ${process.version}. Run: source .ci/node-env.sh`,
    );
  }
  if (!fs.existsSync(path.join(REPO, 'dist', 'main.js')))
    throw new Error('the e2e tests run the built CLI: run npm run build first');
  const shared = process.env.EXPOSECTL_LAB_DIR;
  if (shared) {
    if (!fs.existsSync(path.join(shared, 'lab', 'lab.json')))
      throw new Error(`EXPOSECTL_LAB_DIR=${shared} holds no lab; start one: npm run lab:up -- --dir ${shared}`);
    project.provide('exposectlLabDir', path.resolve(shared));
    return async () => {};
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-lab-'));
  const code = await runNode('scripts/lab/up.ts', ['--dir', dir]);
  if (code !== 0)
    throw new Error(`lab:up failed (exit ${code}); its messages are above, logs in ${dir}/logs and ${dir}/lab/logs`);
  project.provide('exposectlLabDir', dir);
  return async () => {
    const down = await runNode('scripts/lab/down.ts', ['--dir', dir]);
    if (down !== 0) throw new Error(`lab:down failed (exit ${down}) for ${dir}`);
    if (process.env.EXPOSECTL_LAB_KEEP !== '1' && process.exitCode === undefined)
      fs.rmSync(dir, { recursive: true, force: true });
  };
}
