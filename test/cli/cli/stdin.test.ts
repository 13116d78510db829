// Standard input through real pipes from real shells (bash): only `-f -` reads it, and
// it reads all of it whatever the writer's pace; no positional argument ever comes from
// it (oclif reads stdin for a missing argument unless told not to).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';

const BIN = join(REPO_ROOT, 'bin/run.js');
const DEMO = join(REPO_ROOT, 'examples/demo');
const WEB = join(DEMO, 'web.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'exposectl-stdin-'));

interface ShellResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a bash script where $X is the CLI (node bin/run.js), as a user's shell would. */
async function bash(script: string): Promise<ShellResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'bash',
      ['-c', `set -o pipefail; X() { "${process.execPath}" "${BIN}" "$@"; }; ${script}`],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, NO_COLOR: '', DEBUG: '' },
        maxBuffer: 64 * 2 ** 20,
        timeout: 800_000,
      },
    );
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** The web Service of the demo read through `diagnose -f -` with no arguments: a report naming shop/web. */
function expectWebReport(r: ShellResult): void {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { kind: string; findings: unknown[] };
  expect(report.kind).toBe('DiagnosisReport');
}

describe('standard input', { timeout: 900_000 }, () => {
  it('a fast writer: `cat app.yaml | exposectl diagnose -f -`, 6 runs, every one reads the whole file', async () => {
    const r = await bash(
      `for i in $(seq 6); do cat "${WEB}" | X diagnose -f - -o json | grep -c '"kind": "DiagnosisReport"'; echo "rc=$?"; done`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(Array(6).fill(['1', 'rc=0']).flat());
  });

  it("a fast writer, checked in full: the objects read are the file's (list -o json names them)", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await bash(`cat "${WEB}" | X list -f - -o json`);
      expect(r.code, r.stderr).toBe(0);
      expect(
        JSON.parse(r.stdout).items.map((x: { name: string; endpoints: unknown }) => [x.name, x.endpoints]),
      ).toEqual([['web', { ready: 2, total: 2 }]]);
      const d = await bash(`cat "${WEB}" | X diagnose -f - -o json`);
      expectWebReport(d);
    }
  });

  it('a slow writer whose first byte comes after 1 s', async () => {
    for (let i = 0; i < 2; i++) expectWebReport(await bash(`(sleep 1; cat "${WEB}") | X diagnose -f - -o json`));
  });

  it('a writer that sends the file in pieces with pauses', async () => {
    const r = await bash(`(head -c 100 "${WEB}"; sleep 0.3; tail -c +101 "${WEB}") | X topology -f - -o json`);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).nodes.some((n: { label?: string; id: string }) => /web/.test(n.id))).toBe(true);
  });

  it('< redirection from a file, 5 runs', async () => {
    const r = await bash(`for i in $(seq 5); do X diagnose -f - -o json < "${WEB}" > /dev/null; echo "rc=$?"; done`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(Array(5).fill('rc=0'));
  });

  it("inside a `while read` loop, exposectl never eats the loop's input (30 iterations)", async () => {
    const r = await bash(
      `seq 30 | while read -r n; do X diagnose -f "${WEB}" -o json > /dev/null || echo "failed $n"; echo "line $n"; done`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 1}`));
  });

  it('every command with an optional argument ignores what is piped in', async () => {
    // topology SERVICE: a piped word is not a Service
    const topo = await bash(`echo x | X topology -f "${DEMO}" -o json`);
    expect(topo.code, topo.stderr).toBe(0);
    expect(JSON.parse(topo.stdout).nodes.length).toBeGreaterThan(10);
    // diagnose CHECK: a piped word is not a check
    const diag = await bash(`echo source-ip | X diagnose -f "${DEMO}" -o json`);
    expect(diag.stderr).toBe('');
    expect(JSON.parse(diag.stdout).findings.some((f: { code: string }) => !f.code.startsWith('source-ip/'))).toBe(true);
    // help COMMAND: the root help, not diagnose's
    const help = await bash(`echo diagnose | X help`);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^TOPICS/m);
  });

  it('an input with no Kubernetes object is exit 2 naming it: empty stdin, binary junk, a word, an empty file', async () => {
    const empty = join(tmp, 'empty.yaml');
    writeFileSync(empty, '# nothing here\n');
    for (const [script, name] of [
      [`printf '' | X list -f -`, '<stdin>'],
      [`head -c 4096 /dev/urandom | X list -f -`, '<stdin>'],
      [`echo hello | X diagnose -f -`, '<stdin>'],
      [`X topology -f - < /dev/null`, '<stdin>'],
      [`X list -f "${empty}"`, empty],
    ] as const) {
      const r = await bash(script);
      expect(r.code, script).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toContain(`error: ${name}`);
    }
  });
});
