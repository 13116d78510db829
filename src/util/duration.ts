import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The longest duration a timer can wait (Node caps setTimeout at 2^31-1 ms, about 24.8 days, and fires at once beyond). */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Parses kubectl-style durations ("30s", "500ms", "2m", "1h30m", or bare seconds) into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    ms = Math.round(Number(trimmed) * 1000);
  } else {
    const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
      throw new UsageError(
        `invalid duration ${JSON.stringify(text)} for --${flag}`,
        'use a number with a unit, e.g. 30s, 500ms, 2m',
      );
    }
    ms = Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0));
  }
  if (!(ms <= MAX_DURATION_MS)) {
    throw new UsageError(
      `duration ${JSON.stringify(text)} for --${flag} is too long`,
      `at most ${Math.floor(MAX_DURATION_MS / 3_600_000)}h`,
    );
  }
  return ms;
}
