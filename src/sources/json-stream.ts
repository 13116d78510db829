// A stream of concatenated JSON values (`{...}{...}` or one per line, as `jq -c`
// prints them), which is not YAML but which kubectl accepts; also the fast path for any
// JSON input (JSON.parse is far faster than a YAML parser). Each value is returned with
// the offset where it starts, and a List's items with theirs.

export interface JsonValueAt {
  value: unknown;
  offset: number;
  /** For an object with a top-level "items" array (a List): the offset where each item starts. */
  itemOffsets?: number[];
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t';

export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Splits text into top-level JSON values and parses each; throws JsonStreamError at the first bad one. */
export function parseJsonStream(text: string): JsonValueAt[] {
  const values: JsonValueAt[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    const start = i;
    const open = text[i];
    if (open !== '{' && open !== '[')
      throw new JsonStreamError(`expected "{" or "[" but found ${JSON.stringify(open)}`, i);
    let depth = 0;
    let inString = false;
    // Where the items of a top-level "items" array start: the last key read at depth 1,
    // whether we are in that array (depth 2), and whether a value starts next.
    let keyStart = -1;
    let stringStart = -1;
    let inItems = false;
    let itemExpected = false;
    let itemOffsets: number[] | undefined;
    for (; i < n; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (inItems && depth === 2 && itemExpected && !isSpace(c) && c !== ']') {
        itemOffsets!.push(i);
        itemExpected = false;
      }
      if (c === '"') {
        inString = true;
        stringStart = i;
      } else if (c === ':' && depth === 1) {
        keyStart = stringStart;
      } else if (c === ',' && depth === 2 && inItems) {
        itemExpected = true;
      } else if (c === '{' || c === '[') {
        if (c === '[' && depth === 1 && keyStart >= 0 && text.startsWith('"items"', keyStart)) {
          inItems = true;
          itemExpected = true;
          itemOffsets = [];
        }
        depth++;
      } else if (c === '}' || c === ']') {
        depth--;
        if (depth === 1) inItems = false;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) throw new JsonStreamError('unexpected end of JSON input', start);
    const slice = text.slice(start, i);
    try {
      const value: unknown = JSON.parse(slice);
      values.push(
        itemOffsets && Array.isArray((value as { items?: unknown }).items)
          ? { value, offset: start, itemOffsets }
          : { value, offset: start },
      );
    } catch (err) {
      // V8 messages end with "... in JSON at position N (line L column C)": point at that position.
      const pos = /position (\d+)/.exec((err as Error).message);
      const message = (err as Error).message.replace(/\s*in JSON at position \d+.*$/, '');
      throw new JsonStreamError(message || 'invalid JSON', start + (pos ? Number(pos[1]) : 0));
    }
  }
  return values;
}
