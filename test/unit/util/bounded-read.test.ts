// Reads stop at their limit: devices that never end, streams that never end.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { formatBytes, readBounded, readFileBounded, TooLargeError } from '../../../src/util/bounded-read.js';

test('readFileBounded: a file within the limit is read whole; /dev/zero stops at the limit', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'exposectl-bounded-')), 'f');
  writeFileSync(file, 'x'.repeat(100_000));
  expect(readFileBounded(file, 100_000).length).toBe(100_000);
  expect(() => readFileBounded(file, 99_999)).toThrow(TooLargeError);
  expect(() => readFileBounded('/dev/zero', 1024 * 1024)).toThrow('larger than 1 MiB');
  expect(() => readFileBounded(path.dirname(file), 10)).toThrow(/EISDIR/);
  expect(() => readFileBounded('/nonexistent/x', 10)).toThrow(/ENOENT/);
});

test('readBounded: an endless stream is cancelled past the limit', async () => {
  let cancelled = false;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(64 * 1024));
    },
    cancel() {
      cancelled = true;
    },
  });
  await expect(readBounded(endless, 1024 * 1024)).rejects.toThrow('larger than 1 MiB');
  expect(cancelled).toBe(true);
  const small = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode('{"a":1}'));
      c.close();
    },
  });
  expect((await readBounded(small, 7)).toString()).toBe('{"a":1}');
  expect((await readBounded(null, 7)).length).toBe(0);
});

test('formatBytes', () => {
  expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
  expect(formatBytes(2048)).toBe('2 KiB');
  expect(formatBytes(1000)).toBe('1000 bytes');
});

test('one reader for every input: a shared budget, and a smaller limit told by the data', async () => {
  const budget = { remaining: 10 };
  expect((await readBounded([Buffer.from('12345')], { maxBytes: Infinity, budget })).toString()).toBe('12345');
  expect(budget.remaining).toBe(5);
  await expect(readBounded([Buffer.from('123456')], { maxBytes: Infinity, budget })).rejects.toMatchObject({
    reason: 'budget',
  });
  const yamlOnly = { maxBytes: 100, limitOf: (c: Buffer) => (c[0] === 0x7b ? Infinity : 3) };
  await expect(readBounded([Buffer.from('a: b\n')], yamlOnly)).rejects.toMatchObject({
    reason: 'narrowed',
    limitBytes: 3,
  });
  expect((await readBounded([Buffer.from('{"a":1}')], yamlOnly)).toString()).toBe('{"a":1}');
  // The kubeconfig reader is the same reader, on a file, with the same options.
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'exposectl-bounded-')), 'kubeconfig');
  writeFileSync(file, 'a: b\n');
  expect(() => readFileBounded(file, yamlOnly)).toThrow(TooLargeError);
});
