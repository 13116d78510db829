// Text that came from a file or the cluster (names, annotations, condition messages) is
// printed with its control characters escaped, so a value can never move the cursor,
// recolour or clear the terminal, hide text, set the window title, or start a new line
// that looks like exposectl's own output. JSON output stays exact; this is for text.

// C0 and C1 controls, DEL, the Unicode line/paragraph separators and the bidirectional
// overrides/isolates (which reorder what is shown, "Trojan Source").
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it removes
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return (
    NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}

/** `text` with every control character written as an escape (`\n`, `\x1b`, `\u202e`): one line, nothing hidden. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** A copy of a plain data value (objects, arrays) with every string passed through terminalText. */
export function terminalSafe<T>(value: T): T {
  if (typeof value === 'string') return terminalText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => terminalSafe(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = terminalSafe(v);
    return out as T;
  }
  return value;
}
