// The command line handed to oclif: help, completion, the commands without a fast path,
// and every command line the fast path leaves to oclif. Imported only then.

import { readFileSync } from 'node:fs';
import { execute } from '@oclif/core';

export async function runWithOclif(
  binUrl: string,
  root: string,
  ownCommand: boolean,
  embeddedPjson?: { oclif: Record<string, unknown> },
): Promise<void> {
  // The single executable: its package.json names every command itself (no plugins to find).
  if (embeddedPjson) {
    await execute({ dir: binUrl, loadOptions: { root, pjson: embeddedPjson } as never });
    return;
  }
  if (!ownCommand) {
    await execute({ dir: binUrl });
    return;
  }
  // One of exposectl's own commands: the root manifest is all oclif needs to run it, so
  // skip loading the plugins (help, autocomplete): a good part of oclif's start-up.
  const pjson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { oclif: Record<string, unknown> };
  await execute({
    dir: binUrl,
    loadOptions: { root, pjson: { ...pjson, oclif: { ...pjson.oclif, plugins: [] } } } as never,
  });
}
