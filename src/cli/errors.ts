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
