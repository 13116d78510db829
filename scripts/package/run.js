#!/usr/bin/env node
// npm run package (after npm run build): writes release/
//   exposectl-<version>.tgz        the npm package (what `npm publish` ships): bin/, a plain
//                                  dist/ folder without source maps, man/, schemas/, the
//                                  manifest with dist/ paths, and as dependencies only the
//                                  ones the bundle does not contain (oclif's plugins, which
//                                  oclif loads from node_modules)
//   exposectl-<version>-linux-x64  the single executable application (scripts/package/sea.js)
//   kubectl-exposectl-v<version>-linux-amd64.tar.gz + exposectl.yaml
//                                  the executable as a kubectl plugin, and its krew manifest
//   SHA256SUMS                     of every file above (sha256sum -c SHA256SUMS)
// EXPOSECTL_RELEASE_URL sets where the krew manifest says the archive is downloaded from.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, root } from '../bundle.js';
import { buildExecutable } from './sea.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const release = join(root, 'release');
const work = mkdtempSync(join(tmpdir(), 'exposectl-package-'));

/** The packages (by name) that esbuild put into the bundle, from its metafile's inputs. */
function bundledPackages(metafile) {
  const names = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) names.add(match[1]);
  }
  return names;
}

/** package.json's man pages must be exactly man/*.1: a new command's page is never left out. */
function checkManPages() {
  const listed = [...(pkg.man ?? [])].map((p) => p.replace(/^\.\//, '')).sort();
  const present = readdirSync(join(root, 'man'))
    .filter((f) => f.endsWith('.1'))
    .map((f) => `man/${f}`)
    .sort();
  if (JSON.stringify(listed) !== JSON.stringify(present)) {
    throw new Error(
      `package.json "man" lists ${listed.join(', ')} but man/ has ${present.join(', ')}: update package.json`,
    );
  }
}

/** oclif.manifest.json of the build (paths into .builds/<id>/) with the package's dist/ paths. */
function publishedManifest() {
  const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'));
  for (const command of Object.values(manifest.commands)) {
    const at = command.relativePath.indexOf('commands');
    if (at < 0)
      throw new Error(`oclif.manifest.json: ${command.id} has no commands/ path (${command.relativePath.join('/')})`);
    command.relativePath = ['dist', ...command.relativePath.slice(at)];
  }
  return manifest;
}

async function npmPackage() {
  const stage = join(work, 'package');
  const metafile = await buildDist(join(stage, 'dist'), { sourcemap: false });
  const bundled = bundledPackages(metafile);
  const dependencies = Object.fromEntries(Object.entries(pkg.dependencies).filter(([name]) => !bundled.has(name)));
  for (const dir of ['bin', 'man', 'schemas'])
    cpSync(join(root, dir), join(stage, dir), { recursive: true, filter: (src) => !src.endsWith('/bin/dev.js') });
  copyFileSync(join(root, 'README.md'), join(stage, 'README.md'));
  writeFileSync(join(stage, 'oclif.manifest.json'), JSON.stringify(publishedManifest()));
  const { name, version, description, license, type, engines, bin, files, man, oclif } = pkg;
  writeFileSync(
    join(stage, 'package.json'),
    `${JSON.stringify({ name, version, description, license, type, engines, bin, files, man, oclif, dependencies }, null, 2)}\n`,
  );
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', release], {
    cwd: stage,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out)[0].filename;
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The executable as `kubectl-exposectl` in a tar.gz (what krew downloads), and the krew manifest for it. */
function krewPlugin(executable) {
  const dir = join(work, 'krew');
  mkdirSync(dir);
  copyFileSync(executable, join(dir, 'kubectl-exposectl'));
  const archive = `kubectl-exposectl-v${pkg.version}-linux-amd64.tar.gz`;
  execFileSync('tar', [
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mode=0755',
    '-czf',
    join(release, archive),
    '-C',
    dir,
    'kubectl-exposectl',
  ]);
  const values = {
    VERSION: pkg.version,
    HOMEPAGE: pkg.homepage ?? 'https://github.com/exposectl/exposectl',
    RELEASE_URL:
      process.env.EXPOSECTL_RELEASE_URL ?? `https://github.com/exposectl/exposectl/releases/download/v${pkg.version}`,
    SHA256: sha256(join(release, archive)),
  };
  const template = readFileSync(join(root, 'scripts/package/krew-plugin.yaml'), 'utf8');
  writeFileSync(
    join(release, 'exposectl.yaml'),
    template.replace(/\{\{(\w+)\}\}/g, (_, key) => values[key]),
  );
  return [archive, 'exposectl.yaml'];
}

checkManPages();
rmSync(release, { recursive: true, force: true });
mkdirSync(release);
try {
  const tarball = await npmPackage();
  const executable = `exposectl-${pkg.version}-linux-x64`;
  await buildExecutable(join(release, executable), join(work, 'sea'));
  const files = [tarball, executable, ...krewPlugin(join(release, executable))];
  writeFileSync(join(release, 'SHA256SUMS'), files.map((f) => `${sha256(join(release, f))}  ${f}\n`).join(''));
  for (const f of [...files, 'SHA256SUMS']) console.log(`release/${f}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
