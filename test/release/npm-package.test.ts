// The npm tarball as a user gets it: `npm install -g` into an empty prefix, then every
// command from a directory outside the repository (the issue: a dist/ symlink that the
// tarball did not contain, manifest paths into .builds/, 183 dependencies installed for
// code the bundle already holds).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLines, demo, pkg, root, run, tarball } from './helpers.ts';

const prefix = mkdtempSync(join(tmpdir(), 'exposectl-prefix-'));
const elsewhere = mkdtempSync(join(tmpdir(), 'exposectl-cwd-'));
const installed = join(prefix, 'lib/node_modules/exposectl');
const exposectl = join(prefix, 'bin/exposectl');
// Only the installed CLI and node itself on PATH.
const env = { HOME: elsewhere, PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}`, NO_COLOR: '1' };

beforeAll(() => {
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { cwd: elsewhere, stdio: ['ignore', 'ignore', 'pipe'] });
}, 300_000);
afterAll(() => {
  rmSync(prefix, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

describe('npm install -g of the tarball', () => {
  it('installs a plain dist/ and a manifest whose paths are in the package', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { relativePath: string[] }> };
    for (const [id, command] of Object.entries(manifest.commands)) {
      expect(command.relativePath[0], id).toBe('dist');
      expect(existsSync(join(installed, ...command.relativePath)), `${id}: ${command.relativePath.join('/')}`).toBe(true);
    }
    expect(readdirSync(join(installed, 'dist')).some((f) => f.endsWith('.map'))).toBe(false);
  });

  it('depends only on what the bundle does not contain: oclif plugins, none of the bundled libraries', () => {
    const published = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts?: unknown };
    expect(Object.keys(published.dependencies).sort()).toEqual(['@oclif/plugin-autocomplete', '@oclif/plugin-help']);
    for (const bundled of ['@kubernetes/client-node', '@oclif/core', 'ink', 'react', 'elkjs', 'yaml', 'chalk', 'execa', 'ipaddr.js']) {
      expect(Object.keys(pkg.dependencies)).toContain(bundled); // what the code uses...
      expect(published.dependencies[bundled], bundled).toBeUndefined(); // ...ships inside dist/
    }
    expect(published.scripts).toBeUndefined();
    expect(existsSync(join(installed, 'node_modules/@kubernetes'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules/ink'))).toBe(false);
  });

  it('installs the man pages', () => {
    const pages = readdirSync(join(root, 'man')).filter((f) => f.endsWith('.1'));
    expect(pages).toContain('exposectl.1');
    for (const page of pages) expect(readFileSync(join(prefix, 'share/man/man1', page), 'utf8'), page).toBe(readFileSync(join(root, 'man', page), 'utf8'));
  });

  it('answers --version and --help for every command, from another directory', () => {
    expect(run(exposectl, ['--version'], { cwd: elsewhere, env }).stdout).toBe(`exposectl/${pkg.version} linux-x64 node-${process.version}\n`);
    const top = run(exposectl, ['--help'], { cwd: elsewhere, env });
    expect(top.status, top.stderr).toBe(0);
    for (const words of commandLines()) {
      const help = run(exposectl, [...words, '--help'], { cwd: elsewhere, env });
      expect(help.status, `${words.join(' ')}: ${help.stderr}`).toBe(0);
      expect(help.stdout, words.join(' ')).toContain('USAGE');
      expect(help.stderr, words.join(' ')).toBe('');
    }
  });

  it('runs list, topology -o svg and diagnose on manifest files', () => {
    const list = run(exposectl, ['list', '-f', join(demo, 'web.yaml')], { cwd: elsewhere, env });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^shop +service\/web +loadbalancer +198\.51\.100\.10 /m);
    const svg = run(exposectl, ['topology', '-o', 'svg', '-f', demo], { cwd: elsewhere, env });
    expect(svg.status, svg.stderr).toBe(0);
    expect(svg.stdout).toMatch(/^<\?xml [^\n]*\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.stdout).toContain('shop/web');
    const diagnose = run(exposectl, ['diagnose', '-f', demo, '-o', 'json'], { cwd: elsewhere, env });
    expect(diagnose.status, diagnose.stderr).toBe(0);
    const report = JSON.parse(diagnose.stdout) as { kind: string; findings: Array<{ code: string }> };
    expect(report.kind).toBe('DiagnosisReport');
    expect(report.findings.map((f) => f.code)).toContain('source-ip/etp-cluster');
  });
});
