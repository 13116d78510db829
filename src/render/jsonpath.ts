// kubectl's JSONPath template dialect (k8s.io/client-go/util/jsonpath), as `-o jsonpath=`,
// `-o custom-columns=` and `--sort-by` read it. No npm library speaks it: the JSONPath
// libraries follow RFC 9535 or Goessner's draft, without `{...}` templates, `range`/`end`,
// kubectl's space-separated results or Go's printing of values. This is a port of the
// client-go parser and evaluator, quirks included, with kubectl's option of ignoring
// missing keys; test/unit/render/jsonpath-kubectl.test.ts compares it with kubectl itself.

export class JsonPathError extends Error {}

interface ListNode {
  type: 'list';
  nodes: Node[];
}
interface Param {
  known: boolean;
  value: number;
  derived: boolean;
}
type Node =
  | ListNode
  | { type: 'text'; text: string }
  | { type: 'field'; name: string }
  | { type: 'array'; params: [Param, Param, Param] }
  | { type: 'filter'; left: ListNode; right: ListNode; op: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; nodes: ListNode[] }
  | { type: 'identifier'; name: string };

/** A number that Go holds as float64 (a literal with a point); JSON integers are Go int64. */
class GoFloat {
  constructor(readonly value: number) {}
}
/** A byte of a string (Go indexes strings by byte when a wildcard or `..` walks one). */
class GoByte {
  constructor(readonly value: number) {}
}
type Value = unknown;

const EOF = '';
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const DICT_KEY = /^'([^']*)'$/;
const FILTER = /^([^!<>=]+)([!<>=]+)(.+?)$/;

const isDigit = (r: string) => /^\p{Nd}$/u.test(r);
const isAlphaNumeric = (r: string) => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
const isEndOfLine = (r: string) => r === '\r' || r === '\n';
const isTerminator = (r: string) => r === EOF || r === ' ' || r === '\t' || isEndOfLine(r) || '.,[]$@{}'.includes(r);

class Parser {
  private pos = 0;
  private start = 0;
  private width = 0;
  readonly root: ListNode = { type: 'list', nodes: [] };

  constructor(private readonly input: string) {}

  parse(): ListNode {
    let cur = this.root;
    for (;;) {
      // Text up to the next `{`.
      while (!this.input.startsWith('{', this.pos) && this.next() !== EOF);
      if (this.pos > this.start) this.root.nodes.push({ type: 'text', text: this.consumeText() });
      if (this.pos >= this.input.length) return this.root;
      this.pos += 1;
      this.consumeText();
      cur = { type: 'list', nodes: [] };
      this.root.nodes.push(cur);
      this.parseInsideAction(cur);
    }
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.width = r.length;
    this.pos += r.length;
    return r;
  }

  private peek(): string {
    const r = this.next();
    this.pos -= this.width;
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  /** The tokens of one action, up to its `}`. */
  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consumeText();
        return;
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || isEndOfLine(r)) throw new JsonPathError('unclosed action');
      if (r === ' ' || r === '@' || r === '$')
        this.consumeText(); // the current object (@) or the root ($): nothing to do
      else if (r === '[') this.parseArray(cur);
      else if (r === '"' || r === "'") this.parseQuote(cur, r);
      else if (r === '.') this.parseField(cur);
      else if (r === '+' || r === '-' || isDigit(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else throw new JsonPathError(`unrecognized character in action: ${goRune(r)}`);
    }
  }

  private parseIdentifier(cur: ListNode): void {
    while (!isTerminator(this.next()));
    if (this.width > 0) this.backup();
    const value = this.consumeText();
    cur.nodes.push(
      value === 'true' || value === 'false'
        ? { type: 'bool', value: value === 'true' }
        : { type: 'identifier', name: value },
    );
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes.at(-1)?.type === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    if (isAlphaNumeric(this.peek())) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    const first = this.peek();
    if (first === '+' || first === '-') this.next();
    for (;;) {
      const r = this.next();
      if (r !== '.' && !isDigit(r)) {
        if (this.width > 0) this.backup();
        break;
      }
    }
    const value = this.consumeText();
    const int = goAtoi(value);
    if (int !== undefined) cur.nodes.push({ type: 'int', value: int });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ type: 'float', value: Number(value) });
    else throw new JsonPathError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated array');
      if (r === ']') break;
    }
    let text = this.consumeText().slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      cur.nodes.push({ type: 'union', nodes: parts.map((part) => parseAction(`[${part.replace(/^ +| +$/g, '')}]`)) });
      return;
    }
    const key = DICT_KEY.exec(text);
    if (key) {
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes);
      return;
    }
    const slice = SLICE.exec(text);
    if (!slice) throw new JsonPathError(`invalid array index ${text}`);
    const params: Param[] = [];
    for (let i = 0; i < 3; i++) {
      let v = slice[i + 1] ?? '';
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params.push({ known: false, value: 0, derived: false });
        else {
          const n = goAtoi(v);
          if (n === undefined) throw new JsonPathError(`array index ${v} is not a number`);
          params.push({ known: true, value: n, derived: false });
        }
      } else if (i === 1) params.push({ known: true, value: params[0]!.value + 1, derived: true });
      else params.push({ known: false, value: 0, derived: false });
    }
    cur.nodes.push({ type: 'array', params: params as [Param, Param, Param] });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]');
    const text = this.consumeText().slice(0, -2);
    const m = FILTER.exec(text);
    if (!m)
      cur.nodes.push({ type: 'filter', left: parseAction(text), right: { type: 'list', nodes: [] }, op: 'exists' });
    else cur.nodes.push({ type: 'filter', left: parseAction(m[1]!), right: parseAction(m[3]!), op: m[2]! });
  }

  private parseQuote(cur: ListNode, quote: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated quoted string');
      if (r === quote && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    cur.nodes.push({ type: 'text', text: unquote(value) });
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    for (;;) {
      const r = this.next();
      if (r === '\\') this.next();
      else if (isTerminator(r)) {
        if (this.width > 0) this.backup();
        break;
      }
    }
    const value = this.consumeText();
    cur.nodes.push(value === '*' ? { type: 'wildcard' } : { type: 'field', name: value.replaceAll('\\', '') });
  }
}

/** The one action of `{text}`, as client-go's parseAction. */
function parseAction(text: string): ListNode {
  return new Parser(`{${text}}`).parse().nodes[0] as ListNode;
}

/** Go's strconv.Atoi: an optional sign and decimal digits, within int64. */
function goAtoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return Number(n);
}

function goRune(r: string): string {
  const cp = r.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${r}'`;
}

const HEX_ESCAPES: Record<string, { length: number; digits: RegExp }> = {
  x: { length: 2, digits: /^[0-9a-fA-F]{2}$/ },
  u: { length: 4, digits: /^[0-9a-fA-F]{4}$/ },
  U: { length: 8, digits: /^[0-9a-fA-F]{8}$/ },
};
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Go's strconv.Unquote, for single quotes too (client-go's UnquoteExtend). */
function unquote(quoted: string): string {
  const fail = (): never => {
    throw new JsonPathError(`unquote string ${quoted} error invalid syntax`);
  };
  const quote = quoted[0]!;
  if (quoted.length < 2 || quoted.at(-1) !== quote) fail();
  const s = quoted.slice(1, -1);
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === quote) fail();
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) return fail();
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
      continue;
    }
    if (e === "'" || e === '"') {
      if (e !== quote) fail();
      out += e;
      i += 2;
      continue;
    }
    const hex = HEX_ESCAPES[e];
    if (hex !== undefined) {
      const digits = s.slice(i + 2, i + 2 + hex.length);
      if (!hex.digits.test(digits)) fail();
      const cp = parseInt(digits, 16);
      if (e === 'x')
        out += cp < 0x80 ? String.fromCharCode(cp) : '\ufffd'; // a lone byte >= 0x80 is not UTF-8
      else if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) fail();
      else out += String.fromCodePoint(cp);
      i += 2 + hex.length;
      continue;
    }
    if (/[0-7]/.test(e)) {
      const digits = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) fail();
      const b = parseInt(digits, 8);
      out += b < 0x80 ? String.fromCharCode(b) : '\ufffd';
      i += 4;
      continue;
    }
    fail();
  }
  return out;
}

/** A parsed template, run on JSON values as kubectl runs it (missing keys give nothing). */
export class JsonPathTemplate {
  private readonly root: ListNode;
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEnd = -1;

  /** Parses a template; a syntax error is a JsonPathError with client-go's message. */
  constructor(readonly template: string) {
    this.root = new Parser(template).parse();
  }

  /** The results of each node of the template: the values kubectl prints. */
  findResults(data: Value): Value[][] {
    this.beginRange = this.inRange = this.endRange = 0;
    return this.find(data, 0);
  }

  /** The template's output on data, as `kubectl -o jsonpath=` prints it. */
  execute(data: Value): string {
    // A null prints as JSON's null here (client-go's evalToText), as <nil> inside custom-columns (fmt.Sprint).
    return this.findResults(data)
      .map((results) => results.map((r) => (isContainer(r) || r === null ? goJson(r) : goPrint(r))).join(' '))
      .join('');
  }

  // client-go's FindResults: a `range` runs the nodes after it once per result, up to its `end`.
  private find(data: Value, from: number): Value[][] {
    const nodes = this.root.nodes;
    const full: Value[][] = [];
    for (let i = from; i < nodes.length; i++) {
      const results = this.walk([data], nodes[i]!);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEnd = i;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) for (const value of results) full.push(...this.find(value, i + 1));
        else this.find(null, i + 1); // nothing to range over: still find where the range ends
        this.inRange--;
        if (this.lastEnd > i) i = this.lastEnd;
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: Value[], node: Node): Value[] {
    switch (node.type) {
      case 'list':
        return node.nodes.reduce((values, n) => this.walk(values, n), input);
      case 'text':
        return [node.text];
      case 'field':
        return evalField(input, node.name);
      case 'array':
        return evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
        return input.map(() => node.value);
      case 'float':
        return input.map(() => new GoFloat(node.value));
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.flatMap((v) => (v === null || v === undefined ? [] : children(v)));
      case 'recursive':
        return evalRecursive(input);
      case 'union':
        return node.nodes.flatMap((list) => this.walk(input, list));
      case 'identifier':
        if (node.name === 'range') {
          this.beginRange++;
          return input;
        }
        if (node.name === 'end') {
          if (this.inRange === 0) throw new JsonPathError('not in range, nothing to end');
          this.endRange++;
          return [];
        }
        throw new JsonPathError(`unrecognized identifier ${node.name}`);
    }
  }

  private evalFilter(input: Value[], node: Extract<Node, { type: 'filter' }>): Value[] {
    const results: Value[] = [];
    for (const value of input) {
      if (!Array.isArray(value))
        throw new JsonPathError(`${goPrint(value)} is not array or slice and cannot be filtered`);
      for (const item of value) {
        if (node.op === 'exists') {
          let lefts: Value[] = [];
          try {
            lefts = this.walk([item], node.left);
          } catch {
            /* client-go ignores errors here */
          }
          if (lefts.length > 0) results.push(item);
          continue;
        }
        const lefts = this.walk([item], node.left);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
        const rights = this.walk([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
        if (compare(node.op, lefts[0], rights[0])) results.push(item);
      }
    }
    return results;
  }
}

function evalField(input: Value[], name: string): Value[] {
  const results: Value[] = [];
  for (const value of input) {
    if (isObject(value) && Object.hasOwn(value, name)) results.push(value[name]);
  }
  return results; // kubectl allows missing keys: nothing found is no error
}

function evalArray(input: Value[], nodeParams: readonly Param[]): Value[] {
  const result: Value[] = [];
  for (const value of input) {
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) throw new JsonPathError(`${goType(value)} is not array or slice`);
    const params = nodeParams.map((p) => ({ ...p }));
    const [from, to, step] = params as [Param, Param, Param];
    const length = value.length;
    if (!from.known) from.value = 0;
    if (from.value < 0) from.value += length;
    if (!to.known) to.value = length;
    if (to.value < 0 || (to.value === 0 && to.derived)) to.value += length;
    if (to.value === from.value) return result;
    if (from.value >= length || from.value < 0)
      throw new JsonPathError(`array index out of bounds: index ${from.value}, length ${length}`);
    if (to.value > length || to.value < 0)
      throw new JsonPathError(`array index out of bounds: index ${to.value - 1}, length ${length}`);
    if (from.value > to.value)
      throw new JsonPathError(`starting index ${from.value} is greater than ending index ${to.value}`);
    if (step.known && step.value <= 0) throw new JsonPathError('step must be > 0');
    const by = step.known ? step.value : 1;
    const sliced = value.slice(from.value, to.value);
    for (let i = 0; i < sliced.length; i += by) result.push(sliced[i]);
  }
  return result;
}

/** What a wildcard yields: the values of a map (in key order), the items of an array, the bytes of a string. */
function children(value: Value): Value[] {
  if (Array.isArray(value)) return value;
  if (isObject(value))
    return Object.keys(value)
      .sort()
      .map((k) => value[k]);
  if (typeof value === 'string') return [...Buffer.from(value, 'utf8')].map((b) => new GoByte(b));
  return [];
}

function evalRecursive(input: Value[]): Value[] {
  const result: Value[] = [];
  const stack = [...input].reverse();
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || value === undefined) continue;
    const kids = children(value);
    if (kids.length === 0) continue;
    result.push(value);
    stack.push(...[...kids].reverse());
  }
  return result;
}

type BasicKind = 'bool' | 'int' | 'float' | 'string';

function basicKind(v: Value): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoFloat) return 'float';
  if (v instanceof GoByte) return 'int';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  throw new JsonPathError('invalid type for comparison');
}

const scalar = (v: Value) => (v instanceof GoFloat || v instanceof GoByte ? v.value : v) as number | string | boolean;

/** Go text/template's eq, ne, lt, le, gt, ge as client-go's filters use them. */
function compare(op: string, left: Value, right: Value): boolean {
  const k1 = basicKind(left);
  const k2 = basicKind(right);
  if (k1 !== k2) throw new JsonPathError('incompatible types for comparison');
  const a = scalar(left);
  const b = scalar(right);
  const less = () => {
    if (k1 === 'bool') throw new JsonPathError('invalid type for comparison');
    return a < b;
  };
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return less();
    case '<=':
      return less() || a === b;
    case '>':
      return !(less() || a === b);
    case '>=':
      return !less();
    default:
      throw new JsonPathError(`unrecognized filter operator ${op}`);
  }
}

function isObject(v: Value): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat) && !(v instanceof GoByte);
}

function isContainer(v: Value): boolean {
  return Array.isArray(v) || isObject(v);
}

function goType(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoFloat) return 'float64';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return 'map[string]interface {}';
}

/** Go's %v of a float64: shortest digits, with an exponent below 1e-4 and from 1e6 (fmt.Print(1e6) is 1e+06). */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(n);
}

/** A value as Go's fmt.Print shows it (kubectl's text for scalars, custom-columns' for everything). */
export function goPrint(v: Value): string {
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoFloat) return goFloat(v.value);
  if (v instanceof GoByte) return String(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (isObject(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goPrint(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

/** A value as Go's json.Marshal writes it: keys sorted, no spaces, <, > and & escaped. */
export function goJson(v: Value): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof GoFloat || v instanceof GoByte) return goJson(v.value);
  if (typeof v === 'number') {
    const s = JSON.stringify(v);
    return s.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') {
    return JSON.stringify(v).replace(/[<>&\u2028\u2029]|\\[bf]/g, (c) =>
      c === '\\b' ? '\\u0008' : c === '\\f' ? '\\u000c' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${goJson(k)}:${goJson(v[k])}`)
      .join(',')}}`;
  return 'null';
}

/**
 * kubectl's relaxed path for custom-columns and --sort-by: `.a.b`, `a.b`, `{a.b}` and
 * `{.a.b}` all mean `{.a.b}`.
 */
export function relaxedJsonPath(expression: string): string {
  if (expression === '') return expression;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expression);
  if (!m)
    throw new JsonPathError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  return `{.${m[1] ?? m[2]}}`;
}
