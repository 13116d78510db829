// How much input exposectl reads: bounded for every way in (files, folders, named pipes,
// devices, standard input), so that no input can take the process's memory.
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
  return new UsageError(`${file}: ${size} of YAML is more than exposectl reads as YAML (${MAX_YAML_LENGTH / 2 ** 20} MiB)`,
    `give big inputs as JSON (up to ${MAX_INPUT_BYTES / 2 ** 20} MiB): kubectl get ... -o json, or yq -o json; or split the file`);
}

