// Shared by the release tests: where release/ is, what it holds, and running its programs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '../..');
export const release = join(root, 'release');
export const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
export const tarball = join(release, `exposectl-${pkg.version}.tgz`);
export const executable = join(release, `exposectl-${pkg.version}-linux-x64`);
export const krewArchive = join(release, `kubectl-exposectl-v${pkg.version}-linux-amd64.tar.gz`);
export const krewManifest = join(release, 'exposectl.yaml');
export const demo = join(root, 'examples/demo');

/** Every command line the manifest knows (`probe arp`), plus oclif's `help` and `autocomplete`. */
export function commandLines(): string[][] {
  const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, unknown> };
  return [...Object.keys(manifest.commands).map((id) => id.split(':')), ['help'], ['autocomplete']];
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Run {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The kubectl to run the executable as a plugin with: $EXPOSECTL_TEST_KUBECTL, else the one
 * built with the test control plane (npm test builds it before the release project runs). Missing: the test fails.
 */
export function realKubectl(): string {
  const fromEnv = process.env['EXPOSECTL_TEST_KUBECTL'];
  if (fromEnv) return fromEnv;
  const dir = spawnSync('bash', ['scripts/cluster/build.sh', '--print-dir'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const kubectl = join(dir, 'bin/kubectl');
  if (!existsSync(kubectl)) throw new Error(`kubectl is missing at ${kubectl}: build the test control plane (npm run cluster:build) or set EXPOSECTL_TEST_KUBECTL`);
  return kubectl;
}
