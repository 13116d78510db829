// Every example in README.md and in the commands' --help runs as written, when it can run
// without a cluster (it reads -f files, or needs no objects at all), and prints what the
// README shows. Examples that need a live cluster are named by needsCluster below.
// They run in a folder where deploy/ is the demo cluster's manifests (examples/demo), as in
// a repository that keeps its manifests in deploy/, and svc.yaml is a Service manifest.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';

interface Example { source: string; command: string; expected: string[] }

/** `exposectl ...` lines of the README's sh and console blocks; after a `$ ` line, the output shown. */
function readmeExamples(): Example[] {
  const examples: Example[] = [];
  const blocks = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/```(sh|console)\n([\s\S]*?)```/g);
  for (const [, lang, body] of blocks) {
    let current: Example | undefined;
    for (const line of body!.split('\n')) {
      const command = lang === 'console' ? /^\$ (exposectl .*)$/.exec(line)?.[1] : /^(exposectl .*?)(\s+#.*)?$/.exec(line)?.[1];
      if (command) {
        current = { source: 'README.md', command, expected: [] };
        examples.push(current);
      } else if (lang === 'console' && current && line !== '' && line !== '...') {
        current.expected.push(line);
      }
    }
  }
  return examples;
}

/** Each command's --help examples, from the manifest, as a shell would run them. */
function helpExamples(): Example[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { examples?: Array<string | { command: string }> }> };
  return Object.entries(manifest.commands).flatMap(([id, c]) => (c.examples ?? []).map((e) => ({
    source: `${id.replaceAll(':', ' ')} --help`,
    command: (typeof e === 'string' ? e : e.command).replaceAll('<%= config.bin %>', 'exposectl').replaceAll('<%= command.id %>', id.replaceAll(':', ' ')),
    expected: [],
  })));
}

/**
 * Why an example cannot run here: it reads a live cluster (no -f), changes one, probes a
 * network, or hands its output to kubectl. Those run against the real control plane in
 * test/integration. Commands that read no objects (rbac, version --client) need none.
 */
function needsCluster(command: string): string | undefined {
  if (/\bkubectl\b/.test(command)) return 'hands its output to kubectl';
  if (/^sudo /.test(command)) return 'probes the network as root';
  const words = command.split(/\s+/);
  if (words[1] === 'rbac' || (words[1] === 'version' && words.includes('--client')) || words[1] === 'lsit') return undefined;
  if (/--probe\b/.test(command) || words[1] === 'probe') return 'probes the network';
  if (!/(^|\s)(-f|--filename)(\s|=)/.test(command)) return 'reads a live cluster';
  if (/--dry-run=server/.test(command)) return 'asks the API server';
  return undefined;
}

const examples = [...readmeExamples(), ...helpExamples()];
const offline = examples.filter((e) => needsCluster(e.command) === undefined);

const cwd = mkdtempSync(join(tmpdir(), 'exposectl-examples-'));
symlinkSync(join(REPO_ROOT, 'examples/demo'), join(cwd, 'deploy'));
symlinkSync(join(REPO_ROOT, 'examples'), join(cwd, 'examples'));
symlinkSync(join(REPO_ROOT, 'test'), join(cwd, 'test'));
symlinkSync(join(REPO_ROOT, 'test/fixtures/web-service.yaml'), join(cwd, 'svc.yaml')); // expose's -f svc.yaml

async function run(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `exposectl() { "${process.execPath}" "${join(REPO_ROOT, 'bin/run.js')}" "$@"; }; ${command}`;
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', script], { cwd, env: { ...process.env, NO_COLOR: '', DEBUG: '', KUBECONFIG: '/nonexistent' }, timeout: 120_000, maxBuffer: 2 ** 26 });
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
    // lsit shows the unknown-command error; diagnose exits 3 when findings meet --fail-on.
    const expectedCode = / lsit$/.test(command) ? 2 : / diagnose /.test(command) && r.code === 3 ? 3 : 0;
    expect(r.code, r.stderr).toBe(expectedCode);
    if (expectedCode !== 2) expect(r.stderr).not.toMatch(/^error:/m);
    for (const line of example.expected) expect(`${r.stdout}${r.stderr}`.split('\n').map((l) => l.trimEnd())).toContain(line.trimEnd());
  });
});
