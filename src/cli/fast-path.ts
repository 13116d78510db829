// The hot read-only commands run without oclif: loading the framework is the largest part
// of exposectl's start-up (about a third of `list -f` on a small file), and scripts call
// them often. The command line is parsed against the flags oclif.manifest.json records
// for the command, so definitions, defaults and allowed values stay oclif's. Whatever
// the fast path does not understand exactly as oclif would (help, unknown flags, several
// values after one -f, a value oclif would refuse...) returns undefined and goes to
// oclif, which gives the usual errors and help.
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { CommandOutput, Printer } from '../actions/output.js';
import type { CommonFlags } from '../sources/load.js';
import { checkCommonFlags, cliPrinter, printOutput, reportFailure } from './runtime.js';

export interface ManifestFlag {
  name: string;
  char?: string;
  type: 'boolean' | 'option';
  multiple?: boolean;
  default?: unknown;
  options?: string[];
}

export interface ManifestCommand {
  flags: Record<string, ManifestFlag>;
  args?: Record<string, unknown>;
  strict?: boolean;
}

type ParsedFlags = Record<string, string | boolean | string[] | undefined>;
type Action = (flags: CommonFlags & { output: string }, printer: Printer) => Promise<CommandOutput>;

/** Commands the fast path runs, by oclif id, with the function that does their work. */
const ACTIONS: Record<string, () => Promise<Action>> = {
  list: async () => (await import('../actions/list.js')).listExposures as Action,
};

export function hasFastPath(id: string): boolean {
  return Object.hasOwn(ACTIONS, id);
}

/**
 * The flags of argv as oclif would parse them for a command without arguments, or
 * undefined when oclif should handle this command line.
 */
export function parseFastFlags(command: ManifestCommand, argv: string[]): ParsedFlags | undefined {
  if (Object.keys(command.args ?? {}).length > 0) return undefined;
  // oclif reads `-o=json` as "json" where parseArgs reads "=json"; empty values are oclif's to judge.
  if (argv.some((arg) => arg === '' || /^-[^-]=/.test(arg))) return undefined;
  const specs = Object.values(command.flags);
  const options = Object.fromEntries(
    specs.map((f) => [
      f.name,
      {
        type: f.type === 'boolean' ? ('boolean' as const) : ('string' as const),
        multiple: f.multiple === true,
        ...(f.char ? { short: f.char } : {}),
      },
    ]),
  );
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof options; tokens: true; strict: true; allowPositionals: false; args: string[] }>
  >;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false, tokens: true });
  } catch {
    return undefined; // unknown flag, missing value, a value that looks like a flag, an argument...
  }
  const given = new Map<string, number>();
  for (const token of parsed.tokens)
    if (token.kind === 'option') given.set(token.name, (given.get(token.name) ?? 0) + 1);
  const flags: ParsedFlags = {};
  for (const spec of specs) {
    const value = parsed.values[spec.name] as string | boolean | string[] | undefined;
    if (!spec.multiple && (given.get(spec.name) ?? 0) > 1) return undefined; // oclif: "can only be specified once"
    const values = value === undefined || typeof value === 'boolean' ? [] : [value].flat();
    if (values.some((v) => v === '' || (spec.options !== undefined && !spec.options.includes(v)))) return undefined;
    flags[spec.name] =
      value ??
      (spec.type === 'boolean'
        ? ((spec.default as boolean | undefined) ?? false)
        : (spec.default as string | undefined));
  }
  return flags;
}

/** Runs a fast-path command to its end and sets the exit code as oclif would. */
export async function runFast(id: string, flags: ParsedFlags): Promise<void> {
  const common = flags as unknown as CommonFlags & { output: string };
  let exitCode: number;
  try {
    checkCommonFlags(common);
    const action = await ACTIONS[id]!();
    exitCode = await printOutput(
      await action(common, cliPrinter(common.output, common['no-color'])),
      common.output,
      common['no-color'],
      flags['fail-on'] as string | undefined,
    );
  } catch (error) {
    exitCode = reportFailure(error);
  }
  if (exitCode === 0) return;
  // As oclif: on failure, exit once the output is written, even if a request is still open.
  if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
  process.exit(exitCode);
}
