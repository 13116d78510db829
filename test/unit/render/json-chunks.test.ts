// JSON in pieces: the same text as JSON.stringify(value, null, 2), for documents longer
// than the longest string V8 holds (probe bgp -o json of a full table, ~1 GB).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJson, toJsonChunks } from '../../../src/render/json.js';
import { batched, jsonChunks } from '../../../src/render/json-chunks.js';

const joined = (v: unknown, small?: number) => [...jsonChunks(v, '', small)].join('');

describe('jsonChunks', () => {
  // 0: every value walked piece by piece; 3: small values stringified whole inside walked ones.
  it.each([undefined, 0, 3])('equals JSON.stringify(value, null, 2) for any JSON value (small values: %s)', (small) => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(joined(v, small)).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: 500 },
    );
  });

  it('as JSON.stringify: undefined members are left out, undefined array items are null, empty containers stay on one line', () => {
    const v = { a: undefined, b: [undefined, 1, {}], c: [], d: { e: null }, f: 'x\n"y"' };
    expect(joined(v)).toBe(JSON.stringify(v, null, 2));
    expect(joined(v, 0)).toBe(JSON.stringify(v, null, 2));
  });

  it('toJsonChunks is toJson in pieces of about 1 MiB', () => {
    const doc = {
      items: Array.from({ length: 20_000 }, (_, i) => ({ name: `svc-${i}`, ports: [80, 443], note: 'x'.repeat(50) })),
    };
    const pieces = [...toJsonChunks(doc)];
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.slice(0, -1).every((p) => p.length >= 1 << 20)).toBe(true);
    expect(pieces.join('')).toBe(toJson(doc));
  });

  it('batched keeps order and content', () => {
    expect([...batched(['ab', 'cd', 'e'], 3)]).toEqual(['abcd', 'e']);
  });
});

describe('probe bgp -o json of 3 million prefixes', () => {
  it('streams a document longer than any string V8 holds, and every piece is the JSON of the routes in order', () => {
    const COUNT = 3_000_000;
    // One shared attribute object per route, as the session shares one per UPDATE.
    const segments = [{ type: 'sequence', asns: [65001, 65100] }];
    const communities = ['65001:100'];
    const routes = Array.from({ length: COUNT }, (_, i) => ({
      family: 'ipv4',
      prefix: `${10 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.0/24`,
      nextHop: '192.0.2.2',
      asPath: '65001 65100',
      asPathSegments: segments,
      communities,
      largeCommunities: [],
      receivedAt: '2026-12-07T05:00:00.000Z',
    }));
    const observation = {
      apiVersion: 'exposectl.dev/v1alpha1',
      kind: 'BgpObservation',
      peers: [{ address: '192.0.2.2', routes }],
      findings: [],
    };
    expect(() => JSON.stringify(observation, null, 2)).toThrow(/Invalid string length/);
    let length = 0;
    let prefixes = 0;
    let last = '';
    const MARK = '"prefix": "';
    for (const piece of toJsonChunks(observation)) {
      length += piece.length;
      // A mark may straddle two pieces: look at the previous piece's end too (too short to hold a whole mark).
      prefixes += `${last.slice(-(MARK.length - 1))}${piece}`.split(MARK).length - 1;
      last = piece;
    }
    expect(prefixes).toBe(COUNT);
    expect(length).toBeGreaterThan(2 ** 29); // longer than V8's longest string
    expect(last.endsWith('  ],\n  "findings": []\n}\n')).toBe(true);
  }, 600_000);
});
