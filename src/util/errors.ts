// Expected failures and their exit codes (the contract): 1 runtime, 2 usage or
// invalid input (nothing changed), 3 findings at or above --fail-on.
import { terminalText } from './terminal-text.js';

export const EXIT = { ok: 0, runtime: 1, usage: 2, findings: 3 } as const;

export interface ErrorDetails extends ErrorOptions {
  details?: readonly string[];
}

export class ExposectlError extends Error {
  readonly hint?: string;
  /** Lines printed under the error line (e.g. each problem of a refused plan), each one line. */
  readonly details: readonly string[];

  // A path, context or name inside the message may hold newlines or escape sequences:
  // escaped here, so every error is one line on the terminal whatever it quotes.
  constructor(
    message: string,
    readonly exitCode: number,
    hint?: string,
    options?: ErrorDetails,
  ) {
    super(oneLine(message), options);
    this.name = new.target.name;
    if (hint !== undefined) this.hint = oneLine(hint);
    this.details = (options?.details ?? []).map(oneLine);
  }
}

/** Bad flags, arguments or input files. Exit 2; nothing was changed. */
export class UsageError extends ExposectlError {
  constructor(message: string, hint?: string, options?: ErrorDetails) {
    super(message, EXIT.usage, hint, options);
  }
}

/** The work could not be done: cluster unreachable, API error, probe failure. Exit 1. */
export class RuntimeError extends ExposectlError {
  constructor(message: string, hint?: string, options?: ErrorDetails) {
    super(message, EXIT.runtime, hint, options);
  }
}

/**
 * A user's value as shown in a one-line message: as typed when it is plain printable
 * text, JSON-quoted when it holds spaces, newlines or control characters (so a value can
 * never break the message over lines or hide its own end).
 */
export function shown(value: string): string {
  return /^[\x21-\x7e]+$/.test(value) ? value : JSON.stringify(value);
}

/** `text` as one line: control characters (newlines, escape sequences) written as escapes. */
export function oneLine(text: string): string {
  return terminalText(text);
}
