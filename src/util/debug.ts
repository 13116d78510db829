import { redactText } from './redact.js';

// DEBUG=exposectl (or DEBUG=*) prints details on stderr, like the `debug` convention.
export function debugEnabled(env = process.env): boolean {
  const value = env.DEBUG ?? '';
  return value.split(/[\s,]+/).some((name) => name === '*' || name === 'exposectl' || name.startsWith('exposectl:'));
}

export function debug(message: string): void {
  // Credentials never reach the debug output, whatever a message quotes.
  if (debugEnabled()) process.stderr.write(`exposectl: ${redactText(message)}\n`);
}
