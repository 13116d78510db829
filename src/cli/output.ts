// What a command returns: the machine-readable document plus human renderers keyed by
// the -o value. The base command picks one; commands never print.
import type { Snapshot } from '../model/snapshot.js';
import type { ExposectlError } from './errors.js';

export interface RenderContext {
  color: boolean;
  /** Terminal width when stdout is a TTY, else undefined (no wrapping or truncation). */
  columns: number | undefined;
  tty: boolean;
}

/** A renderer gives one string, or pieces for output too large for one (probe bgp of a full table). */
export type Renderer = (ctx: RenderContext) => string | Iterable<string> | Promise<string>;

export interface CommandOutput {
  /** The document printed by -o json and -o yaml. */
  data: unknown;
  /** Renderers for the other -o values (table, wide, tree, sarif...). */
  renderers?: Record<string, Renderer>;
  /** A non-zero exit code for a result that is not a failure of the command (findings). */
  exitCode?: number;
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
