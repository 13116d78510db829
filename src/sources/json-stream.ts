// A stream of concatenated JSON values (`{...}{...}` or one per line, as `jq -c`
// prints them), which is not YAML but which kubectl accepts. Each value is returned
// with the offset where it starts.

export interface JsonValueAt {
  value: unknown;
  offset: number;
}

export class JsonStreamError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Splits text into top-level JSON values and parses each; throws JsonStreamError at the first bad one. */
export function parseJsonStream(text: string): JsonValueAt[] {
  const values: JsonValueAt[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    const open = text[i];
    if (open !== '{' && open !== '[') throw new JsonStreamError(`expected "{" or "[" but found ${JSON.stringify(open)}`, i);
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) { i++; break; }
      }
    }
    if (depth !== 0) throw new JsonStreamError('unexpected end of JSON input', start);
    const slice = text.slice(start, i);
    try {
      values.push({ value: JSON.parse(slice), offset: start });
    } catch (err) {
      // V8 messages end with "... in JSON at position N (line L column C)": point at that position.
      const pos = /position (\d+)/.exec((err as Error).message);
      const message = (err as Error).message.replace(/\s*in JSON at position \d+.*$/, '');
      throw new JsonStreamError(message || 'invalid JSON', start + (pos ? Number(pos[1]) : 0));
    }
  }
  return values;
}
