// The single executable: run with an empty environment (no node on PATH, no HOME) in an
// empty folder outside the repository, it must do everything the npm package does, with
// the same output; and kubectl must run it as a plugin.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandLines, demo, executable, pkg, realKubectl, root, run } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'exposectl-sea-'));
cpSync(demo, join(dir, 'demo'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const empty = {}; // env -i
const sea = (args: string[]) => run(executable, args, { cwd: dir, env: empty });
/** The same command line through the repository's build (node bin/run.js): the reference output. */
const built = (args: string[]) => run(process.execPath, [join(root, 'bin/run.js'), ...args], { cwd: dir, env: { PATH: process.env['PATH'] } });

describe('the single executable, in an empty environment and an empty folder', () => {
  it('answers --version without node on PATH', () => {
    const version = sea(['--version']);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toMatch(new RegExp(`^exposectl/${pkg.version.replace(/\./g, '\\.')} linux-x64 node-v\\d+\\.\\d+\\.\\d+\\n$`));
  });

  it('starts from its snapshot with this run\'s environment, not the build machine\'s', () => {
    // The modules `list` uses were evaluated when the executable was built (a V8 start-up
    // snapshot): DEBUG, FORCE_COLOR and NO_COLOR must still be read when it runs.
    const debug = run(executable, ['list', '-f', 'demo/web.yaml'], { cwd: dir, env: { DEBUG: 'exposectl' } });
    expect(debug.status, debug.stderr).toBe(0);
    expect(debug.stderr).toContain('exposectl: files: read');
    for (const env of [{ FORCE_COLOR: '1' }, { FORCE_COLOR: '1', NO_COLOR: '1' }]) {
      const out = run(executable, ['list', '-f', 'demo'], { cwd: dir, env });
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout.includes('\u001b['), JSON.stringify(env)).toBe(env.NO_COLOR === undefined);
      expect(out.stdout, JSON.stringify(env)).toBe(run(process.execPath, [join(root, 'bin/run.js'), 'list', '-f', 'demo'], { cwd: dir, env: { ...env, PATH: process.env['PATH'] } }).stdout);
    }
  });

  it('has every command, each with its help', () => {
    expect(sea(['--help']).stdout).toBe(built(['--help']).stdout);
    for (const words of commandLines()) {
      const help = sea([...words, '--help']);
      expect(help.status, `${words.join(' ')}: ${help.stderr}`).toBe(0);
      expect(help.stderr, words.join(' ')).toBe('');
      expect(help.stdout, words.join(' ')).toBe(built([...words, '--help']).stdout);
    }
  });

  it('reads manifest files as the npm package does: list, describe, diagnose', () => {
    for (const args of [['list', '-f', 'demo/web.yaml'], ['list', '-f', 'demo', '-o', 'json'], ['describe', 'shop/web', '-f', 'demo'], ['diagnose', '-f', 'demo', '-o', 'json']]) {
      const out = sea(args);
      expect(out.status, `${args.join(' ')}: ${out.stderr}`).toBe(0);
      expect(out.stdout.length, args.join(' ')).toBeGreaterThan(100);
      expect(out.stdout, args.join(' ')).toBe(built(args).stdout);
    }
  });

  it('draws every topology format (elkjs for svg and html is inside)', () => {
    for (const format of ['tree', 'mermaid', 'dot', 'svg', 'html', 'json']) {
      const out = sea(['topology', '-f', 'demo', '-o', format]);
      expect(out.status, `${format}: ${out.stderr}`).toBe(0);
      expect(out.stdout, format).toContain('shop/web');
      expect(out.stdout, format).toBe(built(['topology', '-f', 'demo', '-o', format]).stdout);
    }
  });

  it('sets up shell completion from its own command table (the autocomplete plugin is inside)', () => {
    const home = join(dir, 'home');
    mkdirSync(home);
    const setup = run(executable, ['autocomplete', 'bash'], { cwd: dir, env: { HOME: home } });
    expect(setup.status, setup.stderr).toBe(0);
    const completion = readFileSync(join(home, '.cache/exposectl/autocomplete/functions/bash/exposectl.bash'), 'utf8');
    for (const words of commandLines().filter((w) => w[0] !== 'help' && w[0] !== 'autocomplete')) expect(completion, words.join(' ')).toContain(words.at(-1));
  });

  it('reports bad input as the CLI does: one line, exit 2', () => {
    const out = sea(['list', '-f', 'demo/missing.yaml']);
    expect(out.status).toBe(2);
    expect(out.stderr).toBe(built(['list', '-f', 'demo/missing.yaml']).stderr);
  });
});

describe('the single executable as a kubectl plugin', () => {
  it('runs as `kubectl exposectl` when named kubectl-exposectl on PATH', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    cpSync(executable, join(bin, 'kubectl-exposectl'));
    symlinkSync(realKubectl(), join(bin, 'kubectl'));
    const env = { PATH: bin, HOME: dir };
    const plugins = run(join(bin, 'kubectl'), ['plugin', 'list'], { cwd: dir, env });
    expect(plugins.stdout).toContain(join(bin, 'kubectl-exposectl'));
    const list = run(join(bin, 'kubectl'), ['exposectl', 'list', '-f', 'demo/web.yaml'], { cwd: dir, env });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toBe(sea(['list', '-f', 'demo/web.yaml']).stdout);
    expect(list.stdout).toMatch(/^shop +service\/web +loadbalancer /m);
  });
});
