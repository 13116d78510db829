// Pretty JSON (as JSON.stringify(value, null, 2) writes it) in pieces, for documents too
// big for one string: `probe bgp -o json` of 3 million prefixes is about 1 GB, and V8
// cannot hold a string that long ("Invalid string length"). Plain data only (what the
// commands print): objects, arrays, strings, numbers, booleans and null.

/** The JSON text of `value` in pieces whose concatenation equals JSON.stringify(value, null, 2). */
export function* jsonChunks(value: unknown, indent = ''): Generator<string> {
  if (value === null || typeof value !== 'object' || (value as { toJSON?: unknown }).toJSON !== undefined) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return yield '[]';
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      const v: unknown = value[i];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') yield 'null';
      else yield* jsonChunks(v, inner);
    }
    return yield `\n${indent}]`;
  }
  const entries = Object.entries(value).filter(
    ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
  );
  if (entries.length === 0) return yield '{}';
  yield '{';
  let first = true;
  for (const [k, v] of entries) {
    yield `${first ? '' : ','}\n${inner}${JSON.stringify(k)}: `;
    first = false;
    yield* jsonChunks(v, inner);
  }
  yield `\n${indent}}`;
}

/** Joins the pieces into strings of about `size` characters, for few large writes. */
export function* batched(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let buffer = '';
  for (const c of chunks) {
    buffer += c;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}
