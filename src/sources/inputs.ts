// Expands the paths given with -f into the manifest inputs to read, with kubectl's
// rules: a file named explicitly is read whatever its extension; a folder is walked
// recursively and only its .yaml, .yml and .json files are read (sorted, so the
// order is stable); `-` is standard input.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ByteBudget } from '../util/bounded-read.js';
import { UsageError } from '../util/errors.js';
import { inputBudget, readInput } from './limits.js';

export const STDIN_NAME = '<stdin>';
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface ManifestInput {
  /** The name used in messages and origins: the path as given (or joined under a folder as given), or <stdin>. */
  name: string;
  /** Named on the command line (a file or -), not found in a folder. */
  given: boolean;
  read(): Promise<string>;
}

export interface ExpandOptions {
  stdin?: NodeJS.ReadableStream;
}

export async function expandInputs(paths: readonly string[], opts: ExpandOptions = {}): Promise<ManifestInput[]> {
  const inputs: ManifestInput[] = [];
  const seenFiles = new Set<string>();
  const budget = inputBudget();
  let stdinTaken = false;
  for (const given of paths) {
    if (given === '-') {
      if (stdinTaken) continue;
      stdinTaken = true;
      const stream = opts.stdin ?? process.stdin;
      inputs.push({
        name: STDIN_NAME,
        given: true,
        read: async () => decodeText(await readInput(stream, STDIN_NAME, budget)),
      });
      continue;
    }
    if (given === '') throw new UsageError('empty path given with -f/--filename');
    if (/^https?:\/\//i.test(given)) {
      throw new UsageError(
        `-f/--filename takes files, folders or -, not URLs: ${given}`,
        `download it first: curl -fsSL ${given} | exposectl ... -f -`,
      );
    }
    const stat = await statOrThrow(given);
    if (stat.isDirectory()) {
      await walk(given, inputs, seenFiles, new Set(), budget);
    } else {
      await addFile(given, true, inputs, seenFiles, budget);
    }
  }
  return inputs;
}

async function walk(
  dir: string,
  inputs: ManifestInput[],
  seenFiles: Set<string>,
  visitedDirs: Set<string>,
  budget: ByteBudget,
): Promise<void> {
  const real = await fs.realpath(dir).catch((err: unknown) => {
    throw pathError(dir, err);
  });
  if (visitedDirs.has(real)) return; // a symlink loop
  visitedDirs.add(real);
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    throw pathError(dir, err);
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(full).catch(() => undefined); // a dangling link in a folder is ignored
      if (!target) continue;
      isDir = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDir) await walk(full, inputs, seenFiles, visitedDirs, budget);
    else if (isFile && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
      await addFile(full, false, inputs, seenFiles, budget);
  }
}

async function addFile(
  file: string,
  given: boolean,
  inputs: ManifestInput[],
  seenFiles: Set<string>,
  budget: ByteBudget,
): Promise<void> {
  const real = await fs.realpath(file).catch(() => path.resolve(file));
  if (seenFiles.has(real)) return; // the same file named twice (or through a folder and by name) is read once
  seenFiles.add(real);
  inputs.push({ name: file, given, read: () => readFileBounded(file, budget) });
}

/** A file, named pipe or device, read as a stream: its size on disk says nothing about a pipe or /dev/zero. */
async function readFileBounded(file: string, budget: ByteBudget): Promise<string> {
  try {
    return decodeText(await readInput(createReadStream(file), file, budget));
  } catch (err) {
    throw err instanceof UsageError ? err : pathError(file, err);
  }
}

async function statOrThrow(p: string) {
  try {
    return await fs.stat(p);
  } catch (err) {
    throw pathError(p, err);
  }
}

function pathError(p: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new UsageError(`the path "${p}" does not exist`, undefined, { cause: err });
  if (code === 'EACCES' || code === 'EPERM')
    return new UsageError(`cannot read "${p}": permission denied`, undefined, { cause: err });
  return new UsageError(`cannot read "${p}": ${(err as Error).message ?? String(err)}`, undefined, { cause: err });
}

/** UTF-8 (with or without BOM), or UTF-16 LE/BE when a BOM says so. */
export function decodeText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
