// The list's kubectl-style formats that need no kubectl to check: names, custom columns,
// --sort-by's natural order, the -o parser and the cut of long address lists.
import { describe, expect, it } from 'vitest';
import type { Exposure } from '../../../src/model/exposure.js';
import { parseCustomColumns, renderCustomColumns } from '../../../src/render/custom-columns.js';
import { renderExposureNames } from '../../../src/render/exposure-names.js';
import { formatAddresses, renderExposureTable } from '../../../src/render/exposure-table.js';
import {
  goFloat,
  goJson,
  goPrint,
  JsonPathError,
  JsonPathTemplate,
  relaxedJsonPath,
} from '../../../src/render/jsonpath.js';
import { parseListFormat } from '../../../src/render/list-format.js';
import { naturalLess, parseSortBy, sortByJsonPath } from '../../../src/render/sort-by.js';
import { UsageError } from '../../../src/util/errors.js';

function exposure(over: Partial<Exposure>): Exposure {
  return {
    namespace: 'shop',
    name: 'web',
    kind: 'Service',
    service: { namespace: 'shop', name: 'web' },
    mode: 'l2',
    implementation: 'metallb',
    addresses: ['198.51.100.10'],
    ports: [{ port: 80, protocol: 'TCP' }],
    endpoints: { ready: 1, total: 1 },
    sourceIP: 'preserved',
    status: 'ready',
    ...over,
  };
}

describe('-o name', () => {
  it('prints kind/name once per object, without namespace, as kubectl', () => {
    const items = [
      exposure({ mode: 'l2' }),
      exposure({ mode: 'externalip' }), // one Service, two rows
      exposure({ namespace: 'other' }),
      exposure({ kind: 'HTTPRoute', name: 'storefront' }),
    ];
    expect(renderExposureNames(items)).toBe('service/web\nservice/web\nhttproute/storefront\n');
    expect(renderExposureNames([])).toBe('');
  });
});

describe('ADDRESSES', () => {
  const many = exposure({ addresses: ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'] });
  it('cuts long lists on a terminal only, as kubectl cuts endpoints', () => {
    expect(formatAddresses(many, 3)).toBe('192.0.2.1,192.0.2.2,192.0.2.3 + 2 more...');
    expect(formatAddresses(many)).toBe('192.0.2.1,192.0.2.2,192.0.2.3,192.0.2.4,192.0.2.5');
    expect(formatAddresses(exposure({ addresses: ['a', 'b', 'c'] }), 3)).toBe('a,b,c');
    const tty = renderExposureTable([many], { tty: true, color: false, columns: 200 });
    expect(tty).toMatch(/192\.0\.2\.3 \+ 2 more\.\.\./);
    expect(renderExposureTable([many], { tty: false, color: false, columns: undefined })).toMatch(/192\.0\.2\.5/);
  });

  it('says <pending> for a LoadBalancer waiting for its address, <none> otherwise', () => {
    expect(formatAddresses(exposure({ addresses: [], status: 'pending' }))).toBe('<pending>');
    for (const mode of ['l2', 'bgp', 'loadbalancer'] as const)
      expect(formatAddresses(exposure({ addresses: [], mode, status: 'unknown' }))).toBe('<pending>');
    expect(formatAddresses(exposure({ addresses: [], mode: 'nodeport', status: 'broken' }))).toBe('<none>');
    expect(formatAddresses(exposure({ addresses: [], kind: 'Ingress', mode: 'ingress', status: 'unknown' }))).toBe(
      '<none>',
    );
  });

  it('--no-headers drops the header line', () => {
    const text = renderExposureTable([exposure({})], { tty: false, color: false, columns: undefined }, false, true);
    expect(text).toBe('shop   service/web   l2    198.51.100.10   80/TCP   1/1   preserved   ready\n');
  });
});

describe('-o custom-columns', () => {
  it('reads kubectl specs: relaxed paths, several values joined, <none> for nothing', () => {
    const columns = parseCustomColumns('NAME:.name,ADDR:addresses[*],SVC:{.service.name},X:.missing,PORTS:.ports');
    const text = renderCustomColumns(columns, [
      exposure({ addresses: ['a', 'b'] }),
      exposure({ name: 'api', service: null }),
    ]);
    expect(text).toBe(
      [
        'NAME   ADDR            SVC      X        PORTS',
        'web    a,b             web      <none>   [map[port:80 protocol:TCP]]',
        'api    198.51.100.10   <none>   <none>   [map[port:80 protocol:TCP]]',
        '',
      ].join('\n'),
    );
  });

  it('pads narrow columns to kubectl tabwriter width (6 with the gap), headers optional', () => {
    const text = renderCustomColumns(parseCustomColumns('A:.mode,B:.name'), [exposure({})], true);
    expect(text).toBe('l2    web\n');
  });

  it.each([
    ['', /no custom columns given/],
    ['NAME', /expected <header>:<json-path-expr>/],
    ['N:{.a}{.b}', /unexpected path string/],
  ])('refuses %j', (spec, message) => {
    expect(() => parseCustomColumns(spec)).toThrow(message);
  });
});

describe('--sort-by', () => {
  it('orders strings naturally, numbers by value, missing values first, ties stable', () => {
    const items = [
      exposure({ name: 'web10' }),
      exposure({ name: 'web2' }),
      exposure({ name: 'api' }),
      exposure({ name: 'web02' }),
    ];
    expect(sortByJsonPath(items, parseSortBy('.name')).map((e) => e.name)).toEqual(['api', 'web2', 'web02', 'web10']);
    const ports = [
      exposure({ name: 'a', ports: [{ port: 8080, protocol: 'TCP' }] }),
      exposure({ name: 'b', ports: [] }),
      exposure({ name: 'c', ports: [{ port: 443, protocol: 'TCP' }] }),
    ];
    expect(sortByJsonPath(ports, parseSortBy('{.ports[*].port}')).map((e) => e.name)).toEqual(['b', 'c', 'a']);
    const same = [exposure({ name: 'x' }), exposure({ name: 'y' })];
    expect(sortByJsonPath(same, parseSortBy('status')).map((e) => e.name)).toEqual(['x', 'y']);
  });

  it('fails when no item has the field, as kubectl', () => {
    expect(() => sortByJsonPath([exposure({})], parseSortBy('.nope'))).toThrow(/couldn't find any field with path/);
  });

  it('naturalLess follows sortorder.NaturalLess', () => {
    expect(naturalLess('a2', 'a10')).toBe(true);
    expect(naturalLess('a10', 'a2')).toBe(false);
    expect(naturalLess('1a', 'a')).toBe(true); // digits before letters
    expect(naturalLess('a01', 'a001')).toBe(true); // fewer leading zeros first
    expect(naturalLess('a', 'ab')).toBe(true);
    expect(naturalLess('same', 'same')).toBe(false);
  });
});

describe('-o values', () => {
  it('reads kubectl forms and refuses the rest with exit 2', () => {
    expect(parseListFormat('name')).toEqual({ kind: 'name' });
    expect(parseListFormat('jsonpath={.items[*].name}').kind).toBe('jsonpath');
    expect(parseListFormat('jsonpath={.a}={.b}').kind).toBe('jsonpath'); // `=` inside the template
    expect(parseListFormat('custom-columns=N:.name').kind).toBe('custom-columns');
    for (const bad of ['xml', 'jsonpath', 'jsonpath=', 'jsonpath={.a', 'custom-columns=', 'custom-columns=N']) {
      expect(() => parseListFormat(bad), bad).toThrow(UsageError);
    }
  });
});

describe('Go printing of values (kubectl prints with Go)', () => {
  it('formats floats as fmt.Print does', () => {
    expect(goFloat(0.5)).toBe('0.5');
    expect(goFloat(123456)).toBe('123456');
    expect(goFloat(1234567.5)).toBe('1.2345675e+06');
    expect(goFloat(1e-5)).toBe('1e-05');
    expect(goFloat(0.0001)).toBe('0.0001');
  });

  it('prints maps as Go does: map[k:v] with sorted keys, JSON with escaped <>&', () => {
    expect(goPrint({ b: 1, a: [true, null] })).toBe('map[a:[true <nil>] b:1]');
    expect(goJson({ b: '<&>', a: 1 })).toBe('{"a":1,"b":"\\u003c\\u0026\\u003e"}');
  });

  it('relaxes paths as kubectl does for custom-columns and --sort-by', () => {
    expect(relaxedJsonPath('.a.b')).toBe('{.a.b}');
    expect(relaxedJsonPath('a.b')).toBe('{.a.b}');
    expect(relaxedJsonPath('{a.b}')).toBe('{.a.b}');
    expect(relaxedJsonPath('{.a[0]}')).toBe('{.a[0]}');
    expect(() => relaxedJsonPath('{a}{b}')).toThrow(JsonPathError);
  });

  it('never throws anything but JsonPathError on any template and document (random input)', async () => {
    const fc = (await import('fast-check')).default;
    const piece = fc.constantFrom(
      '{',
      '}',
      '.',
      '..',
      '[',
      ']',
      '*',
      '?(',
      ')',
      '@',
      'a',
      'items',
      '0',
      '-1',
      ':',
      ',',
      '"',
      "'",
      '==',
      'range',
      'end',
      ' ',
      '\\',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.jsonValue(), (parts, doc) => {
        try {
          new JsonPathTemplate(parts.join('')).execute({ items: [doc, { a: doc }], a: doc });
        } catch (error) {
          expect(error).toBeInstanceOf(JsonPathError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
