import { describe, expect, test } from 'vitest';
import { decodeDocuments } from '../../../src/sources/documents.js';
import { JsonStreamError, parseJsonStream } from '../../../src/sources/json-stream.js';
import { UsageError } from '../../../src/util/errors.js';

describe('parseJsonStream', () => {
  test('values with braces and escaped quotes inside strings', () => {
    const text = '{"a":"}{","b":"\\"{"}\n  [1,{"c":"]"}]{"d":{}}';
    expect(parseJsonStream(text)).toEqual([
      { value: { a: '}{', b: '"{' }, offset: 0 },
      { value: [1, { c: ']' }], offset: 23 },
      { value: { d: {} }, offset: 36 },
    ]);
  });

  test('errors carry the offset of the problem', () => {
    expect(() => parseJsonStream('{"a":1}\n{"b":}')).toThrow(JsonStreamError);
    // V8 does not always say where: then the offset is where the bad value starts.
    try {
      parseJsonStream('{"a":1}\n{"b":}');
    } catch (e) {
      expect((e as JsonStreamError).offset).toBeGreaterThanOrEqual(8);
    }
    expect(() => parseJsonStream('{"a":1')).toThrow(/unexpected end/);
    expect(() => parseJsonStream('{"a":1} x')).toThrow(/expected "\{" or "\["/);
  });
});

describe('decodeDocuments', () => {
  test('lines of documents and of List items', () => {
    const docs = decodeDocuments('# c\n---\na: 1\n---\nkind: List\nitems:\n  - x: 1\n  -\n    y: 2\n', 'f.yaml');
    expect(docs).toEqual([
      { value: { a: 1 }, line: 3 },
      { value: { kind: 'List', items: [{ x: 1 }, { y: 2 }] }, line: 5, itemLines: [7, 9] },
    ]);
  });

  test('JSON is read with JSON.parse: the lines of the List and of each item, as the YAML parser gives them', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { note: 'items: [ "}" ]', nested: { items: [1, 2] } },
      items: [{ kind: 'Service', metadata: { name: 'a"b' } }, 'scalar', [1, [2]], { items: [{ deep: true }] }, null],
    };
    const text = `\n${JSON.stringify(list, null, 2)}\n`;
    const lines = text.split('\n');
    // An item starts on the line after the one holding its predecessor's end: find each by its first line.
    const lineOf = (prefix: string, after = 0) => lines.findIndex((l, i) => i >= after && l.startsWith(prefix)) + 1;
    const itemsLine = lineOf('  "items": [');
    const first = lineOf('    {', itemsLine);
    expect(decodeDocuments(text, 'list.json')).toEqual([
      {
        value: list,
        line: 2,
        itemLines: [
          first,
          lineOf('    "scalar"', itemsLine),
          lineOf('    [', itemsLine),
          lineOf('    {', first),
          lineOf('    null', itemsLine),
        ],
      },
    ]);
    // Compact JSON: everything on one line.
    expect(decodeDocuments(JSON.stringify(list), 'list.json')).toEqual([
      { value: list, line: 1, itemLines: [1, 1, 1, 1, 1] },
    ]);
    // An empty List, and objects whose "items" is not an array, have no item lines.
    expect(decodeDocuments('{"kind":"List","items":[]}', 'f')).toEqual([
      { value: { kind: 'List', items: [] }, line: 1, itemLines: [] },
    ]);
    expect(decodeDocuments('{"items":{"a":[1]}}', 'f')).toEqual([{ value: { items: { a: [1] } }, line: 1 }]);
  });

  test("a stream of JSON values keeps each value's line; JSON-looking YAML still goes through the YAML parser", () => {
    expect(decodeDocuments('{"a":1}\n\n{"b":\n 2}\n[3]', 'f.json')).toEqual([
      { value: { a: 1 }, line: 1 },
      { value: { b: 2 }, line: 3 },
      { value: [3], line: 5 },
    ]);
    expect(decodeDocuments('{a: 1, b: [x, y]}\n', 'f.yaml')).toEqual([{ value: { a: 1, b: ['x', 'y'] }, line: 1 }]);
    expect(decodeDocuments('{"a": 1}\n---\nb: 2\n', 'f.yaml')).toEqual([
      { value: { a: 1 }, line: 1 },
      { value: { b: 2 }, line: 3 },
    ]);
  });

  test('empty input, comments only, and bare document markers give nothing', () => {
    expect(decodeDocuments('', 'f')).toEqual([]);
    expect(decodeDocuments('# nothing\n', 'f')).toEqual([]);
    expect(decodeDocuments('---\n---\n...\n', 'f')).toEqual([]);
  });

  test('duplicate keys are accepted (last wins), as kubectl does', () => {
    expect(decodeDocuments('a: 1\na: 2\n', 'f')[0]?.value).toEqual({ a: 2 });
  });

  test('errors are one line: file:line:col: message', () => {
    try {
      decodeDocuments('a: 1\nb: [\n', 'x.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as Error).message).toMatch(/^x\.yaml:\d+:\d+: invalid YAML: [^\n]+$/);
    }
  });
});
