// The CLI's entry after bin/run.js. The hot read-only commands run on the fast path
// without oclif; everything else goes to oclif. Bundled together with the commands so
// that start-up reads a few files instead of hundreds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasFastPath, type ManifestCommand, parseFastFlags, runFast } from './cli/fast-path.js';
import { reportFailure } from './cli/runtime.js';
import { shown, UsageError } from './util/errors.js';

export interface Manifest {
  commands: Record<string, ManifestCommand & { aliases?: string[]; hidden?: boolean }>;
}

/** What the single executable carries instead of the package's files (scripts/package/sea-main.ts). */
export interface Embedded {
  manifest: Manifest;
  pjson: { oclif: Record<string, unknown> };
}

export async function main(binUrl: string, embedded?: Embedded): Promise<void> {
  const root = fileURLToPath(new URL('..', binUrl));
  const argv = process.argv.slice(2);
  const manifest = embedded?.manifest ?? readManifest(root);
  if (argv[0] === '__complete' && manifest) {
    const { clusterSources, completions } = await import('./cli/complete.js');
    for (const word of await completions(manifest.commands, argv.slice(1), clusterSources()))
      process.stdout.write(`${word}\n`);
    return;
  }
  const own = manifest && ownCommand(manifest, argv);
  if (own) {
    const stray = strayArgument(manifest.commands[own.id]!, argv.slice(own.words));
    if (stray !== undefined) {
      const command = ['exposectl', ...own.id.split(':')].join(' ');
      process.exitCode = reportFailure(
        new UsageError(`unexpected argument ${shown(stray)}: ${command} takes no arguments`, `see ${command} --help`),
      );
      return;
    }
    const flags = hasFastPath(own.id) ? parseFastFlags(manifest.commands[own.id]!, argv.slice(own.words)) : undefined;
    if (flags) return runFast(own.id, flags);
  }
  const { runWithOclif } = await import('./cli/oclif-run.js');
  await runWithOclif(binUrl, root, own !== undefined, embedded?.pjson);
}

/**
 * A word right after a command that takes no arguments (`exposectl list web`). oclif would
 * read it as part of the command's name and answer "command list:web not found".
 */
function strayArgument(command: ManifestCommand, rest: string[]): string | undefined {
  const [next] = rest;
  return command.strict !== false &&
    Object.keys(command.args ?? {}).length === 0 &&
    next !== undefined &&
    !next.startsWith('-')
    ? next
    : undefined;
}

function readManifest(root: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(`${root}oclif.manifest.json`, 'utf8')) as Manifest;
  } catch {
    return undefined; // no manifest (development): oclif finds the commands itself
  }
}

/** The command id that argv starts with (`list`, `probe arp`; aliases resolved) and how many words it took. */
function ownCommand(manifest: Manifest, argv: string[]): { id: string; words: number } | undefined {
  const [first, second] = argv;
  if (first === undefined || first.startsWith('-')) return undefined;
  const ids = new Map<string, string>();
  for (const [id, command] of Object.entries(manifest.commands)) {
    ids.set(id, id);
    for (const alias of command.aliases ?? []) ids.set(alias, id);
  }
  if (second !== undefined && ids.has(`${first}:${second}`)) return { id: ids.get(`${first}:${second}`)!, words: 2 };
  const id = ids.get(first);
  return id === undefined ? undefined : { id, words: 1 };
}

export { argsNeverFromStdin, commandNotFound } from './cli/hooks.js';
