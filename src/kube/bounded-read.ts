// Reading with a size limit: kubeconfig files, token and certificate files and API answers
// are read whole, so each read stops at a documented limit instead of filling memory
// (`--kubeconfig /dev/zero`, an endless response body). See docs/reliability.md.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** A kubeconfig file: about a thousand clusters with embedded certificates fit (each is 2 to 5 KiB); the YAML parser needs up to ~150x the size in memory for files of tiny entries. */
export const MAX_KUBECONFIG_BYTES = 2 * 1024 * 1024;
/** A token, certificate or key file named by a kubeconfig. */
export const MAX_CREDENTIAL_FILE_BYTES = 1024 * 1024;
/** One API answer (one page of a list): 64 MiB keeps the parsed page well under 1 GB of memory. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** More bytes than the limit: the read stopped there. */
export class TooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`larger than ${formatBytes(limitBytes)}`);
    this.name = 'TooLargeError';
  }
}

/**
 * Reads a file, but never more than maxBytes + 1 bytes of it: also safe for devices and
 * pipes that never end (/dev/zero). Throws TooLargeError, or the fs error (ENOENT, EACCES).
 */
export function readFileBounded(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error(`EISDIR: it is a directory`), { code: 'EISDIR' });
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new TooLargeError(maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** Reads a web stream (a fetch body) whole, cancelling it past maxBytes (TooLargeError). */
export async function readStreamBounded(stream: ReadableStream<Uint8Array> | null | undefined, maxBytes: number): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
