// The one bounded reader: every input read whole (-f files, pipes and stdin, kubeconfig,
// token and certificate files, API answers) stops at a documented limit instead of
// filling memory (`-f /dev/zero`, `--kubeconfig /dev/zero`, an endless response body).
// What is read and its limit differ; the reading is this. See docs/reliability.md.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** A kubeconfig file: about a thousand clusters with embedded certificates fit (each is 2 to 5 KiB); the YAML parser needs up to ~150x the size in memory for files of tiny entries. */
export const MAX_KUBECONFIG_BYTES = 2 * 1024 * 1024;
/** A token, certificate or key file named by a kubeconfig. */
export const MAX_CREDENTIAL_FILE_BYTES = 1024 * 1024;
/** One API answer (one page of a list): 64 MiB keeps the parsed page well under 1 GB of memory. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** What is left for the reads still to come, shared by the reads of one run (all -f inputs). */
export interface ByteBudget {
  remaining: number;
}

export interface BoundedReadOptions {
  /** Stop past this many bytes. */
  maxBytes: number;
  /** Also stop past what the budget has left; a read that ends takes its size from it. */
  budget?: ByteBudget;
  /**
   * A smaller limit told by the start of the data (e.g. YAML, known by its first character),
   * asked with each chunk until it answers.
   */
  limitOf?: (chunk: Buffer) => number | undefined;
}

/** More bytes than a limit: the read stopped there. `budget`: the shared budget ran out; `narrowed`: the limitOf limit. */
export class TooLargeError extends Error {
  constructor(
    readonly limitBytes: number,
    readonly reason: 'limit' | 'budget' | 'narrowed' = 'limit',
  ) {
    super(`larger than ${formatBytes(limitBytes)}`);
    this.name = 'TooLargeError';
  }
}

/** Collects chunks and throws TooLargeError as soon as one passes a limit. */
class Bounded {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private narrowed: number | undefined;

  constructor(private readonly options: BoundedReadOptions) {}

  /** How many more bytes may come (one more tells that the limit is passed). */
  get room(): number {
    return (
      Math.min(this.options.maxBytes, this.options.budget?.remaining ?? Infinity, this.narrowed ?? Infinity) +
      1 -
      this.total
    );
  }

  add(chunk: Buffer): void {
    if (this.narrowed === undefined && this.options.limitOf) this.narrowed = this.options.limitOf(chunk);
    this.total += chunk.length;
    if (this.narrowed !== undefined && this.total > this.narrowed) throw new TooLargeError(this.narrowed, 'narrowed');
    if (this.total > this.options.maxBytes) throw new TooLargeError(this.options.maxBytes);
    const budget = this.options.budget;
    if (budget && this.total > budget.remaining) throw new TooLargeError(budget.remaining, 'budget');
    this.chunks.push(chunk);
  }

  done(): Buffer {
    if (this.options.budget) this.options.budget.remaining -= this.total;
    return Buffer.concat(this.chunks, this.total);
  }
}

const options = (o: BoundedReadOptions | number): BoundedReadOptions => (typeof o === 'number' ? { maxBytes: o } : o);

/**
 * Reads a file, but never more than its limit + 1 bytes of it: also safe for devices and
 * pipes that never end (/dev/zero). Synchronous, for the kubeconfig read at start-up.
 * Throws TooLargeError, or the fs error (ENOENT, EACCES, EISDIR).
 */
export function readFileBounded(file: string, limit: BoundedReadOptions | number): Buffer {
  const read = new Bounded(options(limit));
  const fd = openSync(file, 'r');
  try {
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error(`EISDIR: it is a directory`), { code: 'EISDIR' });
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(64 * 1024, read.room)));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      read.add(chunk.subarray(0, n));
    }
    return read.done();
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a stream whole: a Node stream or any async iterable (a file's read stream, stdin),
 * or a web stream (a fetch body), which is cancelled past the limit. Throws TooLargeError.
 */
export async function readBounded(
  source: AsyncIterable<unknown> | Iterable<Uint8Array | string> | ReadableStream<Uint8Array> | null | undefined,
  limit: BoundedReadOptions | number,
): Promise<Buffer> {
  const read = new Bounded(options(limit));
  if (!source) return read.done();
  if (source instanceof ReadableStream) {
    const reader = source.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      try {
        read.add(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      } catch (err) {
        await reader.cancel().catch(() => undefined);
        throw err;
      }
    }
    return read.done();
  }
  for await (const chunk of source)
    read.add(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return read.done();
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
