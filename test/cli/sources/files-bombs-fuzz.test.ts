// Hostile files through the real CLI (`exposectl list -f FILE`) in a small heap: alias
// bombs, documents nested 10^4..10^5 levels deep, 20 MB documents, 100,000-element lists.
// Each either loads (exit 0) or is refused with exit 2 and one line naming the file; the
// process never dies of a V8 out-of-memory or stack overflow, and its peak memory stays
// bounded (GNU time's maximum resident set size).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_YAML_LENGTH } from '../../../src/sources/documents.js';
import { MAX_NESTING_DEPTH } from '../../../src/sources/files.js';
import { REPO_ROOT } from '../../helpers/cli.js';

/** The old-space heap the CLI gets here; its peak resident memory must stay under RSS_LIMIT_MB. */
const HEAP_MB = 256;
const RSS_LIMIT_MB = 700;

const dir = mkdtempSync(path.join(tmpdir(), 'exposectl-bombs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** `exposectl list -f FILE -o json` under /usr/bin/time, in a heap of HEAP_MB. */
async function listFile(p: string): Promise<{ exitCode: number; stdout: string; stderr: string; maxRssMb: number }> {
  const r = await execa(
    '/usr/bin/time',
    [
      '-f',
      'maxrss-kb=%M',
      process.execPath,
      `--max-old-space-size=${HEAP_MB}`,
      path.join(REPO_ROOT, 'bin/run.js'),
      'list',
      '-f',
      p,
      '-o',
      'json',
    ],
    {
      reject: false,
      cwd: REPO_ROOT,
      env: { NO_COLOR: '', DEBUG: '', KUBECONFIG: '/nonexistent/kubeconfig' },
      timeout: 240_000,
    },
  );
  const lines = String(r.stderr).trimEnd().split('\n');
  const rss = /^maxrss-kb=(\d+)$/.exec(lines.at(-1) ?? '');
  expect(rss, String(r.stderr)).not.toBeNull();
  // time says "Command exited with non-zero status N" / "terminated by signal" before its own line.
  const stderr = lines
    .slice(0, -1)
    .filter((l) => !/^Command (exited with non-zero status|terminated by signal)/.test(l))
    .join('\n');
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr, maxRssMb: Number(rss![1]) / 1024 };
}

function expectBounded(r: { exitCode: number; stderr: string; maxRssMb: number }): void {
  expect(r.stderr).not.toMatch(/heap out of memory|Maximum call stack size exceeded|FATAL ERROR|Allocation failed/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
}

function expectRefused(
  r: { exitCode: number; stdout: string; stderr: string; maxRssMb: number },
  p: string,
  message: RegExp,
): void {
  expectBounded(r);
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const [first, ...rest] = r.stderr.trimEnd().split('\n');
  expect(first).toMatch(new RegExp(`^error: ${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+)*: `));
  expect(first).toMatch(message);
  expect(rest.every((l) => l.startsWith('hint: '))).toBe(true);
}

const laughs = (levels: number) =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: lol}',
    'data:',
    '  l0: &l0 "lol"',
    ...Array.from({ length: levels }, (_, i) => `  l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`),
  ].join('\n');

// Concurrent, a few at a time: each case starts a Node process, some parse megabytes.
describe.concurrent('hostile files through the CLI: exit 0 or 2, bounded memory, never a crash', {
  timeout: 240_000,
}, () => {
  it('a billion-laughs alias bomb (10^9 strings once expanded)', async () => {
    const p = file('laughs.yaml', laughs(9));
    expectRefused(await listFile(p), p, /alias bomb/);
  });

  it('an alias bomb in the second document of a file whose first is a valid Service', async () => {
    const p = file(
      'laughs-second.yaml',
      `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort, ports: [{port: 80}]}\n---\n${laughs(12)}\n`,
    );
    expectRefused(await listFile(p), p, /:6:1: invalid YAML: too many YAML aliases/);
  });

  it('10^5 unclosed [ (YAML flow nesting)', async () => {
    const p = file('deep-flow.yaml', `a: ${'['.repeat(100_000)}`);
    expectRefused(await listFile(p), p, /invalid YAML: /);
  });

  it('10^4 levels of { } (YAML flow mappings, closed)', async () => {
    const p = file('deep-map.yaml', `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`);
    expectRefused(await listFile(p), p, /nest|nested too deeply/);
  });

  it('2,500 levels of block indentation', async () => {
    const p = file('deep-block.yaml', Array.from({ length: 2500 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'));
    expectRefused(await listFile(p), p, /invalid YAML: nested too deeply/);
  });

  it(`10^5 levels of JSON arrays inside a Service (loads as JSON, refused beyond ${MAX_NESTING_DEPTH} levels)`, async () => {
    const p = file(
      'deep.json',
      `{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    );
    expectRefused(await listFile(p), p, new RegExp(`more than ${MAX_NESTING_DEPTH} levels deep`));
  });

  it('10^5 levels of unclosed JSON objects', async () => {
    const p = file('deep-open.json', '{"a":'.repeat(100_000));
    expectRefused(await listFile(p), p, /invalid (JSON|YAML): /);
  });

  it(`a 20 MB YAML document (over the ${MAX_YAML_LENGTH / 2 ** 20} MiB YAML limit): refused before parsing, with the way out`, async () => {
    const p = file(
      'huge.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  haproxy.cfg: "${'x'.repeat(20 * 2 ** 20)}"\n`,
    );
    const r = await listFile(p);
    expectRefused(r, p, /MiB of YAML is more than exposectl reads as YAML/);
    expect(r.stderr).toMatch(/hint: .*-o json/);
  });

  it('a 20 MB JSON document loads', async () => {
    const p = file(
      'huge.json',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'big', namespace: 'edge' },
        data: { 'haproxy.cfg': `frontend fe\n  bind :80\n${'#'.repeat(20 * 2 ** 20)}` },
      }),
    );
    const r = await listFile(p);
    expectBounded(r);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'ExposureList', items: [] });
  });

  it('a List of 100,000 items as JSON loads', async () => {
    const items = Array.from({ length: 100_000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `ns-${i}` },
    }));
    items[99_999] = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'last', namespace: 'default' },
      spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
    } as never;
    const p = file('list-100k.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const r = await listFile(p);
    expectBounded(r);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items.map((e: { kind: string; name: string }) => `${e.kind}/${e.name}`)).toEqual([
      'Service/last',
    ]);
  });

  it('a YAML sequence of 100,000 elements loads (as a document that is not an object)', async () => {
    const p = file(
      'seq-100k.yaml',
      `[${Array(100_000).fill('1').join(',')}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}\n`,
    );
    const r = await listFile(p);
    expectBounded(r);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items).toHaveLength(1);
  });
});
