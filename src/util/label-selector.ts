// Kubernetes label selectors as `kubectl -l` reads them (k8s.io/apimachinery/pkg/labels):
// `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>3`, `a<3`, joined by
// commas (all must hold). Neither @kubernetes/client-node nor a maintained npm package
// parses them, so this is a small lexer and parser after apimachinery's, with its checks of
// keys and values; test/unit/util/label-selector.test.ts holds the cases.

export class LabelSelectorError extends Error {}

type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | '>' | '<';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type Labels = Readonly<Record<string, string>>;

type Token = { kind: 'id'; text: string } | { kind: 'sym'; text: string } | { kind: 'end'; text: '' };

const SYMBOLS = ['!=', '==', '!', '=', '(', ')', ',', '>', '<'];
const SPECIAL = new Set(['!', '=', '(', ')', ',', '>', '<']);

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol) {
      tokens.push({ kind: 'sym', text: symbol });
      i += symbol.length;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j]!) && !SPECIAL.has(text[j]!)) j++;
    tokens.push({ kind: 'id', text: text.slice(i, j) });
    i = j;
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const ok =
    NAME.test(name) &&
    name.length <= 63 &&
    (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
  if (!ok)
    throw new LabelSelectorError(
      `invalid label key "${key}": a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, with an optional DNS prefix and '/'`,
    );
}

function checkValue(value: string): void {
  if (value !== '' && !(value.length <= 63 && NAME.test(value))) {
    throw new LabelSelectorError(
      `invalid label value "${value}": at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
}

/** Parses a selector; an empty one selects everything. LabelSelectorError says what is wrong. */
export function parseLabelSelector(text: string): Requirement[] {
  const tokens = lex(text);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const take = () => tokens[pos++]!;
  const found = (t: Token) => (t.kind === 'end' ? 'end of string' : `'${t.text}'`);
  const requirements: Requirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    let t = take();
    if (t.kind === 'sym' && t.text === '!') {
      t = take();
      if (t.kind !== 'id') throw new LabelSelectorError(`found ${found(t)}, expected: identifier`);
      checkKey(t.text);
      requirements.push({ key: t.text, operator: '!', values: [] });
    } else {
      if (t.kind !== 'id')
        throw new LabelSelectorError(`found ${found(t)}, expected: !, identifier, or 'end of string'`);
      const key = t.text;
      checkKey(key);
      const next = peek();
      if (next.kind === 'end' || next.text === ',') {
        requirements.push({ key, operator: 'exists', values: [] });
      } else {
        const op = take();
        const operator =
          op.kind === 'id' && (op.text === 'in' || op.text === 'notin')
            ? op.text
            : op.kind === 'sym' && ['=', '==', '!=', '>', '<'].includes(op.text)
              ? (op.text as Operator)
              : undefined;
        if (!operator) throw new LabelSelectorError(`found ${found(op)}, expected: in, notin, =, ==, !=, gt, lt`);
        const values = operator === 'in' || operator === 'notin' ? parseSet() : [parseExactValue()];
        if (operator === '>' || operator === '<') {
          if (!/^[+-]?\d+$/.test(values[0]!))
            throw new LabelSelectorError(`for 'gt', 'lt' operators, the value must be an integer: "${values[0]}"`);
        } else values.forEach(checkValue);
        requirements.push({ key, operator, values });
      }
    }
    const after = take();
    if (after.kind === 'end') return requirements;
    if (after.text !== ',') throw new LabelSelectorError(`found ${found(after)}, expected: ',' or 'end of string'`);
    if (peek().kind === 'end') throw new LabelSelectorError(`found 'end of string', expected: !, identifier`);
  }

  function parseExactValue(): string {
    const t = peek();
    if (t.kind === 'end' || t.text === ',') return '';
    take();
    if (t.kind !== 'id') throw new LabelSelectorError(`found ${found(t)}, expected: identifier`);
    return t.text;
  }

  function parseSet(): string[] {
    const open = take();
    if (open.text !== '(') throw new LabelSelectorError(`found ${found(open)}, expected: '('`);
    const values: string[] = [];
    for (;;) {
      const t = take();
      if (t.kind === 'id') {
        values.push(t.text);
        const sep = take();
        if (sep.text === ')') break;
        if (sep.text !== ',') throw new LabelSelectorError(`found ${found(sep)}, expected: ',' or ')'`);
      } else if (t.text === ',' || t.text === ')') {
        values.push(''); // an empty value, as in `a in (,x)`
        if (t.text === ')') break;
      } else throw new LabelSelectorError(`found ${found(t)}, expected: ',', ')' or identifier`);
    }
    if (values.length === 1 && values[0] === '')
      throw new LabelSelectorError("for 'in', 'notin' operators, values set can't be empty");
    return values;
  }
}

/** Do the labels satisfy every requirement? */
export function matchesLabels(requirements: readonly Requirement[], labels: Labels): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(labels, key);
    const value = labels[key];
    switch (operator) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'in':
      case '=':
      case '==':
        return has && values.includes(value!);
      case 'notin':
      case '!=':
        return !has || !values.includes(value!);
      case '>':
      case '<': {
        if (!has || !/^[+-]?\d+$/.test(value!)) return false;
        const [a, b] = [BigInt(value!), BigInt(values[0]!)];
        return operator === '>' ? a > b : a < b;
      }
      default:
        return false;
    }
  });
}
