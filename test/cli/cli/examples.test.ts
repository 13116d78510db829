// Every example in README.md and in the commands' --help runs as written, when it can run
// without a cluster (it reads -f files, or needs no objects at all), and prints what the
// README shows. Examples that need a live cluster (needsCluster in test/helpers/examples.ts)
// run in test/integration/examples.test.ts, which also checks that the two cover them all.
// They run in a folder where deploy/ is the demo cluster's manifests (examples/demo), as in
// a repository that keeps its manifests in deploy/, and svc.yaml is a Service manifest.
import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';
import { allExamples, needsCluster } from '../../helpers/examples.js';

const examples = allExamples();
const offline = examples.filter((e) => needsCluster(e.command) === undefined);

const cwd = mkdtempSync(join(tmpdir(), 'exposectl-examples-'));
symlinkSync(join(REPO_ROOT, 'examples/demo'), join(cwd, 'deploy'));
symlinkSync(join(REPO_ROOT, 'examples'), join(cwd, 'examples'));
symlinkSync(join(REPO_ROOT, 'test'), join(cwd, 'test'));
symlinkSync(join(REPO_ROOT, 'test/fixtures/web-service.yaml'), join(cwd, 'svc.yaml')); // expose's -f svc.yaml

async function run(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `exposectl() { "${process.execPath}" "${join(REPO_ROOT, 'bin/run.js')}" "$@"; }; ${command}`;
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', script], {
      cwd,
      env: { ...process.env, NO_COLOR: '', DEBUG: '', KUBECONFIG: '/nonexistent' },
      timeout: 120_000,
      maxBuffer: 2 ** 26,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('README and --help examples', { timeout: 600_000 }, () => {
  it('are found: the README and every command have some, and most run without a cluster', () => {
    expect(examples.filter((e) => e.source === 'README.md').length).toBeGreaterThan(20);
    expect(offline.length).toBeGreaterThan(10);
    for (const e of examples) expect(e.command).toMatch(/^(sudo )?exposectl \S/);
  });

  it.each(offline.map((e) => [e.source, e.command, e] as const))('%s: %s', async (_source, command, example) => {
    const r = await run(command);
    // lsit and codes lb/no-pol show the unknown-name errors; diagnose exits 3 when findings meet --fail-on.
    const expectedCode = / lsit$| codes lb\/no-pol$/.test(command)
      ? 2
      : / diagnose /.test(command) && r.code === 3
        ? 3
        : 0;
    expect(r.code, r.stderr).toBe(expectedCode);
    if (expectedCode !== 2) expect(r.stderr).not.toMatch(/^error:/m);
    for (const line of example.expected)
      expect(`${r.stdout}${r.stderr}`.split('\n').map((l) => l.trimEnd())).toContain(line.trimEnd());
  });
});
