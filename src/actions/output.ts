// What an action returns to its command: the machine-readable document plus human
// renderers keyed by the -o value. The CLI (src/cli/runtime.ts) prints it; actions and
// commands never print, except streaming actions through the Printer they are given.
import type { Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import type { RenderContext } from '../render/context.js';
import type { ExposectlError } from '../util/errors.js';

export type { RenderContext };

/** A renderer gives one string, or pieces for output too large for one (probe bgp of a full table). */
export type Renderer = (ctx: RenderContext) => string | Iterable<string> | Promise<string>;

export interface CommandOutput {
  /** The document printed by -o json and -o yaml. */
  data: unknown;
  /** Renderers for the other -o values (table, wide, tree, sarif...). */
  renderers?: Record<string, Renderer>;
  /** A non-zero exit code for a result that is not a failure of the command (a probe that could not run). */
  exitCode?: number;
  /**
   * The findings the result holds: the CLI exits 3 when one reaches the command's
   * --fail-on severity (src/cli/fail-on.ts), so no command judges --fail-on itself.
   */
  findings?: readonly Pick<Finding, 'severity'>[];
  /**
   * A failure that came after part of the work was done (e.g. `expose --wait` timing
   * out after the objects were applied): the result is printed, then this error, and
   * the command exits with its code.
   */
  failure?: ExposectlError;
  /** Lines for stderr, printed before the result: warnings get a "Warning:" prefix, notices none. */
  warnings?: string[];
  notices?: string[];
  snapshot?: Snapshot;
  /**
   * A result that cannot be made again (a probe's observation): it is also saved as JSON
   * to `saveTo` when given, and when stdout or that file cannot be written it goes to a
   * file in the temporary directory, named in the error (exit 1). See cli/keep-output.ts.
   */
  keep?: { what: string; saveTo?: string };
}

/**
 * The CLI's side of an action that streams (list --watch, probe arp --watch): it prints
 * each result as it comes, as the end of a run would. Actions never write to stdout.
 */
export interface Printer {
  /** Prints one result: its stderr lines, then its document in the -o format. */
  print(output: CommandOutput): Promise<void>;
  /** Writes one line of a live stream (an NDJSON event, a watch line) to stdout. */
  line(text: string): void;
  /** Writes one line to stderr (progress, a notice). */
  note(text: string): void;
  /** The terminal printed to. */
  context: RenderContext;
}
