// The CLI's entry after bin/run.js: hands the command line to oclif. Bundled together
// with the commands so that start-up reads a few files instead of hundreds.
import { execute } from '@oclif/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Manifest {
  commands: Record<string, { aliases?: string[] }>;
}

export async function main(binUrl: string): Promise<void> {
  const root = fileURLToPath(new URL('..', binUrl));
  if (!isOwnCommand(root, process.argv.slice(2))) {
    await execute({ dir: binUrl });
    return;
  }
  // One of exposectl's own commands: the root manifest is all oclif needs to run it, so
  // skip loading the plugins (help, autocomplete): a good part of oclif's start-up.
  const pjson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { oclif: Record<string, unknown> };
  await execute({ dir: binUrl, loadOptions: { root, pjson: { ...pjson, oclif: { ...pjson.oclif, plugins: [] } } } as never });
}

/** Whether argv starts with one of exposectl's own command ids or aliases (`list`, `probe arp`). */
function isOwnCommand(root: string, argv: string[]): boolean {
  const [first, second] = argv;
  if (first === undefined || first.startsWith('-')) return false;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(`${root}oclif.manifest.json`, 'utf8')) as Manifest;
  } catch {
    return false; // no manifest (development): oclif finds the commands itself
  }
  const ids = new Set(Object.entries(manifest.commands).flatMap(([id, c]) => [id, ...(c.aliases ?? [])]));
  return ids.has(first) || (second !== undefined && ids.has(`${first}:${second}`));
}
