// oclif hooks (package.json oclif.hooks points here through dist/main.js).
import type { Hook } from '@oclif/core';
import { closest, distance } from 'fastest-levenshtein';
import { EXIT } from '../util/errors.js';

/**
 * prerun: oclif reads standard input into a positional argument that was not given
 * (`cat app.yaml | exposectl diagnose -f -` made the whole file the CHECK, and its 10 ms
 * readline read took the start of the input that -f - then missed, or the input of a
 * `while read` loop). Standard input is only ever read by `-f -`: every argument of every
 * command (help and autocomplete too) gets ignoreStdin before it is parsed.
 */
export const argsNeverFromStdin: Hook<'prerun'> = async ({ Command }) => {
  neverFromStdin(Command.args);
};

/** Sets ignoreStdin on every argument definition (in place: oclif parses the class's own definitions). */
export function neverFromStdin(args: Record<string, { ignoreStdin?: boolean }> | undefined): void {
  for (const arg of Object.values(args ?? {})) arg.ignoreStdin = true;
}

/** command_not_found: the contract's one-line error, with the closest command as the hint. Exit 2. */
export const commandNotFound: Hook<'command_not_found'> = async ({ id, config }) => {
  const typed = id.split(':').join(' ');
  const known = [...config.commandIDs, ...config.topics.map((t) => t.name)]
    .filter((c) => !config.findCommand(c)?.hidden)
    .map((c) => c.split(':').join(' '));
  const suggestion = suggestCommand(typed, known);
  process.stderr.write(`error: unknown command ${JSON.stringify(typed)} for "${config.bin}"\n`);
  process.stderr.write(
    `hint: ${suggestion ? `did you mean "${config.bin} ${suggestion}"? ` : ''}see ${config.bin} --help\n`,
  );
  process.exitCode = EXIT.usage;
};

/** The known command closest to what was typed, when it is a likely typo (at most 2 edits, or a prefix). */
export function suggestCommand(typed: string, known: readonly string[]): string | undefined {
  if (known.length === 0 || typed === '') return undefined;
  const prefixed = known.filter((k) => k.startsWith(typed));
  if (prefixed.length === 1) return prefixed[0];
  const best = closest(typed, [...known]);
  return distance(typed, best) <= Math.min(2, Math.max(1, typed.length - 2)) ? best : undefined;
}
