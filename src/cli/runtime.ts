// The steps of running a command that need no CLI framework: checking the common flags,
// printing the result and reporting a failure with its exit code.
// The oclif base command and the fast path (src/cli/fast-path.ts) both run on them.
// Reading the snapshot from the flags is src/sources/load.ts.

import type { CommandOutput, Printer, RenderContext } from '../actions/output.js';
import { toJsonChunks } from '../render/json.js';
import { type CommonFlags, requestTimeoutMs } from '../sources/load.js';
import { debug, debugEnabled } from '../util/debug.js';
import { EXIT, ExposectlError, oneLine, UsageError } from '../util/errors.js';
import { redactText } from '../util/redact.js';
import { colorEnabled } from './color.js';
import { meetsFailOn } from './fail-on.js';

const NAMESPACE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Usage errors in the common flags, found before any work (also for -f, which makes no request). */
export function checkCommonFlags(flags: CommonFlags): void {
  if (flags['all-namespaces'] && flags.namespace !== undefined) {
    throw new UsageError('--namespace and --all-namespaces cannot be used together');
  }
  if (flags.namespace !== undefined && !NAMESPACE.test(flags.namespace)) {
    throw new UsageError(
      `invalid namespace ${JSON.stringify(flags.namespace)}: namespaces are DNS labels (at most 63 lower-case letters, digits and "-")`,
    );
  }
  if (flags['request-timeout'] !== undefined) requestTimeoutMs(flags);
  if (flags['input-complete'] !== undefined && (flags.filename ?? []).length === 0) {
    throw new UsageError('--input-complete applies to files read with -f: a live cluster is always complete');
  }
}

export function renderContext(noColor: boolean): RenderContext {
  const tty = Boolean(process.stdout.isTTY);
  return { tty, color: colorEnabled(process.stdout, noColor), columns: tty ? process.stdout.columns : undefined };
}

/**
 * Prints a command's result (warnings and notices on stderr, the document in the -o
 * format on stdout) and returns its exit code; a failure that came after part of the work
 * is thrown after the result is printed.
 */
export async function printOutput(
  result: CommandOutput,
  format: string,
  noColor: boolean,
  failOn?: string,
): Promise<number> {
  for (const warning of result.warnings ?? []) process.stderr.write(`Warning: ${oneLine(redactText(warning))}\n`);
  for (const notice of result.notices ?? []) process.stderr.write(`${oneLine(redactText(notice))}\n`);
  const text = await render(result, format, noColor);
  // Wait until stdout has taken all of it: a non-zero exit (findings) ends the process
  // right after, and a pipe (`diagnose -o json | jq`) would get only the first part.
  const chunks = typeof text !== 'string' ? text : text === '' ? [] : [text.endsWith('\n') ? text : `${text}\n`];
  if (result.keep) {
    // A document that cannot be made again is never lost to a failed write (cli/keep-output.ts).
    const { writeKept } = await import('./keep-output.js');
    await writeKept(chunks, result.data, result.keep);
  } else {
    const write = (chunk: string) => new Promise<void>((resolve) => process.stdout.write(chunk, () => resolve()));
    for (const chunk of chunks) await write(chunk);
  }
  if (result.failure) throw result.failure;
  // Findings at or above --fail-on make the run exit 3, whatever else it says.
  if (failOn !== undefined && result.findings && meetsFailOn(result.findings, failOn)) return EXIT.findings;
  return result.exitCode ?? EXIT.ok;
}

async function render(result: CommandOutput, format: string, noColor: boolean): Promise<string | Iterable<string>> {
  const renderer = result.renderers?.[format];
  if (renderer) return renderer(renderContext(noColor));
  // In pieces: a document can be longer than the longest string V8 holds (probe bgp of a full table).
  if (format === 'json') return toJsonChunks(result.data);
  if (format === 'yaml') return (await import('../render/yaml.js')).toYaml(result.data);
  throw new UsageError(`output format ${format} is not supported by this command`);
}

/** The Printer a streaming action writes through: stdout for the stream, stderr for notes. */
export function cliPrinter(format: string, noColor: boolean): Printer {
  return {
    print: async (output) => {
      await printOutput(output, format, noColor);
    },
    line: (text) => process.stdout.write(`${text}\n`),
    note: (text) => process.stderr.write(`${text}\n`),
    context: renderContext(noColor),
  };
}

/** Prints a failure as one `error:` line (plus a hint) and returns its exit code. No stack trace unless DEBUG. */
export function reportFailure(error: unknown): number {
  if (error instanceof ExposectlError) {
    process.stderr.write(`error: ${redactText(error.message)}\n`);
    for (const line of error.details) process.stderr.write(`${redactText(line)}\n`);
    if (error.hint) process.stderr.write(`hint: ${redactText(error.hint)}\n`);
    if (debugEnabled() && error.stack) debug(error.stack);
    if (debugEnabled() && error.cause instanceof Error && error.cause.stack) debug(`caused by: ${error.cause.stack}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${oneLine(redactText(message))}\n`);
  if (debugEnabled()) debug(error instanceof Error ? (error.stack ?? message) : message);
  else process.stderr.write('hint: run with DEBUG=exposectl for details\n');
  return EXIT.runtime;
}
