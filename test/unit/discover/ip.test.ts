import { describe, expect, it } from 'vitest';
import { anyRangeContains, parseAddress, parseRange, rangeContains } from '../../../src/discover/ip.js';

describe('address ranges', () => {
  it.each([
    ['192.168.10.0/24', '192.168.10.0', true],
    ['192.168.10.0/24', '192.168.10.255', true],
    ['192.168.10.0/24', '192.168.11.0', false],
    ['192.168.10.7/24', '192.168.10.1', true], // host bits in the CIDR are ignored
    ['192.168.9.1-192.168.9.5', '192.168.9.5', true],
    ['192.168.9.1-192.168.9.5', '192.168.9.6', false],
    ['192.168.9.1 - 192.168.9.5', '192.168.9.3', true], // MetalLB allows spaces
    ['fc00:f853:0ccd:e799::/124', 'fc00:f853:ccd:e799::f', true],
    ['fc00:f853:0ccd:e799::/124', 'fc00:f853:ccd:e799::10', false],
    ['2004::0/64', '2004::1234', true],
    ['2004::0/64', '20.0.10.1', false], // families never mix
    ['20.0.10.0/24', '2004::1', false],
    ['10.0.0.5', '10.0.0.5', true],
    ['10.0.0.5/32', '10.0.0.6', false],
    ['::ffff:10.0.0.0/120', '10.0.0.9', true], // IPv4-mapped prefix covers IPv4
    ['fd00::1-fd00::ff', 'fd00::80', true],
  ])('%s contains %s: %s', (range, addr, expected) => {
    const r = parseRange(range);
    expect(r).toBeDefined();
    expect(rangeContains(r!, addr)).toBe(expected);
  });

  // Addresses are read as the controllers read them (Go's net.ParseIP): four-part decimal IPv4 only.
  it.each([
    '',
    'nonsense',
    '10.0.0.9-10.0.0.1',
    '10.0.0.1-fd00::1',
    '10.0.0.0/33',
    '300.1.1.1',
    '10.1',
    '0x0a.0.0.1',
    '10.0.0.1/x',
  ])('rejects %j', (text) => {
    expect(parseRange(text)).toBeUndefined();
  });

  it('parses addresses of both families and ignores hostnames', () => {
    expect(parseAddress('10.0.0.1')?.family).toBe(4);
    expect(parseAddress('2001:db8::1')?.family).toBe(6);
    expect(parseAddress('::ffff:10.0.0.1')?.family).toBe(4);
    expect(parseAddress('example.com')).toBeUndefined();
  });

  it('anyRangeContains skips malformed entries', () => {
    expect(anyRangeContains(['junk', '10.0.0.0/8'], '10.2.3.4')).toBe(true);
    expect(anyRangeContains(['junk'], '10.2.3.4')).toBe(false);
  });
});
