// The fast path parses a command line exactly as oclif would, or leaves it to oclif: checked
// against oclif's own parser on the flags of the built manifest, for chosen and for random
// command lines; and through the built CLI, that `list -f` really runs without oclif.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from '@oclif/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ManifestCommand, parseFastFlags } from '../../../src/cli/fast-path.js';
import List from '../../../src/commands/list.js';
import { CORPUS, REPO_ROOT, runCli } from '../../helpers/cli.js';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>;
};
const listManifest = manifest.commands.list!;

/** oclif's reading of argv for `list`, or undefined when oclif refuses it. */
async function oclifFlags(argv: string[]): Promise<Record<string, unknown> | undefined> {
  try {
    const { flags } = await Parser.parse(argv, {
      flags: { ...List.baseFlags, ...List.flags },
      args: List.args ?? {},
      strict: true,
    });
    return flags;
  } catch {
    return undefined;
  }
}

/** Flags as oclif reports them: an unset flag without default is absent, not undefined. */
function defined(flags: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
}

describe('parseFastFlags (list)', () => {
  it('reads the forms scripts use, with the defaults of the manifest', () => {
    expect(parseFastFlags(listManifest, ['-f', 'a.yaml', '-o', 'json'])).toEqual({
      filename: ['a.yaml'],
      output: 'json',
      'all-namespaces': false,
      'no-color': false,
      'request-timeout': '30s',
      kubeconfig: undefined,
      context: undefined,
      namespace: undefined,
      mode: undefined,
      selector: undefined,
      'sort-by': undefined,
      'no-headers': false,
      watch: false,
    });
    expect(
      parseFastFlags(listManifest, [
        '-l',
        'app in (a,b)',
        '--sort-by=.name',
        '--no-headers',
        '-w',
        '-o',
        'jsonpath={.items[*].name}',
      ]),
    ).toMatchObject({
      selector: 'app in (a,b)',
      'sort-by': '.name',
      'no-headers': true,
      watch: true,
      output: 'jsonpath={.items[*].name}',
    });
    expect(
      parseFastFlags(listManifest, ['-ojson', '--namespace=shop', '-f', 'a', '-f', '-', '--mode', 'bgp', '--no-color']),
    ).toMatchObject({
      output: 'json',
      namespace: 'shop',
      filename: ['a', '-'],
      mode: 'bgp',
      'no-color': true,
    });
    expect(parseFastFlags(listManifest, ['-A'])).toMatchObject({ 'all-namespaces': true, output: 'table' });
  });

  it.each([
    [['--help']],
    [['-h']],
    [['-o=json']],
    [['-f', 'a', 'b']],
    [['-o', 'json', '-o', 'yaml']],
    [['-n', '']],
    [['--namespace=']],
    [['--unknown']],
    [['-n', '-A']],
    [['--all-namespaces=true']],
    [['--', 'x']],
    [['positional']],
    [['-f']],
  ])('leaves %j to oclif', (argv) => {
    expect(parseFastFlags(listManifest, argv)).toBeUndefined();
  });

  it('leaves commands with arguments to oclif', () => {
    expect(parseFastFlags(manifest.commands.describe!, ['web'])).toBeUndefined();
  });

  it('agrees with oclif on every command line it takes (random command lines)', async () => {
    const token = fc.oneof(
      fc.constantFrom(
        '-f',
        '--filename',
        '-o',
        '--output',
        '-n',
        '--namespace',
        '-A',
        '--all-namespaces',
        '--no-color',
        '--mode',
        '--context',
        '--kubeconfig',
        '--request-timeout',
        '-l',
        '--selector',
        '--sort-by',
        '--no-headers',
        '-w',
        '--watch',
      ),
      fc.constantFrom(
        'json',
        'yaml',
        'wide',
        'table',
        'bgp',
        'l2',
        'web.yaml',
        '-',
        'shop',
        '10s',
        '',
        '--',
        '-ojson',
        '-An',
        '-Ao',
        '--output=wide',
        '-o=json',
        '--mode=l2',
        '-x',
        '--help',
        'x=y',
        'name',
        'jsonpath={.items[*].name}',
        '-ojsonpath={.a}',
        'custom-columns=N:.name',
        'app=web',
        '-lapp=web',
        '-l=a',
        '--selector=a!=b',
        '!a',
        'a in (b)',
        '-Aw',
        '-wA',
        '--sort-by=.name',
        '--no-headers=true',
        '-w=true',
      ),
      fc.string({ maxLength: 6 }),
    );
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 7 }), async (argv) => {
        const fast = parseFastFlags(listManifest, argv);
        if (fast === undefined) return;
        taken++;
        const oclif = await oclifFlags(argv);
        expect(oclif, `oclif refuses ${JSON.stringify(argv)}`).toBeDefined();
        expect(defined(fast)).toEqual(defined(oclif!));
      }),
      { numRuns: 2000 },
    );
    // The property means something only if many command lines took the fast path.
    expect(taken).toBeGreaterThan(100);
  });
});

describe('exposectl list on the fast path (built CLI)', () => {
  // A module hook that names every bundle chunk holding oclif's command module when it is loaded.
  const dir = mkdtempSync(join(tmpdir(), 'exposectl-fast-'));
  const hook = join(dir, 'report-oclif.mjs');
  writeFileSync(
    hook,
    `import { registerHooks } from 'node:module';
registerHooks({ load(url, context, next) {
  const result = next(url, context);
  if (String(result.source ?? '').includes('node_modules/@oclif/core/lib/command.js')) process.stderr.write('oclif loaded: ' + url + '\\n');
  return result;
} });
`,
  );
  const env = { NODE_OPTIONS: `--import=${hook}` };

  it('does not load oclif for list -f, and gives the same document as through oclif', async () => {
    const fast = await runCli(['list', '-f', 'examples/demo', '-o', 'json'], { env });
    expect(fast.exitCode).toBe(0);
    expect(fast.stderr).not.toMatch(/oclif loaded/);
    // `-f a -f b` style is the fast path's; `-f a b` goes through oclif: same result.
    const slow = await runCli(['list', '-f', 'examples/demo', 'examples/demo/web.yaml', '-o', 'json'], { env });
    expect(slow.exitCode).toBe(0);
    expect(slow.stderr).toMatch(/oclif loaded/);
    const both = await runCli(['list', '-f', 'examples/demo', '-f', 'examples/demo/web.yaml', '-o', 'json'], { env });
    expect(both.stderr).not.toMatch(/oclif loaded/);
    expect(JSON.parse(both.stdout)).toEqual(JSON.parse(slow.stdout));
  });

  it('reports errors as the oclif path does: one line, exit code of the contract', async () => {
    const missing = await runCli(['list', '-f', 'no/such/file.yaml'], { env });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe('error: the path "no/such/file.yaml" does not exist');
    const both = await runCli(['ls', '-A', '-n', 'shop', '-f', 'examples/demo'], { env });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toBe('error: --namespace and --all-namespaces cannot be used together');
    const stray = await runCli(['list', 'web', '-f', 'examples/demo'], { env });
    expect(stray.exitCode).toBe(2);
    expect(stray.stderr).toBe(
      'error: unexpected argument web: exposectl list takes no arguments\nhint: see exposectl list --help',
    );
    const strayProbe = await runCli(['probe', 'bgp', 'x y'], { env });
    expect(strayProbe.exitCode).toBe(2);
    expect(strayProbe.stderr).toMatch(/^error: unexpected argument "x y": exposectl probe bgp takes no arguments\n/);
    const timeout = await runCli(['list', '-f', 'examples/demo', '--request-timeout', 'soon'], { env });
    expect(timeout.exitCode).toBe(2);
    expect(timeout.stderr).toMatch(/^error: invalid duration "soon" for --request-timeout\nhint: /);
  });

  it.each([
    ['list on the fast path', `bin/run.js list -f ${JSON.stringify(CORPUS)} -o json`],
    ['help through oclif', 'bin/run.js --help'],
  ])('stops quietly when the reader of its output goes away (%s)', async (_, command) => {
    const { execa } = await import('execa');
    const result = await execa(
      'bash',
      ['-o', 'pipefail', '-c', `${JSON.stringify(process.execPath)} ${command} | head -c 10`],
      { cwd: REPO_ROOT, reject: false },
    );
    expect(result.stdout.length).toBe(10);
    // Nothing but the corpus's objects that are read twice (warned about before any output).
    expect(
      result.stderr.split('\n').filter((l) => l !== '' && !/^Warning: .* is defined (twice|\d+ times): /.test(l)),
    ).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
