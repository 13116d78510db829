// `probe bgp` text output in pieces: the same lines renderTable would make, escaped, and a
// full table of 3 million prefixes printed completely without ever building one string.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/finding.js';
import type { BgpObservation } from '../../../src/probes/bgp/index.js';
import { renderBgpObservation } from '../../../src/render/bgp-observation.js';
import { renderTable } from '../../../src/render/table.js';
import { tableLines } from '../../../src/render/table-stream.js';

const HEADERS = ['PREFIX', 'NEXT-HOP', 'AS-PATH', 'COMMUNITIES'];

describe('tableLines', () => {
  it('is renderTable line by line, for any cells (wide, empty, non-ASCII, control characters)', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.constantFrom('\x1b[31m', 'a\nb', '\u202e'),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { maxLength: 8 }), (rows) => {
        const indented = renderTable(HEADERS, rows)
          .split('\n')
          .slice(0, -1)
          .map((l) => `  ${l}\n`)
          .join('');
        expect([...tableLines(HEADERS, rows, (r) => r, '  ')].join('')).toBe(indented);
        expect([...tableLines(HEADERS, rows, (r) => r)].join('')).toBe(renderTable(HEADERS, rows));
      }),
      { numRuns: 300 },
    );
  });
});

function observation(routes: BgpObservation['peers'][number]['routes'], address = '192.0.2.2'): BgpObservation {
  return {
    peers: [{ address, remoteAs: 65001, state: 'Established', expected: true, routes }],
    rejected: [],
  } as unknown as BgpObservation;
}

describe('renderBgpObservation', () => {
  it('peers, routes as a table, refusals and findings; text from the wire escaped', () => {
    const o = observation(
      [
        {
          prefix: '198.51.100.0/24',
          nextHop: '192.0.2.2',
          asPath: '65001 65100',
          communities: ['65001:100'],
          largeCommunities: ['65001:1:2'],
        },
        { prefix: '2001:db8::/32', nextHop: '2001:db8::2', asPath: '', communities: [], largeCommunities: [] },
      ] as never,
      '192.0.2.2\x1b[2J',
    );
    (o as { rejected: unknown[] }).rejected = [{ address: '203.0.113.9', reason: 'not a --peer\n' }];
    const f: Finding = {
      code: 'bgp/session-down',
      severity: 'error',
      check: 'bgp',
      subject: { kind: 'BGPPeer', namespace: null, name: 'p1' },
      message: 'down',
      fix: 'check it',
    } as Finding;
    expect([...renderBgpObservation(o, [f])].join('')).toBe(
      [
        'Peer 192.0.2.2\\x1b[2J AS 65001: Established, 2 route(s)',
        '  PREFIX            NEXT-HOP      AS-PATH       COMMUNITIES',
        '  198.51.100.0/24   192.0.2.2     65001 65100   65001:100 65001:1:2',
        '  2001:db8::/32     2001:db8::2   <none>        <none>',
        'Refused 203.0.113.9: not a --peer\\n',
        '',
        'Findings:',
        '  error   bgp/session-down BGPPeer p1',
        '    down',
        '    fix: check it',
        '',
      ].join('\n'),
    );
  });

  it('no peer', () => {
    expect([...renderBgpObservation({ peers: [], rejected: [] } as unknown as BgpObservation, [])].join('')).toBe(
      'No BGP peer connected.\n',
    );
  });
});

/** A full garbage collection, so heapUsed counts what is still held (Node's documented --expose-gc, set at run time). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('probe bgp text of 3 million prefixes', () => {
  it('prints every route, in pieces of about 1 MiB, with memory bounded by a piece', () => {
    const COUNT = 3_000_000;
    const communities = ['65001:100'];
    const none: string[] = [];
    const routes = Array.from({ length: COUNT }, (_, i) => ({
      family: 'ipv4',
      prefix: `${10 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.0/24`,
      nextHop: '192.0.2.2',
      asPath: '65001 65100',
      communities,
      largeCommunities: none,
    }));
    const o = observation(routes as never);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    let lines = 0;
    let length = 0;
    let biggest = 0;
    let peakGrowth = 0;
    let last = '';
    let pieces = 0;
    for (const piece of renderBgpObservation(o, [])) {
      pieces++;
      biggest = Math.max(biggest, piece.length);
      length += piece.length;
      for (let at = piece.indexOf('\n'); at >= 0; at = piece.indexOf('\n', at + 1)) lines++;
      if (pieces % 20 === 0) {
        collectGarbage();
        peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - before);
      }
      last = piece;
    }
    expect(lines).toBe(COUNT + 2); // the peer line, the header, one line per route
    expect(biggest).toBeLessThan((1 << 20) + 200); // a piece is 1 MiB and the line that crossed it
    expect(pieces).toBeGreaterThan(100);
    expect(length).toBeGreaterThan(150_000_000);
    // One string of the whole text would be over 150 MB: the pieces come and go (a few MiB held).
    expect(peakGrowth).toBeLessThan(20_000_000);
    expect(last.endsWith(`  ${routes[COUNT - 1]!.prefix}   192.0.2.2   65001 65100   65001:100\n`)).toBe(true);
  }, 600_000);
});
