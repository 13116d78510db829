// How much input exposectl reads: bounded for every way in (files, folders, named pipes,
// devices, standard input), so that no input can take the process's memory.
import { type ByteBudget, readBounded, TooLargeError } from '../util/bounded-read.js';
import { UsageError } from '../util/errors.js';

/**
 * The longest YAML text read (in characters, about bytes). The YAML parser keeps a node
 * with source ranges for every token: a megabyte of YAML takes over 100 MB of memory and
 * seconds of CPU. The API server takes no request body over 3 MiB, so every object fits;
 * a big List (`kubectl get -o yaml`) must come as JSON, which is read with JSON.parse.
 */
export const MAX_YAML_LENGTH = 4 * 1024 * 1024;

/**
 * The most bytes read from all -f inputs of one run together (JSON, and YAML files
 * under the YAML limit). JSON.parse needs a few times the text in memory: 64 MiB (a
 * `kubectl get -o json` of about 10,000 Services) stays well under 1 GB.
 */
export const MAX_INPUT_BYTES = 64 * 2 ** 20;

/** The error for YAML over MAX_YAML_LENGTH (`size`: how much there is, as far as known). */
export function yamlTooLarge(file: string, size: string): UsageError {
  return new UsageError(
    `${file}: ${size} of YAML is more than exposectl reads as YAML (${MAX_YAML_LENGTH / 2 ** 20} MiB)`,
    `give big inputs as JSON (up to ${MAX_INPUT_BYTES / 2 ** 20} MiB): kubectl get ... -o json, or yq -o json; or split the file`,
  );
}

/** The bytes MAX_YAML_LENGTH characters can take in UTF-8 (at most 3 per UTF-16 unit), plus a BOM. */
export const MAX_YAML_BYTES = 3 * MAX_YAML_LENGTH + 3;

/** What is left of MAX_INPUT_BYTES for the -f inputs still to read (shared by the inputs of one run). */
export function inputBudget(bytes = MAX_INPUT_BYTES): ByteBudget {
  return { remaining: bytes };
}

type Syntax = 'unknown' | 'json' | 'yaml';

/**
 * Reads one -f input (a file, a named pipe, a device, standard input) with the one bounded
 * reader (util/bounded-read.ts): all inputs of one run share the budget, and an input that
 * is YAML (its first character other than a space is not "{" or "[") has the YAML limit,
 * known as soon as that character arrives. Exit 2 (and the stream destroyed) past a limit.
 */
export async function readInput(stream: AsyncIterable<unknown>, name: string, budget: ByteBudget): Promise<Buffer> {
  try {
    return await readBounded(stream, {
      maxBytes: Infinity,
      budget,
      limitOf: (chunk) => {
        const syntax = syntaxOf(chunk);
        return syntax === 'yaml' ? MAX_YAML_BYTES : syntax === 'json' ? Infinity : undefined;
      },
    });
  } catch (err) {
    if (!(err instanceof TooLargeError)) throw err;
    if (err.reason === 'narrowed') throw yamlTooLarge(name, `over ${MAX_YAML_LENGTH / 2 ** 20} MiB`);
    throw inputTooLarge(name);
  }
}

/** The syntax told by the first byte that is not white space or a UTF-8 BOM; UTF-16 counts as JSON (the larger limit). */
export function syntaxOf(buf: Buffer): Syntax {
  for (const byte of buf) {
    if (
      byte === 0x20 ||
      byte === 0x09 ||
      byte === 0x0a ||
      byte === 0x0d ||
      byte === 0xef ||
      byte === 0xbb ||
      byte === 0xbf
    )
      continue;
    return byte === 0x7b || byte === 0x5b || byte === 0xff || byte === 0xfe ? 'json' : 'yaml';
  }
  return 'unknown';
}

function inputTooLarge(name: string): UsageError {
  return new UsageError(
    `${name}: more than ${MAX_INPUT_BYTES / 2 ** 20} MiB of input: exposectl reads at most ${MAX_INPUT_BYTES / 2 ** 20} MiB from all -f inputs together`,
    'read fewer objects at once, e.g. one namespace: kubectl get ... -n NAMESPACE -o json',
  );
}
