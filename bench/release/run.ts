// Release benchmark (after `npm run package`): the npm tarball's install size, and the
// single executable's start-up and peak memory against `kubectl version --client`
// measured in the same run. Target: the executable's `list -f` of a small file at most
// 1.5x kubectl.
// Run: node bench/release/run.ts [runs]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findKubectl } from '../kubectl.ts';
import { formatRow, loadAverages, measureAll, TABLE_HEADER } from '../measure.ts';

const runs = Number(process.argv[2] ?? 20);
const root = join(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const tarball = join(root, `release/exposectl-${version}.tgz`);
const executable = join(root, `release/exposectl-${version}-linux-x64`);
for (const file of [tarball, executable]) if (!existsSync(file)) throw new Error(`${file} is missing: run npm run package first`);

/** Bytes under a folder (files as stored, symlinks not followed) and the packages in it (folders with a package.json under node_modules). */
function footprint(dir: string): { bytes: number; packages: number } {
  let bytes = 0;
  let packages = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) bytes += statSync(path).size;
    if (entry.name === 'package.json' && /\/node_modules\/(@[^/]+\/)?[^/@]+$/.test(entry.parentPath)) packages += 1;
  }
  return { bytes, packages };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const prefix = mkdtempSync(join(tmpdir(), 'exposectl-bench-prefix-'));
const cwd = mkdtempSync(join(tmpdir(), 'exposectl-bench-cwd-'));
try {
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { cwd, stdio: 'ignore' });
  const installed = footprint(prefix);
  console.log(`npm tarball ${mb(statSync(tarball).size)}; npm install -g: ${mb(installed.bytes)} in ${installed.packages} packages besides exposectl`);
  console.log(`single executable ${mb(statSync(executable).size)}`);

  const kubectl = findKubectl();
  const web = join(root, 'examples/demo/web.yaml');
  const empty = {}; // env -i: the executable needs nothing from the environment
  const loadBefore = loadAverages();
  const [baseline, ...rows] = measureAll([
    { label: 'kubectl version --client', command: kubectl, args: ['version', '--client'] },
    { label: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
    { label: 'executable --version', command: executable, args: ['--version'], env: empty },
    { label: 'executable list -f web.yaml', command: executable, args: ['list', '-f', web], env: empty },
    { label: 'executable list -f demo -o json', command: executable, args: ['list', '-f', join(root, 'examples/demo'), '-o', 'json'], env: empty },
    { label: 'npm package list -f web.yaml', command: join(prefix, 'bin/exposectl'), args: ['list', '-f', web], env: { PATH: dirname(process.execPath) } },
  ], runs);
  console.log(`release start-up, ${runs} interleaved runs each (medians; ratios to kubectl), node ${process.version}, kubectl at ${kubectl}; load average ${loadBefore} before, ${loadAverages()} after`);
  console.log(TABLE_HEADER);
  console.log(formatRow(baseline!));
  for (const row of rows) console.log(formatRow(row, baseline));
} finally {
  rmSync(prefix, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
}
