// Typed readers for loosely typed JSON (custom resources, annotations): each gives the
// expected type or nothing, and a path walk gives `unknown`, never `any`, so callers
// must narrow what they read. Pure.

/** The value at a path of nested objects, or undefined when a step is not an object. */
export function field(o: unknown, ...path: readonly string[]): unknown {
  let v: unknown = o;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function asInteger(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** An array's items (null and undefined dropped); [] for anything else. */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v.filter((x) => x !== null && x !== undefined) : [];
}

/** The strings of an array; others dropped. */
export function asStrings(v: unknown): string[] {
  return asArray(v).filter((x): x is string => typeof x === 'string');
}

/** A string-to-string map (labels, annotations); other values dropped. */
export function asStringMap(v: unknown): Record<string, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
}

/** Comma-separated list, trimmed, empty parts dropped. */
export function commaList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
