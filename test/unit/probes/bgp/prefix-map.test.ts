// The prefix store under the Adj-RIB-In holds IPv4 prefixes by number and everything else by text: checked against
// a plain Map keyed by prefix text over random announce/withdraw sequences, and the numeric
// NLRI reader against the text decoder on random NLRI fields.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePrefixes,
  encodePrefix,
  forEachIpv4Prefix,
  ipv4PrefixesValid,
  ipv4PrefixText,
} from '../../../../src/probes/bgp/address.js';
import { decodeMessage, encodeMessage } from '../../../../src/probes/bgp/codec.js';
import { PrefixMap } from '../../../../src/probes/bgp/prefix-map.js';

const ipv4Prefix = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
  .map(([a, length]) => {
    const masked = length === 0 ? 0 : (a & (-1 << (32 - length))) >>> 0;
    return ipv4PrefixText(masked, length);
  });
const ipv6Prefix = fc.constantFrom('2001:db8::/32', '2001:db8:1::/48', '::/0', '2001:db8::1/128');

function nlriOf(prefixes: string[]): Uint8Array {
  return Uint8Array.from(prefixes.flatMap((p) => [...encodePrefix(p)]));
}

describe('forEachIpv4Prefix', () => {
  it('reads what decodePrefixes reads, by number', () => {
    fc.assert(
      fc.property(fc.array(ipv4Prefix, { maxLength: 40 }), (prefixes) => {
        const field = nlriOf(prefixes);
        expect(ipv4PrefixesValid(field)).toBe(true);
        const seen: string[] = [];
        forEachIpv4Prefix(field, (address, length) => {
          expect(Number.isInteger(address) && address >= -(2 ** 31) && address < 2 ** 31).toBe(true);
          seen.push(ipv4PrefixText(address, length));
        });
        expect(seen).toEqual(decodePrefixes(field, 'ipv4'));
        expect(seen).toEqual(prefixes);
      }),
    );
  });

  it('clears host bits and knows the edges', () => {
    const seen: string[] = [];
    forEachIpv4Prefix(Uint8Array.of(0, 32, 255, 255, 255, 255, 1, 0xff, 24, 198, 51, 100), (a, l) =>
      seen.push(ipv4PrefixText(a, l)),
    );
    expect(seen).toEqual(['0.0.0.0/0', '255.255.255.255/32', '128.0.0.0/1', '198.51.100.0/24']);
  });

  it('finds malformed fields as decodePrefixes does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 30 }), (bytes) => {
        expect(ipv4PrefixesValid(bytes)).toBe(decodePrefixes(bytes, 'ipv4') !== null);
      }),
    );
  });
});

describe('PrefixMap', () => {
  it('holds the same routes as a Map keyed by prefix text, whatever the order of announces and withdrawals', () => {
    const op = fc.record({
      withdraw: fc.boolean(),
      prefix: fc.oneof(ipv4Prefix, ipv6Prefix),
      byNumber: fc.boolean(),
      value: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const rib = new PrefixMap<number>();
        const reference = new Map<string, number>();
        for (const o of ops) {
          const field = o.prefix.includes(':') ? undefined : nlriOf([o.prefix]);
          if (o.withdraw) {
            reference.delete(o.prefix);
            if (field && o.byNumber) forEachIpv4Prefix(field, (a, l) => rib.deleteIpv4(a, l));
            else rib.delete(o.prefix);
          } else {
            reference.set(o.prefix, o.value);
            if (field && o.byNumber) forEachIpv4Prefix(field, (a, l) => rib.setIpv4(a, l, o.value));
            else rib.set(o.prefix, o.value);
          }
        }
        expect(rib.size).toBe(reference.size);
        expect(new Map(rib.entries())).toEqual(reference);
      }),
    );
  });

  it('empties on clear', () => {
    const rib = new PrefixMap<string>();
    rib.set('198.51.100.0/24', 'a');
    rib.set('2001:db8::/32', 'b');
    expect(rib.size).toBe(2);
    rib.clear();
    expect(rib.size).toBe(0);
    expect([...rib.entries()]).toEqual([]);
  });
});

describe('a decoded UPDATE makes its prefixes text only when read', () => {
  it('reads the same prefixes through the fields and as text, and prints them as JSON', () => {
    const bytes = encodeMessage({
      type: 'update',
      withdrawn: ['192.0.2.0/24'],
      attributes: { origin: 'igp', asPath: [{ type: 'sequence', asns: [65001] }], nextHop: '198.51.100.1' },
      nlri: ['203.0.113.0/24', '203.0.113.7/32'],
    });
    const decoded = decodeMessage(bytes);
    if (decoded.type !== 'update') throw new Error(`decoded a ${decoded.type}`);
    expect(decodePrefixes(decoded.withdrawnField, 'ipv4')).toEqual(['192.0.2.0/24']);
    expect(decodePrefixes(decoded.nlriField, 'ipv4')).toEqual(['203.0.113.0/24', '203.0.113.7/32']);
    expect(decoded.nlri).toEqual(['203.0.113.0/24', '203.0.113.7/32']);
    expect(decoded.withdrawn).toEqual(['192.0.2.0/24']);
    expect(JSON.parse(JSON.stringify(decoded))).toMatchObject({
      type: 'update',
      withdrawn: ['192.0.2.0/24'],
      nlri: ['203.0.113.0/24', '203.0.113.7/32'],
    });
  });
});

describe('a full table: 3 million prefixes', () => {
  it('takes in 3 million /24s from NLRI fields, withdraws a third, and reads the rest back as text, in seconds', () => {
    const COUNT = 3_000_000;
    const PER_UPDATE = 1000; // 4 bytes per /24: an UPDATE of 4 KiB
    const prefixBytes = (i: number) => [24, 10 + (i >>> 16), (i >>> 8) & 255, i & 255];
    const fields: Uint8Array[] = [];
    for (let start = 0; start < COUNT; start += PER_UPDATE) {
      const field = new Uint8Array(PER_UPDATE * 4);
      for (let i = 0; i < PER_UPDATE; i++) field.set(prefixBytes(start + i), i * 4);
      fields.push(field);
    }
    const started = performance.now();
    const rib = new PrefixMap<{ update: number }>();
    for (const [update, field] of fields.entries()) {
      forEachIpv4Prefix(field, (address, length) => rib.setIpv4(address, length, { update }));
    }
    expect(rib.size).toBe(COUNT);
    // Withdraw every third prefix (as MP_UNREACH or the withdrawn field would).
    for (let i = 0; i < COUNT; i += 3)
      forEachIpv4Prefix(Uint8Array.from(prefixBytes(i)), (a, l) => rib.deleteIpv4(a, l));
    const left = COUNT - Math.ceil(COUNT / 3);
    expect(rib.size).toBe(left);
    let read = 0;
    let first: [string, { update: number }] | undefined;
    let lastText = '';
    for (const [prefix, entry] of rib.entries()) {
      read++;
      first ??= [prefix, entry];
      lastText = prefix;
    }
    // Prefix 0 was withdrawn; prefix 1 (10.0.1.0/24) came in the first UPDATE. The last one (2,999,999) stays.
    expect(first).toEqual(['10.0.1.0/24', { update: 0 }]);
    const seconds = (performance.now() - started) / 1000;
    expect(read).toBe(left);
    expect(lastText).toBe(`${10 + ((COUNT - 1) >>> 16)}.${((COUNT - 1) >>> 8) & 255}.${(COUNT - 1) & 255}.0/24`);
    expect(seconds).toBeLessThan(30); // about 3 s on a shared core; the bound leaves room for a busy CI machine
  }, 120_000);
});
