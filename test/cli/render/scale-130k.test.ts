// 130,000 Services from one List file: `list` and `diagnose` print them all. Spreading an
// array of that size into a call (`push(...x)`, `Math.max(...x)`) overflows the stack,
// which is what both commands did before.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const COUNT = 130_000;
const dir = mkdtempSync(join(tmpdir(), 'exposectl-130k-'));
const file = join(dir, 'big.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bigList(): string {
  const items = Array.from({ length: COUNT }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace: `ns-${i % 100}` },
    // externalTrafficPolicy Cluster (the default): one source-ip/etp-cluster finding per Service.
    spec: { type: 'NodePort', selector: { app: `a${i}` }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
writeFileSync(file, bigList());

test(`list -f prints all ${COUNT} Services`, async () => {
  const r = await runCli(['list', '-f', file], { timeoutMs: 480_000 });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(COUNT + 1);
  expect(lines.filter((l) => / service\/svc-\d+ /.test(l))).toHaveLength(COUNT);
}, 540_000);

test(`diagnose -f -o json reports a finding for each of ${COUNT} Services`, async () => {
  const r = await runCli(['diagnose', 'source-ip', '-f', file, '-o', 'json', '--fail-on', 'warning'], {
    timeoutMs: 480_000,
    maxBufferBytes: 1e9,
  });
  expect(r.stderr).not.toMatch(/Maximum call stack/);
  // Exit 3 comes right after the 110 MB document: all of it must have reached the pipe.
  expect(r.exitCode).toBe(3);
  const doc = JSON.parse(r.stdout) as { findings: Array<{ code: string; subject: { name: string } }> };
  const collided = new Set(doc.findings.filter((f) => f.code === 'source-ip/etp-cluster').map((f) => f.subject.name));
  expect(collided.size).toBe(COUNT);
}, 540_000);
