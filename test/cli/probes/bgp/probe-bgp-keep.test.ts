// `probe bgp` never loses its observation to a failed write: the built CLI records a real
// session on loopback, and stdout is /dev/full (ENOSPC), a pipe whose reader has left
// (EPIPE) or a read-only descriptor (EBADF); --save FILE keeps a JSON copy, and a --save
// that fails falls back too. Every failure is exit 1 naming the write error and the file.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../helpers/cli.js';
import { freePort, speak } from '../../../unit/probes/bgp/speaker.js';

const BIN = join(REPO_ROOT, 'bin/run.js');

/** A test with a folder of its own (its CLI's TMPDIR), removed after it: the tests run at the same time. */
function keepTest(name: string, body: (dir: string) => Promise<void>): void {
  it(name, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exposectl-keep-'));
    try {
      await body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
}

type Stdout = 'pipe' | 'closed-pipe' | number;

/** Runs probe bgp while a speaker advertises 203.0.113.1/32; stdout as given, TMPDIR = the test's directory unless env says otherwise. */
async function probe(
  dir: string,
  extra: string[],
  stdout: Stdout,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      BIN,
      'probe',
      'bgp',
      '--listen',
      `127.0.0.1:${port}`,
      '--local-as',
      '64500',
      '--duration',
      '3s',
      '--no-compare',
      ...extra,
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '', DEBUG: '', TMPDIR: dir, ...env },
      stdio: ['ignore', typeof stdout === 'number' ? stdout : 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  // The reader leaves before the CLI writes: its next write is EPIPE.
  if (stdout === 'closed-pipe') child.stdout!.destroy();
  else
    child.stdout?.on('data', (c: Buffer) => {
      out += c;
    });
  child.stderr!.on('data', (c: Buffer) => {
    err += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const socket = await speak(port, ['203.0.113.1/32'], '192.0.2.13');
  const code = await exited;
  socket.destroy();
  return { code, stdout: out, stderr: err };
}

/** The one fallback file in the test's TMPDIR, parsed; it must hold the advertised route. */
function fallbackObservation(
  dir: string,
  stderr: string,
): { peers: Array<{ address: string; routes: Array<{ prefix: string }> }> } {
  const files = readdirSync(dir).filter((f) => f.startsWith('exposectl-bgp-observation-') && f.endsWith('.json'));
  expect(files).toHaveLength(1);
  const path = join(dir, files[0]!);
  expect(stderr).toContain(`the BGP observation is saved in ${path}`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The test directory's files, without Node's compile cache (it lives in TMPDIR). */
const files = (dir: string) => readdirSync(dir).filter((f) => f !== 'node-compile-cache');

const advertised = (doc: ReturnType<typeof fallbackObservation>) =>
  doc.peers.flatMap((p) => p.routes.map((r) => `${p.address} ${r.prefix}`));

// Each test waits out the probe's --duration: they run at the same time.
describe.concurrent('probe bgp keeps the observation when a write fails', () => {
  keepTest(
    'stdout is /dev/full (-o json): exit 1 naming ENOSPC and the file that holds the observation',
    async (dir) => {
      const full = openSync('/dev/full', 'w');
      try {
        const r = await probe(dir, ['-o', 'json'], full);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(
          /^error: cannot write the BGP observation to stdout: ENOSPC: no space left on device, write; the BGP observation is saved in \S+\.json$/m,
        );
        expect(advertised(fallbackObservation(dir, r.stderr))).toEqual(['127.0.0.2 203.0.113.1/32']);
      } finally {
        closeSync(full);
      }
    },
  );

  keepTest(
    'the reader of the pipe has left (text): EPIPE is not a quiet exit 0 here, the observation is saved',
    async (dir) => {
      const r = await probe(dir, [], 'closed-pipe');
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /^error: cannot write the BGP observation to stdout: write EPIPE; the BGP observation is saved in /m,
      );
      expect(advertised(fallbackObservation(dir, r.stderr))).toEqual(['127.0.0.2 203.0.113.1/32']);
    },
  );

  keepTest('stdout is a descriptor open for reading only: EBADF, saved', async (dir) => {
    const readOnly = openSync('/dev/null', 'r');
    try {
      const r = await probe(dir, ['-o', 'yaml'], readOnly);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /^error: cannot write the BGP observation to stdout: EBADF: bad file descriptor, write; the BGP observation is saved in /m,
      );
      expect(advertised(fallbackObservation(dir, r.stderr))).toEqual(['127.0.0.2 203.0.113.1/32']);
    } finally {
      closeSync(readOnly);
    }
  });

  keepTest('--save FILE keeps the -o json document while stdout shows text; no fallback file', async (dir) => {
    const save = join(dir, 'observation.json');
    const r = await probe(dir, ['--save', save], 'pipe');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}203\.0\.113\.1\/32 {3}192\.0\.2\.13 {3}64512 {5}64512:100$/m);
    const doc = JSON.parse(readFileSync(save, 'utf8'));
    expect(advertised(doc)).toEqual(['127.0.0.2 203.0.113.1/32']);
    expect(doc).toMatchObject({ kind: 'BgpObservation', findings: [] });
    expect(files(dir)).toEqual(['observation.json']);
  });

  keepTest('--save FILE saved and stdout failing: the error names the saved FILE, no second copy', async (dir) => {
    const save = join(dir, 'observation.json');
    const full = openSync('/dev/full', 'w');
    try {
      const r = await probe(dir, ['--save', save], full);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(
        `error: cannot write the BGP observation to stdout: ENOSPC: no space left on device, write; the BGP observation is saved in ${save}\n`,
      );
      expect(advertised(JSON.parse(readFileSync(save, 'utf8')))).toEqual(['127.0.0.2 203.0.113.1/32']);
      expect(files(dir)).toEqual(['observation.json']);
    } finally {
      closeSync(full);
    }
  });

  keepTest('--save into a missing folder: stdout is still printed, the fallback file holds it, exit 1', async (dir) => {
    const r = await probe(dir, ['--save', join(dir, 'missing', 'o.json')], 'pipe');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('203.0.113.1/32');
    expect(r.stderr).toMatch(
      /^error: cannot save the BGP observation to \S+\/missing\/o\.json: ENOENT: no such file or directory, open '\S+'; the BGP observation is saved in /m,
    );
    expect(advertised(fallbackObservation(dir, r.stderr))).toEqual(['127.0.0.2 203.0.113.1/32']);
  });

  keepTest(
    'when stdout and the fallback both fail, the error says the observation is lost (never a quiet exit)',
    async (dir) => {
      const full = openSync('/dev/full', 'w');
      try {
        // A TMPDIR below a plain file: nothing can be created there (Node itself creates a missing TMPDIR for its compile cache).
        writeFileSync(join(dir, 'plain-file'), '');
        const r = await probe(dir, [], full, { TMPDIR: join(dir, 'plain-file', 'tmp') });
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(
          /^error: cannot write the BGP observation to stdout: ENOSPC[^;]*; cannot save it to \S+plain-file\/tmp\/exposectl-bgp-observation-\S+\.json either: ENOTDIR[^;]*; the BGP observation is lost$/m,
        );
      } finally {
        closeSync(full);
      }
    },
  );
});
