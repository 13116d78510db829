// Expected failures and their exit codes (the contract): 1 runtime, 2 usage or
// invalid input (nothing changed), 3 findings at or above --fail-on.
export const EXIT = { ok: 0, runtime: 1, usage: 2, findings: 3 } as const;

export class ExposectlError extends Error {
  constructor(message: string, readonly exitCode: number, readonly hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags, arguments or input files. Exit 2; nothing was changed. */
export class UsageError extends ExposectlError {
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, EXIT.usage, hint, options);
  }
}

/** The work could not be done: cluster unreachable, API error, probe failure. Exit 1. */
export class RuntimeError extends ExposectlError {
  constructor(message: string, hint?: string, options?: ErrorOptions) {
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
