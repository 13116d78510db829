// The Adj-RIB-In turns UPDATEs into routes without the session: withdrawals, replacement
// by a later UPDATE, RFC 7606 treat-as-withdraw, and multiprotocol (IPv6) prefixes.
import { describe, expect, it } from 'vitest';
import { AdjRibIn } from '../../../../src/probes/bgp/adj-rib-in.js';
import { decodeMessage, encodeMessage } from '../../../../src/probes/bgp/codec.js';
import type { DecodedUpdate } from '../../../../src/probes/bgp/messages.js';

const AT = '2026-12-07T12:00:00.000Z';

function update(fields: Record<string, unknown>): DecodedUpdate {
  return decodeMessage(
    encodeMessage({ type: 'update', withdrawn: [], attributes: {}, nlri: [], ...fields } as never),
  ) as DecodedUpdate;
}

describe('AdjRibIn', () => {
  it('keeps the last announcement of a prefix and drops withdrawn ones', () => {
    const rib = new AdjRibIn();
    rib.apply(
      update({
        attributes: {
          origin: 'igp',
          asPath: [{ type: 'sequence', asns: [65001] }],
          nextHop: '192.0.2.1',
          communities: [(65001 << 16) | 7],
        },
        nlri: ['198.51.100.10/32', '198.51.100.11/32'],
      }),
      true,
      AT,
    );
    rib.apply(
      update({
        attributes: { origin: 'igp', asPath: [{ type: 'sequence', asns: [65002] }], nextHop: '192.0.2.2' },
        nlri: ['198.51.100.11/32'],
      }),
      true,
      AT,
    );
    rib.apply(update({ withdrawn: ['198.51.100.10/32'] }), true, AT);
    expect(rib.size).toBe(1);
    expect(rib.routes()).toEqual([
      expect.objectContaining({
        family: 'ipv4',
        prefix: '198.51.100.11/32',
        nextHop: '192.0.2.2',
        asPath: '65002',
        communities: [],
      }),
    ]);
  });

  it('takes in IPv6 prefixes from MP_REACH_NLRI and reports them, sorted after IPv4', () => {
    const rib = new AdjRibIn();
    const applied = rib.apply(
      update({
        attributes: {
          origin: 'igp',
          asPath: [],
          mpReach: { afi: 2, safi: 1, nextHops: ['2001:db8::1'], nlri: ['2001:db8:10::/64'] },
        },
      }),
      true,
      AT,
    );
    rib.apply(
      update({ attributes: { origin: 'igp', asPath: [], nextHop: '192.0.2.1' }, nlri: ['203.0.113.0/24'] }),
      true,
      AT,
    );
    expect(applied).toEqual({ mpFamily: 'ipv6', mpAnnounced: ['2001:db8:10::/64'], mpWithdrawn: [] });
    expect(rib.routes().map((r) => [r.family, r.prefix, r.nextHop])).toEqual([
      ['ipv4', '203.0.113.0/24', '192.0.2.1'],
      ['ipv6', '2001:db8:10::/64', '2001:db8::1'],
    ]);
  });

  it('hands out copies: a caller that changes a route does not change the table', () => {
    const rib = new AdjRibIn();
    rib.apply(
      update({
        attributes: {
          origin: 'igp',
          asPath: [{ type: 'sequence', asns: [65001] }],
          nextHop: '192.0.2.1',
          communities: [1],
        },
        nlri: ['198.51.100.10/32'],
      }),
      true,
      AT,
    );
    rib.routes()[0]!.communities.push('changed');
    expect(rib.routes()[0]!.communities).toEqual(['0:1']);
  });
});
