// Pretty JSON (as JSON.stringify(value, null, 2) writes it) in pieces, for documents too
// big for one string: `probe bgp -o json` of 3 million prefixes is about 1 GB, and V8
// cannot hold a string that long ("Invalid string length"). Plain data only (what the
// commands print): objects, arrays, strings, numbers, booleans and null.

// A value of at most this many members and items (counted through every level) is
// written by one JSON.stringify call: walking millions of small values (routes) through
// nested generators one token at a time is ten times slower than stringifying each.
const SMALL = 4096;

/** Whether `value` holds at most `budget` members and items in all; stops counting past it. */
function isSmall(value: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    const children = Array.isArray(v) ? v : Object.values(v);
    left -= children.length;
    if (left < 0) return false;
    for (const c of children) if (c !== null && typeof c === 'object') stack.push(c);
  }
  return true;
}

/**
 * The JSON text of `value` in pieces whose concatenation equals JSON.stringify(value, null, 2).
 * Values of at most `small` members and items come as one piece (tests pass 0 to walk everything).
 */
export function* jsonChunks(value: unknown, indent = '', small = SMALL): Generator<string> {
  if (value === null || typeof value !== 'object' || (value as { toJSON?: unknown }).toJSON !== undefined) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (isSmall(value, small)) {
    // JSON escapes line breaks inside strings, so every newline of the text is a line of the layout.
    const text = JSON.stringify(value, null, 2);
    yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
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
      else yield* jsonChunks(v, inner, small);
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
    yield* jsonChunks(v, inner, small);
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
