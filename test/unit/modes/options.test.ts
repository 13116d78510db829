// The options alone, checked before any request: address pools that cannot be right
// (whole address space, loopback, multicast, broadcast, link-local, unspecified) and
// values of the mode's flags.
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { parseAddressEntry, UNUSABLE_BLOCKS, unusableReason } from '../../../src/discover/ip.js';
import { type ExposeOptions, optionProblems } from '../../../src/modes/index.js';

const l2 = (o: Partial<ExposeOptions>): ExposeOptions => ({ mode: 'l2', ...o });

describe('address pools that cannot be right', () => {
  it.each([
    [
      '0.0.0.0/0',
      /includes unspecified 0\.0\.0\.0\/8, loopback 127\.0\.0\.0\/8, link-local 169\.254\.0\.0\/16, multicast 224\.0\.0\.0\/4, broadcast 255\.255\.255\.255\/32/,
    ],
    ['::/0', /includes unspecified ::\/128, loopback ::1\/128, link-local fe80::\/10, multicast ff00::\/8/],
    ['127.0.0.1', /loopback 127\.0\.0\.0\/8/],
    ['127.0.0.0/8', /loopback/],
    ['126.255.255.250-128.0.0.5', /loopback 127\.0\.0\.0\/8/], // a range around the block, its ends outside it
    ['224.0.0.0/24', /multicast 224\.0\.0\.0\/4/],
    ['239.255.255.255', /multicast/],
    ['255.255.255.255', /broadcast 255\.255\.255\.255\/32/],
    ['255.255.255.0/24', /multicast|broadcast/],
    ['169.254.10.0/24', /link-local 169\.254\.0\.0\/16/],
    ['0.0.0.0', /unspecified/],
    ['::1', /loopback ::1\/128/],
    ['::/127', /unspecified ::\/128, loopback ::1\/128/],
    ['ff02::1', /multicast ff00::\/8/],
    ['fe80::/64', /link-local fe80::\/10/],
    ['febf:ffff::1-fec0::1', /link-local/],
  ])('--addresses %s is refused', (entry, why) => {
    const problems = optionProblems(l2({ addresses: [entry] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe('addresses');
    expect(problems[0]!.message).toMatch(why);
    expect(problems[0]!.message).toMatch(/: no client can reach a Service there$/);
    expect(optionProblems({ ...l2({ addresses: [entry] }), mode: 'bgp' })).toEqual(problems);
  });

  it.each([
    '198.51.100.0/24',
    '203.0.113.10-203.0.113.20',
    '192.0.2.7',
    '10.0.0.0/8',
    '2001:db8::/120',
    '2001:db8::5',
    '1.0.0.0-126.255.255.255',
    '128.0.0.0-169.253.255.255',
  ])('--addresses %s is fine', (entry) => {
    expect(optionProblems(l2({ addresses: [entry] }))).toEqual([]);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['224.0.0.5', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['169.254.1.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['ff02::1', 'multicast'],
    ['fe80::1', 'link-local'],
  ])('--ip %s is refused as %s', (ip, word) => {
    expect(optionProblems(l2({ ip }))).toEqual([
      { field: 'ip', message: `${ip} is a ${word} address: no client can reach a Service there` },
    ]);
  });

  it('the blocks are the ones ipaddr.js range() names so (first and last address of each)', () => {
    for (const b of UNUSABLE_BLOCKS) {
      const [first, last] = [
        ipaddr.parseCIDR(b.cidr)[0],
        ipaddr.IPv4.isValidCIDR(b.cidr)
          ? ipaddr.IPv4.broadcastAddressFromCIDR(b.cidr)
          : ipaddr.IPv6.broadcastAddressFromCIDR(b.cidr),
      ];
      expect([first.range(), last.range()], b.cidr).toEqual([b.name, b.name]);
      expect(unusableReason(parseAddressEntry(b.cidr) as never)).toMatch(
        new RegExp(b.cidr.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')),
      );
    }
  });
});

describe('other option values, before any request', () => {
  it('names each wrong flag, for its mode only', () => {
    expect(
      optionProblems({ mode: 'bgp', peer: '192.0.2.300', peerASN: 0, communities: ['70000:1'], localPref: -1 })
        .map((p) => p.field)
        .sort(),
    ).toEqual(['communities', 'localPref', 'peer', 'peerASN']);
    expect(
      optionProblems(l2({ interfaces: ['eth 0'], nodeSelectors: [{}], pool: 'p', addresses: ['198.51.100.0/24'] }))
        .map((p) => p.field)
        .sort(),
    ).toEqual(['interfaces', 'nodeSelectors', 'pool']);
    expect(
      optionProblems({ mode: 'nodeport', addresses: ['0.0.0.0/0'], stickyTimeout: 5 }).map((p) => p.message),
    ).toEqual(['--sticky-timeout needs --sticky', '--addresses does not apply to mode nodeport (only l2, bgp)']);
    expect(optionProblems(l2({ addresses: ['198.51.100.0/24', '198.51.100.128/25'] }))).toEqual([
      { field: 'addresses', message: '198.51.100.0/24 overlaps 198.51.100.128/25' },
    ]);
  });
});
