// kubectl's `--sort-by=<jsonpath>`: items ordered by the first value the path finds in
// each, numbers by value, strings in natural order (`web2` before `web10`), items where
// the path finds nothing first; a stable sort, so ties keep their order.
import { JsonPathError, JsonPathTemplate, relaxedJsonPath } from './jsonpath.js';

export function parseSortBy(expression: string): JsonPathTemplate {
  return new JsonPathTemplate(relaxedJsonPath(expression));
}

export function sortByJsonPath<T>(items: readonly T[], path: JsonPathTemplate): T[] {
  const keys = items.map((item) => path.findResults(item)[0]?.[0]);
  if (items.length > 0 && keys.every((k) => k === undefined)) {
    throw new JsonPathError(`couldn't find any field with path "${path.template}" in the list of objects`);
  }
  const order = items.map((_, i) => i);
  order.sort((a, b) => compareKeys(keys[a], keys[b]));
  return order.map((i) => items[i]!);
}

function compareKeys(a: unknown, b: unknown): number {
  const absent = (v: unknown) => v === undefined || v === null;
  if (absent(a) || absent(b)) return absent(a) === absent(b) ? 0 : absent(a) ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new JsonPathError(`field values are not comparable: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Natural order as kubectl's sortorder.NaturalLess: runs of digits compare by value. */
export function naturalLess(s1: string, s2: string): boolean {
  let i = 0;
  let j = 0;
  while (i < s1.length && j < s2.length) {
    const c1 = s1[i]!;
    const c2 = s2[j]!;
    const d1 = isDigit(c1);
    const d2 = isDigit(c2);
    if (d1 !== d2) return d1; // digits sort before other characters
    if (!d1) {
      if (c1 !== c2) return c1 < c2;
      i++;
      j++;
      continue;
    }
    while (s1[i] === '0') i++;
    while (s2[j] === '0') j++;
    const start1 = i;
    const start2 = j;
    while (isDigit(s1[i])) i++;
    while (isDigit(s2[j])) j++;
    const n1 = s1.slice(start1, i);
    const n2 = s2.slice(start2, j);
    if (n1.length !== n2.length) return n1.length < n2.length;
    if (n1 !== n2) return n1 < n2;
    if (start1 !== start2) return start1 < start2; // equal numbers: fewer leading zeros first
  }
  return s1.length < s2.length;
}
