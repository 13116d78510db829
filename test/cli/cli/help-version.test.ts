// The built CLI's help, errors, version and input limits, as a user meets them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../../helpers/cli.js';
import { closedPort } from '../../helpers/net.js';

interface ManifestCommand {
  description?: string;
  flags: Record<string, unknown>;
  hidden?: boolean;
}
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>;
};
const ids = Object.keys(manifest.commands);
/** HOME without a kubeconfig, and no KUBECONFIG: no cluster at all. */
const noCluster = { HOME: mkdtempSync(join(tmpdir(), 'exposectl-home-')), KUBECONFIG: '' };

describe('help and errors', { timeout: 300_000 }, () => {
  it('descriptions are paragraphs on one line each (help re-wraps them to the terminal)', () => {
    for (const id of ids) {
      for (const paragraph of (manifest.commands[id]!.description ?? '').split('\n\n'))
        expect(paragraph, id).not.toContain('\n');
    }
  });

  it('-h prints the same help as --help, for the root and every command', async () => {
    for (const words of [[], ...ids.filter((id) => !manifest.commands[id]!.hidden).map((id) => id.split(':'))]) {
      const [short, long] = await Promise.all([runCli([...words, '-h']), runCli([...words, '--help'])]);
      expect(short.exitCode, words.join(' ')).toBe(0);
      expect(short.stdout, words.join(' ')).toBe(long.stdout);
      expect(short.stdout).toMatch(/USAGE/);
    }
  });

  it('the probe topic has its own summary', async () => {
    const root = await runCli(['--help']);
    expect(root.stdout).toMatch(/^ {2}probe +Gather facts from the network \(ARP, BGP, kube-proxy health checks\)/m);
  });

  it('a command offers only the flags it uses: rbac has no -f, -A, --kubeconfig; version no -f, -n', async () => {
    expect(Object.keys(manifest.commands.rbac!.flags).sort()).toEqual([
      'bind',
      'mode',
      'name',
      'namespace',
      'no-color',
      'output',
      'read-only',
      'with-secrets',
    ]);
    expect(Object.keys(manifest.commands.version!.flags).sort()).toEqual([
      'client',
      'context',
      'kubeconfig',
      'no-color',
      'output',
      'request-timeout',
    ]);
    const r = await runCli(['rbac', '--read-only', '-f', 'x.yaml']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: Nonexistent flag: -f/);
  });

  it('an unknown command: the one-line error with the closest command', async () => {
    const r = await runCli(['lsit']);
    expect(r).toMatchObject({
      exitCode: 2,
      stdout: '',
      stderr:
        'error: unknown command "lsit" for "exposectl"\nhint: did you mean "exposectl list"? see exposectl --help',
    });
    const sub = await runCli(['probe', 'bgpp']);
    expect(sub.stderr).toContain('did you mean "exposectl probe bgp"?');
    const far = await runCli(['deploy']);
    expect(far).toMatchObject({
      exitCode: 2,
      stderr: 'error: unknown command "deploy" for "exposectl"\nhint: see exposectl --help',
    });
  });
});

describe('exposectl version', { timeout: 120_000 }, () => {
  it('--client -o json: the client only, no cluster asked', async () => {
    const r = await runCli(['version', '--client', '-o', 'json'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r.exitCode, r.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(JSON.parse(r.stdout)).toEqual({
      apiVersion: 'exposectl.dev/v1alpha1',
      kind: 'Version',
      clientVersion: { exposectl: pkg.version, node: process.version, platform: `${process.platform}-${process.arch}` },
    });
  });

  it('without any kubeconfig: the client version and a notice, exit 0', async () => {
    const r = await runCli(['version'], { env: noCluster });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Client Version: exposectl \d+\.\d+\.\d+ \(Node\.js v\d+/);
    expect(r.stderr).toMatch(/^no server version: no kubeconfig found/);
  });
});

describe('exposectl version, API server unreachable', { timeout: 120_000 }, () => {
  it('prints the client version, then the error, exit 1', async () => {
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'exposectl-version-')), 'config');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:${await closedPort()}'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    const r = await runCli(['version', '--request-timeout', '5s'], { env: { KUBECONFIG: kubeconfig } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^Client Version: exposectl /);
    expect(r.stderr).toMatch(/^error: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+/m);
  });
});

describe('probe bgp without a cluster', { timeout: 120_000 }, () => {
  it('records and reports, and says nothing was compared; a missing kubeconfig is no error', async () => {
    const r = await runCli(
      ['probe', 'bgp', '--listen', '127.0.0.1:0', '--local-as', '64500', '--duration', '1s', '-o', 'json'],
      { env: noCluster },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/nothing was compared: no kubeconfig found/);
    expect(JSON.parse(r.stdout)).toMatchObject({ findings: [] });
  });
});

describe('input limits through the CLI', { timeout: 300_000 }, () => {
  /** Runs a bash script with X as the CLI under /usr/bin/time; returns the peak memory in kB. */
  async function measured(script: string): Promise<{ code: number; stderr: string; maxKb: number }> {
    const bin = join(REPO_ROOT, 'bin/run.js');
    const run = `X() { /usr/bin/time -f 'maxrss=%M' "${process.execPath}" "${bin}" "$@"; }; ${script}`;
    try {
      const { stderr } = await promisify(execFile)('bash', ['-c', run], {
        env: { ...process.env, NO_COLOR: '', DEBUG: '' },
        timeout: 240_000,
        maxBuffer: 2 ** 26,
      });
      return { code: 0, stderr, maxKb: Number(/maxrss=(\d+)/.exec(stderr)?.[1]) };
    } catch (err) {
      const e = err as { code: number; stderr: string };
      if (!/maxrss=/.test(e.stderr))
        throw new Error(`no peak memory in the output (is /usr/bin/time installed?): ${e.stderr}`);
      return { code: e.code, stderr: e.stderr, maxKb: Number(/maxrss=(\d+)/.exec(e.stderr)![1]) };
    }
  }

  it.each([
    ['-f /dev/zero', 'X list -f /dev/zero', /^error: \/dev\/zero: over 4 MiB of YAML/],
    ['yes | list -f -', 'yes | X list -f -', /^error: <stdin>: over 4 MiB of YAML/],
    [
      'an endless JSON array on stdin',
      '(printf "["; yes "{},") | X list -f -',
      /^error: <stdin>: more than 64 MiB of input/,
    ],
    [
      'a huge single line (no newline)',
      'head -c 100000000 /dev/zero | tr "\\0" "x" | X list -f -',
      /^error: <stdin>: over 4 MiB of YAML/,
    ],
    [
      'a named pipe fed forever',
      'd=$(mktemp -d); mkfifo "$d/p"; (yes > "$d/p" 2>/dev/null &); X list -f "$d/p"; rc=$?; rm -rf "$d"; exit $rc',
      /^error: \/tmp\/.*\/p: over 4 MiB of YAML/,
    ],
  ])('%s: exit 2 with a clear error, well under 1 GB', async (_, script, message) => {
    const r = await measured(script);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.maxKb).toBeGreaterThan(0);
    expect(r.maxKb).toBeLessThan(512 * 1024);
  });
});
