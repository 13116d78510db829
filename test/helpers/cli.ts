// Runs the built CLI (bin/run.js, after `npm run build`) as a user would, in a child process.

import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function runCli(
  args: string[],
  options: { input?: string; env?: Record<string, string>; timeoutMs?: number; maxBufferBytes?: number } = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    input: options.input,
    env: { NO_COLOR: '', DEBUG: '', ...options.env },
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.maxBufferBytes !== undefined ? { maxBuffer: options.maxBufferBytes } : {}),
    cwd: REPO_ROOT,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

/**
 * Starts the built CLI without waiting for it, for tests that act while it runs (e.g. take
 * the API server away): `child.stderr` streams; `await child` gives the result.
 */
export function startCli(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}) {
  return execa(process.execPath, [BIN, ...args], {
    env: { NO_COLOR: '', DEBUG: '', ...options.env },
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
    cwd: REPO_ROOT,
  });
}
