// Reading one -f input (a file, a named pipe, a device, standard input) into memory with
// a bound: `-f /dev/zero`, `yes | exposectl list -f -` or a huge single line must end in
// a clear error, not in an out-of-memory crash. The limits (limits.ts) are checked while
// reading: all inputs of one run together, and an input that is YAML (its first
// character other than a space is not "{" or "["), known as soon as that character arrives.
import { UsageError } from '../util/errors.js';
import { MAX_INPUT_BYTES, MAX_YAML_LENGTH, yamlTooLarge } from './limits.js';

/** The bytes MAX_YAML_LENGTH characters can take in UTF-8 (at most 3 per UTF-16 unit), plus a BOM. */
export const MAX_YAML_BYTES = 3 * MAX_YAML_LENGTH + 3;

/** What is left of MAX_INPUT_BYTES for the inputs still to read (shared by the inputs of one run). */
export interface InputBudget {
  remaining: number;
}

export function inputBudget(bytes = MAX_INPUT_BYTES): InputBudget {
  return { remaining: bytes };
}

type Syntax = 'unknown' | 'json' | 'yaml';

/** Reads the stream to its end; UsageError (and the stream destroyed) as soon as a limit is passed. */
export async function readBounded(stream: AsyncIterable<unknown>, name: string, budget: InputBudget): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let syntax: Syntax = 'unknown';
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    if (syntax === 'unknown') syntax = syntaxOf(buf);
    size += buf.length;
    if (syntax === 'yaml' && size > MAX_YAML_BYTES) throw yamlTooLarge(name, `over ${MAX_YAML_LENGTH / 2 ** 20} MiB`);
    if (size > budget.remaining) throw inputTooLarge(name);
    chunks.push(buf);
  }
  budget.remaining -= size;
  return Buffer.concat(chunks, size);
}

/** The syntax told by the first byte that is not white space or a UTF-8 BOM; UTF-16 counts as JSON (the larger limit). */
export function syntaxOf(buf: Buffer): Syntax {
  for (const byte of buf) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0xef || byte === 0xbb || byte === 0xbf) continue;
    return byte === 0x7b || byte === 0x5b || byte === 0xff || byte === 0xfe ? 'json' : 'yaml';
  }
  return 'unknown';
}

function inputTooLarge(name: string): UsageError {
  return new UsageError(`${name}: more than ${MAX_INPUT_BYTES / 2 ** 20} MiB of input: exposectl reads at most ${MAX_INPUT_BYTES / 2 ** 20} MiB from all -f inputs together`,
    'read fewer objects at once, e.g. one namespace: kubectl get ... -n NAMESPACE -o json');
}
