// Output that must not be lost: a probe's observation cannot be taken again. When stdout
// cannot be written (EPIPE from a reader that left, ENOSPC from a full disk or /dev/full,
// EBADF from a read-only descriptor), the document is saved as JSON to a file and the
// error names the write failure and the file (exit 1). A `--save FILE` copy is written
// first; if it fails, the same fallback file takes the document.
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toJsonChunks } from '../render/json.js';
import { RuntimeError } from '../util/errors.js';
import { shellQuote } from '../util/shell-quote.js';

export interface Keep {
  /** What the document is, for messages ("BGP observation"). */
  what: string;
  /** Also save the JSON document here (--save FILE). */
  saveTo?: string;
}

/** Writes pieces of text to a file that must not exist yet (mode 0600); rejects on the first failure. */
export async function writeFileChunks(path: string, chunks: Iterable<string>, flags: 'w' | 'wx' = 'w'): Promise<void> {
  const file = await open(path, flags, 0o600);
  try {
    for (const chunk of chunks) await file.write(chunk);
  } finally {
    await file.close();
  }
}

/** A fresh file name in $TMPDIR for a document, e.g. /tmp/exposectl-bgp-observation-20261207T060000Z-4242.json. */
export function fallbackPath(what: string, now = new Date(), dir = tmpdir()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return join(dir, `exposectl-${what.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${stamp}-${process.pid}.json`);
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Writes `chunks` to stdout, keeping `data` safe: saved to keep.saveTo first, and to a
 * fallback file when stdout or that file fails. Resolves when stdout has taken everything.
 */
export async function writeKept(chunks: Iterable<string>, data: unknown, keep: Keep): Promise<void> {
  const failures: string[] = [];
  let savedAt: string | undefined;
  if (keep.saveTo !== undefined) {
    try {
      await writeFileChunks(keep.saveTo, toJsonChunks(data));
      savedAt = keep.saveTo;
    } catch (err) {
      failures.push(`cannot save the ${keep.what} to ${keep.saveTo}: ${reason(err)}`);
    }
  }
  if (savedAt === undefined && failures.length > 0) savedAt = await saveFallback(data, keep, failures);
  try {
    await writeStdout(chunks);
  } catch (err) {
    failures.push(`cannot write the ${keep.what} to stdout: ${reason(err)}`);
    savedAt ??= await saveFallback(data, keep, failures);
  }
  if (failures.length === 0) return;
  const where = savedAt !== undefined ? `the ${keep.what} is saved in ${savedAt}` : `the ${keep.what} is lost`;
  throw new RuntimeError(
    `${failures.join('; ')}; ${where}`,
    savedAt !== undefined ? `read it with: jq . ${shellQuote(savedAt)}` : undefined,
  );
}

async function saveFallback(data: unknown, keep: Keep, failures: string[]): Promise<string | undefined> {
  const path = fallbackPath(keep.what);
  try {
    await writeFileChunks(path, toJsonChunks(data), 'wx');
    return path;
  } catch (err) {
    failures.push(`cannot save it to ${path} either: ${reason(err)}`);
    return undefined;
  }
}

/**
 * Writes to stdout and rejects on the first write error. The entry point's handler ends the
 * process quietly on EPIPE (`list | head -1`); here that would lose the document, so this
 * write takes over stdout's error events while it runs.
 */
async function writeStdout(chunks: Iterable<string>): Promise<void> {
  const stdout = process.stdout;
  const handlers = stdout.listeners('error') as Array<(err: Error) => void>;
  stdout.removeAllListeners('error');
  let failed: Error | undefined;
  const noteError = (err: Error) => {
    failed ??= err;
  };
  stdout.on('error', noteError);
  try {
    for (const chunk of chunks) {
      await new Promise<void>((resolve, reject) => {
        if (failed) return reject(failed);
        stdout.write(chunk, (err) => (err ? reject(err) : failed ? reject(failed) : resolve()));
      });
    }
  } catch (err) {
    failed ??= err as Error;
    throw err;
  } finally {
    // After a failure stdout stays destroyed and may still emit: keep ours, quiet. Else restore.
    if (!failed && !stdout.destroyed) {
      stdout.off('error', noteError);
      for (const h of handlers) stdout.on('error', h);
    }
  }
}
