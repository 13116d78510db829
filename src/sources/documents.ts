// Decodes the text of one manifest input into its documents: multi-document YAML
// (block or flow style), JSON (which is YAML), or a stream of concatenated JSON
// values. Each document keeps the line where it starts. Malformed input is a
// UsageError `file:line:col: message` (exit 2).
//
// Input that is JSON is read with JSON.parse: the YAML parser builds a node for every
// scalar and took seconds for the 5.8 MB `kubectl get -o json` of a 1,000-Service cluster.
// Anything JSON.parse refuses goes through the YAML parser, whose messages say more.
import { type Document, type EmptyStream, isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { UsageError } from '../util/errors.js';
import { JsonStreamError, parseJsonStream } from './json-stream.js';
import { MAX_YAML_LENGTH, yamlTooLarge } from './limits.js';

/**
 * At most this many alias nodes may be resolved per document (the `yaml` package's
 * defence against "billion laughs" alias bombs). Kubernetes manifests rarely use
 * anchors at all; 100 is the library's own default.
 */
export const MAX_ALIAS_COUNT = 100;

export { MAX_YAML_LENGTH } from './limits.js';

export interface DecodedDocument {
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** For a document with an `items` sequence (a List), the 1-based line of each item. */
  itemLines?: Array<number | undefined>;
}

export function decodeDocuments(text: string, file: string): DecodedDocument[] {
  if (looksLikeJson(text)) {
    const json = decodeJson(text);
    if (json) return json;
  }
  if (text.length > MAX_YAML_LENGTH) {
    if (looksLikeJson(text)) throw jsonError(text, file, parseJsonStreamError(text));
    throw yamlTooLarge(file, `${(text.length / 2 ** 20).toFixed(1)} MiB`);
  }
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[] | EmptyStream;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, merge: true, prettyErrors: true });
  } catch (err) {
    // The parser recurses: nesting thousands of levels deep can exhaust the stack.
    if (err instanceof RangeError)
      throw new UsageError(`${file}: invalid YAML: ${conciseMessage(err.message)}`, undefined, { cause: err });
    throw err;
  }
  const lineAt = (offset: number) => lineCounter.linePos(offset);

  const firstError = docs.flatMap((d) => d.errors)[0];
  if (firstError) {
    if (looksLikeJson(text)) {
      try {
        return parseJsonStream(text).map(({ value, offset }) => ({ value, line: lineAt(offset).line }));
      } catch (err) {
        if (err instanceof JsonStreamError && /\.json$/i.test(file)) throw jsonError(text, file, err);
        // Otherwise the YAML error below says more.
      }
    }
    const pos = firstError.linePos?.[0] ?? lineAt(firstError.pos[0]);
    throw new UsageError(
      `${file}:${pos.line}:${pos.col}: invalid YAML: ${conciseMessage(firstError.message)}`,
      undefined,
      { cause: firstError },
    );
  }

  const out: DecodedDocument[] = [];
  for (const doc of docs) {
    const contents = doc.contents;
    if (contents == null) continue; // an empty document (or only comments)
    const start = contents.range?.[0] ?? doc.range[0];
    const line = lineAt(start).line;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const message = /Excessive alias count/.test((err as Error).message)
        ? `too many YAML aliases (more than ${MAX_ALIAS_COUNT} resolved): refusing a possible alias bomb`
        : conciseMessage((err as Error).message);
      throw new UsageError(`${file}:${line}:1: invalid YAML: ${message}`, undefined, { cause: err });
    }
    if (value === null || value === undefined) continue; // `---` followed by nothing is an empty document too
    let itemLines: Array<number | undefined> | undefined;
    if (isMap(contents)) {
      const items = contents.get('items', true);
      if (isSeq(items))
        itemLines = items.items.map((node) =>
          node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)
            ? lineAt(node.range[0] as number).line
            : undefined,
        );
    }
    out.push(itemLines ? { value, line, itemLines } : { value, line });
  }
  return out;
}

/** JSON values with their lines, or null when the text is not a clean stream of JSON values. */
function decodeJson(text: string): DecodedDocument[] | null {
  let values: ReturnType<typeof parseJsonStream>;
  try {
    values = parseJsonStream(text);
  } catch (err) {
    if (err instanceof JsonStreamError) return null;
    throw err;
  }
  const lineOf = lineIndex(text);
  return values.map(({ value, offset, itemOffsets }) =>
    itemOffsets ? { value, line: lineOf(offset), itemLines: itemOffsets.map(lineOf) } : { value, line: lineOf(offset) },
  );
}

/** offset -> 1-based line, by binary search over the offsets where lines start. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function looksLikeJson(text: string): boolean {
  const first = /\S/.exec(text);
  return first !== null && (first[0] === '{' || first[0] === '[');
}

/** The first line of a `yaml` error message, without its own position suffix (the caller prefixes file:line:col). */
function conciseMessage(message: string): string {
  if (/Maximum call stack size exceeded/.test(message))
    return 'nested too deeply (collections inside collections thousands of levels deep)';
  const firstLine = message.split('\n', 1)[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?\s*$/, '').trim();
}

function parseJsonStreamError(text: string): JsonStreamError {
  try {
    parseJsonStream(text);
  } catch (err) {
    if (err instanceof JsonStreamError) return err;
    throw err;
  }
  return new JsonStreamError('invalid JSON', 0);
}

function jsonError(text: string, file: string, err: JsonStreamError): UsageError {
  const before = text.slice(0, err.offset);
  const line = before.split('\n').length;
  const col = err.offset - before.lastIndexOf('\n');
  return new UsageError(`${file}:${line}:${col}: invalid JSON: ${err.message}`, undefined, { cause: err });
}
