import { describe, expect, it } from 'vitest';
import {
  type DecodedMessage,
  decodeMessage,
  encodeMessage,
  formatAsPath,
  mergeAsPath,
  shutdownCommunication,
  tryDecodeMessage,
} from '../../../../src/probes/bgp/codec.js';
import { BgpDecodeError } from '../../../../src/probes/bgp/errors.js';
import type { BgpMessage, DecodedUpdate, OpenMessage, UpdateMessage } from '../../../../src/probes/bgp/messages.js';
import { frame, hex, MARKER_HEX, toHex, updateBody } from './helpers.js';

const ORIGIN_IGP = '40 01 01 00';
const AS_PATH4_65001 = '40 02 06 02 01 0000fde9';
const NEXT_HOP_192_0_2_2 = '40 03 04 c0000202';
const NLRI_198_51_100_0_24 = '18 c63364';

function update(bytes: Uint8Array, opts = {}): DecodedUpdate {
  const m = decodeMessage(bytes, opts);
  if (m.type !== 'update') throw new Error(`not an update: ${m.type}`);
  return m;
}

function decodeError(bytes: Uint8Array, opts = {}): BgpDecodeError {
  const r = tryDecodeMessage(bytes, opts);
  if (r.ok) throw new Error(`expected a decode error, got ${JSON.stringify(r.message)}`);
  expect(r.error).toBeInstanceOf(BgpDecodeError);
  return r.error;
}

/** The one non-fatal error an UPDATE carries. */
function updateError(bytes: Uint8Array, opts = {}): { u: DecodedUpdate; e: BgpDecodeError } {
  const u = update(bytes, opts);
  expect(u.errors).toHaveLength(1);
  return { u, e: u.errors[0]! };
}

describe('byte-exact vectors', () => {
  it('KEEPALIVE is the 19-octet header with type 4', () => {
    const bytes = encodeMessage({ type: 'keepalive' });
    expect(toHex(bytes)).toBe(`${MARKER_HEX}001304`);
    expect(decodeMessage(bytes)).toEqual({ type: 'keepalive' });
  });

  it('OPEN with multiprotocol, route refresh and 4-octet AS capabilities', () => {
    const open: OpenMessage = {
      type: 'open',
      version: 4,
      myAs: 65001,
      holdTime: 90,
      bgpId: '192.0.2.2',
      capabilities: [
        { code: 1, kind: 'multiprotocol', afi: 1, safi: 1 },
        { code: 2, kind: 'route-refresh' },
        { code: 65, kind: 'four-octet-as', asn: 65001 },
      ],
    };
    const expected = `${MARKER_HEX} 002d 01 04 fde9 005a c0000202 10 02 0e 01 04 0001 00 01 02 00 41 04 0000fde9`;
    expect(toHex(encodeMessage(open))).toBe(toHex(hex(expected)));
    expect(decodeMessage(hex(expected))).toEqual(open);
  });

  it('OPEN of a 4-octet AS speaker carries AS_TRANS in My AS', () => {
    const bytes = frame(1, '04 5ba0 00b4 c0000203 08 02 06 41 04 fa56ea00');
    const m = decodeMessage(bytes) as OpenMessage;
    expect(m.myAs).toBe(23456);
    expect(m.capabilities).toEqual([{ code: 65, kind: 'four-octet-as', asn: 4200000000 }]);
  });

  it('OPEN with capabilities spread over several optional parameters and graceful restart', () => {
    const bytes = frame(1, '04 fde9 005a c0000202 12 02 06 01 04 0002 00 01 02 08 40 06 8078 0001 0180');
    const m = decodeMessage(bytes) as OpenMessage;
    expect(m.capabilities).toEqual([
      { code: 1, kind: 'multiprotocol', afi: 2, safi: 1 },
      {
        code: 64,
        kind: 'graceful-restart',
        restartFlags: 8,
        restartTime: 120,
        families: [{ afi: 1, safi: 1, flags: 0x80 }],
      },
    ]);
  });

  it('OPEN with RFC 9072 extended optional parameters length', () => {
    const bytes = frame(1, '04 fde9 005a c0000202 ff ff 0009 02 0006 41 04 0000fde9');
    expect((decodeMessage(bytes) as OpenMessage).capabilities).toEqual([
      { code: 65, kind: 'four-octet-as', asn: 65001 },
    ]);
    const bad = tryDecodeMessage(frame(1, '04 fde9 005a c0000202 ff ff 0010 02 0006 41 04 0000fde9'));
    expect(bad.ok ? null : [bad.error.code, bad.error.subcode]).toEqual([2, 0]);
  });

  it('UPDATE with ORIGIN, 4-octet AS_PATH, NEXT_HOP and one IPv4 prefix', () => {
    const msg: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      attributes: { origin: 'igp', asPath: [{ type: 'sequence', asns: [65001] }], nextHop: '192.0.2.2' },
      nlri: ['198.51.100.0/24'],
    };
    const expected = `${MARKER_HEX} 002f 02 0000 0014 ${ORIGIN_IGP} ${AS_PATH4_65001} ${NEXT_HOP_192_0_2_2} ${NLRI_198_51_100_0_24}`;
    expect(toHex(encodeMessage(msg))).toBe(toHex(hex(expected)));
    const u = update(hex(expected));
    expect(u).toMatchObject(msg);
    expect(u.errors).toEqual([]);
    expect(u.treatAsWithdraw).toBe(false);
  });

  it('UPDATE with a 2-octet AS_PATH when 4-octet AS is not negotiated', () => {
    const msg: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      attributes: { origin: 'igp', asPath: [{ type: 'sequence', asns: [65001] }], nextHop: '192.0.2.2' },
      nlri: ['198.51.100.0/24'],
    };
    const expected = `${MARKER_HEX} 002d 02 0000 0012 ${ORIGIN_IGP} 40 02 04 02 01 fde9 ${NEXT_HOP_192_0_2_2} ${NLRI_198_51_100_0_24}`;
    expect(toHex(encodeMessage(msg, { fourOctetAs: false }))).toBe(toHex(hex(expected)));
    expect(update(hex(expected), { fourOctetAs: false })).toMatchObject(msg);
  });

  it('withdrawals only (no attributes are required)', () => {
    const bytes = frame(2, updateBody('20 c6336414 18 cb0071', '', ''));
    expect(update(bytes)).toMatchObject({
      withdrawn: ['198.51.100.20/32', '203.0.113.0/24'],
      nlri: [],
      attributes: {},
    });
  });

  it('communities, large communities, MED, LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR', () => {
    const attrs = [
      ORIGIN_IGP,
      AS_PATH4_65001,
      NEXT_HOP_192_0_2_2,
      '80 04 04 0000000a',
      '40 05 04 00000064',
      '40 06 00',
      'c0 07 08 0000fde9 c0000202',
      'c0 08 08 fde90064 fde900c8',
      'c0 20 0c 0000fde9 00000001 00000002',
    ].join('');
    const u = update(frame(2, updateBody('', attrs, NLRI_198_51_100_0_24)));
    expect(u.errors).toEqual([]);
    expect(u.attributes).toEqual({
      origin: 'igp',
      asPath: [{ type: 'sequence', asns: [65001] }],
      nextHop: '192.0.2.2',
      med: 10,
      localPref: 100,
      atomicAggregate: true,
      aggregator: { asn: 65001, address: '192.0.2.2' },
      communities: [0xfde90064, 0xfde900c8],
      largeCommunities: [[65001, 1, 2]],
    });
    // Re-encoding gives the same bytes (attributes are written in type order).
    expect(toHex(encodeMessage(u))).toBe(toHex(frame(2, updateBody('', attrs, NLRI_198_51_100_0_24))));
  });

  it('MP_REACH_NLRI for IPv6 unicast with a global next hop', () => {
    const mp = '80 0e 1e 0002 01 10 20010db8000000000000000000000002 00 40 20010db800010000';
    const u = update(frame(2, updateBody('', `${ORIGIN_IGP}${AS_PATH4_65001}${mp}`, '')));
    expect(u.errors).toEqual([]);
    expect(u.attributes.mpReach).toEqual({ afi: 2, safi: 1, nextHops: ['2001:db8::2'], nlri: ['2001:db8:1::/64'] });
    expect(u.attributes.nextHop).toBeUndefined();
  });

  it('MP_REACH_NLRI with global and link-local next hops (RFC 2545)', () => {
    const mp =
      '80 0e 36 0002 01 20 20010db8000000000000000000000002 fe800000000000000000000000000002 00 80 20010db8010000000000000000000010';
    const u = update(frame(2, updateBody('', `${ORIGIN_IGP}${AS_PATH4_65001}${mp}`, '')));
    expect(u.attributes.mpReach).toEqual({
      afi: 2,
      safi: 1,
      nextHops: ['2001:db8::2', 'fe80::2'],
      nlri: ['2001:db8:100::10/128'],
    });
  });

  it('MP_UNREACH_NLRI for IPv6 and an empty one (End-of-RIB)', () => {
    const u = update(frame(2, updateBody('', '80 0f 0c 0002 01 40 20010db800010000', '')));
    expect(u.attributes.mpUnreach).toEqual({ afi: 2, safi: 1, withdrawn: ['2001:db8:1::/64'] });
    const eor = update(frame(2, updateBody('', '80 0f 03 0002 01', '')));
    expect(eor.attributes.mpUnreach).toEqual({ afi: 2, safi: 1, withdrawn: [] });
  });

  it('keeps an MP_REACH of an unknown family raw, and unknown optional attributes raw', () => {
    const mp = '80 0e 0b 0001 80 04 c0000202 00 aabb';
    const unknown = 'c0 63 02 abcd';
    const u = update(frame(2, updateBody('', `${ORIGIN_IGP}${AS_PATH4_65001}${mp}${unknown}`, '')));
    expect(u.errors).toEqual([]);
    expect(u.attributes.mpReach).toMatchObject({ afi: 1, safi: 128, nlri: [] });
    expect(toHex(u.attributes.mpReach!.raw!)).toBe('aabb');
    expect(u.attributes.unknown).toEqual([{ flags: 0xc0, type: 0x63, value: hex('abcd') }]);
  });

  it('extended-length attributes are read and written when over 255 octets', () => {
    const communities = Array.from({ length: 70 }, (_, i) => 65001 * 65536 + i);
    const msg: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      attributes: { origin: 'igp', asPath: [{ type: 'sequence', asns: [65001] }], nextHop: '192.0.2.2', communities },
      nlri: ['198.51.100.10/32'],
    };
    const bytes = encodeMessage(msg);
    expect(toHex(bytes)).toContain('d0080118'); // flags with EXTENDED_LENGTH, type 8, length 280
    expect(update(bytes).attributes.communities).toEqual(communities);
  });

  it('NOTIFICATION and ROUTE-REFRESH', () => {
    const n = encodeMessage({ type: 'notification', code: 6, subcode: 2, data: new Uint8Array(0) });
    expect(toHex(n)).toBe(`${MARKER_HEX}00150306 02`.replace(' ', ''));
    const rr = encodeMessage({ type: 'route-refresh', afi: 2, subtype: 0, safi: 1 });
    expect(toHex(rr)).toBe(`${MARKER_HEX}0017050002 0001`.replace(' ', ''));
    expect(decodeMessage(rr)).toEqual({ type: 'route-refresh', afi: 2, subtype: 0, safi: 1 });
  });

  it('reads an RFC 8203 shutdown communication', () => {
    const text = new TextEncoder().encode('maintenance');
    const data = Uint8Array.from([text.length, ...text]);
    const n = decodeMessage(encodeMessage({ type: 'notification', code: 6, subcode: 2, data }));
    expect(n.type).toBe('notification');
    expect(shutdownCommunication(n as Extract<DecodedMessage, { type: 'notification' }>)).toBe('maintenance');
    expect(
      shutdownCommunication({ type: 'notification', code: 6, subcode: 2, data: Uint8Array.of(9, 0x41) }),
    ).toBeUndefined();
  });
});

describe('round trips', () => {
  const cases: BgpMessage[] = [
    { type: 'keepalive' },
    { type: 'notification', code: 3, subcode: 11, data: hex('0102') },
    { type: 'route-refresh', afi: 1, subtype: 0, safi: 1 },
    {
      type: 'open',
      version: 4,
      myAs: 23456,
      holdTime: 0,
      bgpId: '203.0.113.9',
      capabilities: [
        { code: 1, kind: 'multiprotocol', afi: 2, safi: 1 },
        { code: 6, kind: 'extended-message' },
        { code: 65, kind: 'four-octet-as', asn: 4200000001 },
        { code: 64, kind: 'graceful-restart', restartFlags: 0, restartTime: 90, families: [] },
        { code: 73, kind: 'unknown', value: hex('02766d00') },
      ],
    },
    {
      type: 'update',
      withdrawn: ['192.0.2.0/25', '0.0.0.0/0'],
      attributes: {
        origin: 'incomplete',
        asPath: [
          { type: 'sequence', asns: [4200000000, 65001] },
          { type: 'set', asns: [64512, 64513] },
        ],
        nextHop: '192.0.2.9',
        med: 0,
        localPref: 4294967295,
        communities: [0xffffff01],
        largeCommunities: [[4294967295, 0, 7]],
        mpReach: { afi: 2, safi: 1, nextHops: ['2001:db8::9'], nlri: ['2001:db8::/32', '::/0'] },
        mpUnreach: { afi: 2, safi: 1, withdrawn: ['2001:db8:ffff::/48'] },
      },
      nlri: ['198.51.100.128/25', '203.0.113.7/32'],
    },
  ];
  for (const msg of cases) {
    it(`${msg.type}`, () => {
      const decoded = decodeMessage(encodeMessage(msg));
      expect(decoded).toMatchObject(msg as object);
    });
  }

  it('AS_PATH segments longer than 255 ASNs are split on the wire and come back as several', () => {
    const asns = Array.from({ length: 300 }, (_, i) => 64512 + i);
    const msg: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      attributes: { origin: 'igp', asPath: [{ type: 'sequence', asns }], nextHop: '192.0.2.2' },
      nlri: ['192.0.2.0/24'],
    };
    const u = update(encodeMessage(msg));
    expect(u.attributes.asPath!.map((s) => s.asns.length)).toEqual([255, 45]);
    expect(u.attributes.asPath!.flatMap((s) => s.asns)).toEqual(asns);
  });
});

describe('4-octet AS (RFC 6793)', () => {
  it('a 2-octet session carries AS_TRANS in AS_PATH and the real path in AS4_PATH', () => {
    const msg: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      attributes: {
        origin: 'igp',
        asPath: [{ type: 'sequence', asns: [65001, 4200000000] }],
        as4Path: [{ type: 'sequence', asns: [4200000000] }],
        nextHop: '192.0.2.2',
      },
      nlri: ['198.51.100.0/24'],
    };
    const bytes = encodeMessage(msg, { fourOctetAs: false });
    expect(toHex(bytes)).toContain('40020602 02fde95ba0'.replace(' ', '')); // AS_TRANS = 0x5ba0
    expect(toHex(bytes)).toContain('c0110602 01fa56ea00'.replace(' ', ''));
    const u = update(bytes, { fourOctetAs: false });
    expect(u.attributes.asPath).toEqual([{ type: 'sequence', asns: [65001, 23456] }]);
    expect(mergeAsPath(u.attributes.asPath!, u.attributes.as4Path)).toEqual([
      { type: 'sequence', asns: [65001, 4200000000] },
    ]);
  });

  it('merges AS4_PATH with sets and ignores an AS4_PATH longer than AS_PATH', () => {
    const asPath = [
      { type: 'sequence' as const, asns: [65001, 23456, 23456] },
      { type: 'set' as const, asns: [23456, 65003] },
    ];
    const as4 = [
      { type: 'sequence' as const, asns: [4200000000, 4200000001] },
      { type: 'set' as const, asns: [4200000002, 65003] },
    ];
    expect(formatAsPath(mergeAsPath(asPath, as4))).toBe('65001 4200000000 4200000001 {4200000002,65003}');
    expect(mergeAsPath([{ type: 'sequence', asns: [1] }], as4)).toEqual([{ type: 'sequence', asns: [1] }]);
  });

  it('the 2-octet AGGREGATOR is 6 octets, AS4_AGGREGATOR 8', () => {
    const attrs = `${ORIGIN_IGP}40 02 04 02 01 fde9${NEXT_HOP_192_0_2_2}c0 07 06 5ba0 c0000202 c0 12 08 fa56ea00 c0000202`;
    const u = update(frame(2, updateBody('', attrs, NLRI_198_51_100_0_24)), { fourOctetAs: false });
    expect(u.errors).toEqual([]);
    expect(u.attributes.aggregator).toEqual({ asn: 23456, address: '192.0.2.2' });
    expect(u.attributes.as4Aggregator).toEqual({ asn: 4200000000, address: '192.0.2.2' });
  });
});

describe('message header errors (RFC 4271 §6.1)', () => {
  const keepalive = () => hex(`${MARKER_HEX}001304`);
  const table: Array<[string, () => Uint8Array, number, number, string]> = [
    [
      'bad marker',
      () => {
        const b = keepalive();
        b[3] = 0;
        return b;
      },
      1,
      1,
      '',
    ],
    [
      'length below 19',
      () => {
        const b = keepalive();
        b[17] = 18;
        return b;
      },
      1,
      2,
      '0012',
    ],
    [
      'length above 4096',
      () => {
        const b = new Uint8Array(4097).fill(0);
        b.set(keepalive());
        b[16] = 0x10;
        b[17] = 0x01;
        return b;
      },
      1,
      2,
      '1001',
    ],
    ['length field disagrees with the octets', () => Uint8Array.from([...keepalive(), 0]), 1, 2, '0013'],
    ['unknown type 6', () => frame(6, ''), 1, 3, '06'],
    ['unknown type 0', () => frame(0, ''), 1, 3, '00'],
    ['KEEPALIVE with a body', () => frame(4, '00'), 1, 2, '0014'],
    ['OPEN shorter than 29', () => frame(1, '04fde9005ac0000202'), 1, 2, '001c'],
    ['UPDATE shorter than 23', () => frame(2, '000000'), 1, 2, '0016'],
    ['NOTIFICATION shorter than 21', () => frame(3, '06'), 1, 2, '0014'],
    ['truncated header', () => hex('ffffffff'), 1, 2, ''],
  ];
  for (const [name, build, code, subcode, data] of table) {
    it(name, () => {
      const e = decodeError(build());
      expect([e.code, e.subcode, toHex(e.data)]).toEqual([code, subcode, data]);
      expect(e.action).toBe('session-reset');
    });
  }

  it('accepts 4097..65535 octets only when extended messages are allowed', () => {
    const big = encodeMessage(
      {
        type: 'update',
        withdrawn: [],
        attributes: {
          origin: 'igp',
          asPath: [],
          nextHop: '192.0.2.1',
          unknown: [{ flags: 0xc0, type: 99, value: new Uint8Array(5000) }],
        },
        nlri: ['192.0.2.0/24'],
      },
      { maxMessageLength: 65535 },
    );
    expect(decodeError(big).subcode).toBe(2);
    expect(decodeMessage(big, { maxMessageLength: 65535 }).type).toBe('update');
  });

  it('ROUTE-REFRESH of the wrong length is a ROUTE-REFRESH Message Error (RFC 7313)', () => {
    const e = decodeError(frame(5, '0001000100'));
    expect([e.code, e.subcode]).toEqual([7, 1]);
    expect(toHex(e.data)).toBe(toHex(frame(5, '0001000100')));
  });
});

describe('OPEN errors (RFC 4271 §6.2)', () => {
  const table: Array<[string, string, number, number, string]> = [
    ['unsupported version 3', '03 fde9 005a c0000202 00', 2, 1, '0004'],
    ['unsupported version 5', '05 fde9 005a c0000202 00', 2, 1, '0004'],
    ['optional parameters length too long', '04 fde9 005a c0000202 05 0202 0200', 2, 0, ''],
    ['optional parameters length too short', '04 fde9 005a c0000202 01 0202 0200', 2, 0, ''],
    ['optional parameter overruns', '04 fde9 005a c0000202 04 0205 0200', 2, 0, ''],
    ['unsupported optional parameter type 1 (authentication)', '04 fde9 005a c0000202 03 01 01 00', 2, 4, '010100'],
    ['multiprotocol capability of 3 octets', '04 fde9 005a c0000202 05 02 03 01 01 00', 2, 0, '010100'],
    ['4-octet AS capability of 2 octets', '04 fde9 005a c0000202 06 02 04 41 02 fde9', 2, 0, '4102fde9'],
    ['capability overruns its parameter', '04 fde9 005a c0000202 04 02 02 41 04', 2, 0, ''],
    ['graceful restart of odd length', '04 fde9 005a c0000202 07 02 05 40 03 000000', 2, 0, '4003000000'],
  ];
  for (const [name, body, code, subcode, data] of table) {
    it(name, () => {
      const e = decodeError(frame(1, body));
      expect([e.code, e.subcode, toHex(e.data)]).toEqual([code, subcode, data]);
    });
  }
});

describe('UPDATE errors (RFC 4271 §6.3, RFC 7606)', () => {
  const base = `${ORIGIN_IGP}${AS_PATH4_65001}${NEXT_HOP_192_0_2_2}`;

  describe('session reset', () => {
    const table: Array<[string, string, number, string]> = [
      ['withdrawn length overruns the message', '0010 c6 00 00 00', 1, ''],
      ['total attribute length overruns the message', `0000 0020 ${ORIGIN_IGP}`, 1, ''],
      ['NLRI prefix length 33', updateBody('', base, '21 c6336400 00'), 10, ''],
      ['NLRI prefix runs past the end', updateBody('', base, '18 c633'), 10, ''],
      ['withdrawn prefix length 40', updateBody('28 c633640000', '', ''), 10, ''],
      ['unrecognized well-known attribute', updateBody('', `${base}40 63 01 00`, NLRI_198_51_100_0_24), 2, '40630100'],
      [
        'MP_REACH_NLRI twice',
        updateBody(
          '',
          `${ORIGIN_IGP}${AS_PATH4_65001}80 0e 09 0001 01 04 c0000202 00 80 0e 09 0001 01 04 c0000202 00`,
          '',
        ),
        1,
        '',
      ],
      [
        'MP_REACH_NLRI IPv6 next hop of 5 octets',
        updateBody('', `${ORIGIN_IGP}${AS_PATH4_65001}80 0e 0a 0002 01 05 2001db8000 00`, ''),
        9,
        '800e0a00020105 2001db8000 00'.replace(/ /g, ''),
      ],
      [
        'MP_REACH_NLRI with a malformed prefix',
        updateBody(
          '',
          `${ORIGIN_IGP}${AS_PATH4_65001}80 0e 17 0002 01 10 20010db8000000000000000000000002 00 81 00`,
          '',
        ),
        9,
        '',
      ],
      [
        'MP_REACH_NLRI shorter than 5 octets',
        updateBody('', `${ORIGIN_IGP}${AS_PATH4_65001}80 0e 03 0002 01`, ''),
        9,
        '800e03000201',
      ],
      ['MP_UNREACH_NLRI with a malformed prefix', updateBody('', '80 0f 05 0002 01 30 20', ''), 9, '800f050002013020'],
      [
        'MP_REACH_NLRI with transitive flag',
        updateBody('', `${ORIGIN_IGP}${AS_PATH4_65001}c0 0e 09 0001 01 04 c0000202 00`, ''),
        4,
        'c00e090001010 4c000020200'.replace(/ /g, ''),
      ],
    ];
    for (const [name, body, subcode, data] of table) {
      it(name, () => {
        const e = decodeError(frame(2, body));
        expect(e.code).toBe(3);
        expect(e.subcode).toBe(subcode);
        if (data) expect(toHex(e.data)).toBe(data);
        expect(e.action).toBe('session-reset');
      });
    }
  });

  describe('treat-as-withdraw', () => {
    const table: Array<[string, string, string, number, string?]> = [
      [
        'ORIGIN value 3 (Invalid ORIGIN)',
        `40 01 01 03${AS_PATH4_65001}${NEXT_HOP_192_0_2_2}`,
        NLRI_198_51_100_0_24,
        6,
        '40010103',
      ],
      [
        'ORIGIN of 2 octets',
        `40 01 02 0000${AS_PATH4_65001}${NEXT_HOP_192_0_2_2}`,
        NLRI_198_51_100_0_24,
        5,
        '4001020000',
      ],
      [
        'ORIGIN flagged optional (Attribute Flags Error)',
        `c0 01 01 00${AS_PATH4_65001}${NEXT_HOP_192_0_2_2}`,
        NLRI_198_51_100_0_24,
        4,
        'c0010100',
      ],
      ['NEXT_HOP flagged partial', `${ORIGIN_IGP}${AS_PATH4_65001}60 03 04 c0000202`, NLRI_198_51_100_0_24, 4],
      ['AS_PATH segment type 7', `${ORIGIN_IGP}40 02 06 07 01 0000fde9${NEXT_HOP_192_0_2_2}`, NLRI_198_51_100_0_24, 11],
      [
        'AS_PATH segment overruns',
        `${ORIGIN_IGP}40 02 06 02 02 0000fde9${NEXT_HOP_192_0_2_2}`,
        NLRI_198_51_100_0_24,
        11,
      ],
      ['AS_PATH empty segment', `${ORIGIN_IGP}40 02 02 02 00${NEXT_HOP_192_0_2_2}`, NLRI_198_51_100_0_24, 11],
      ['NEXT_HOP of 5 octets', `${ORIGIN_IGP}${AS_PATH4_65001}40 03 05 c000020200`, NLRI_198_51_100_0_24, 5],
      [
        'NEXT_HOP 0.0.0.0 (Invalid NEXT_HOP)',
        `${ORIGIN_IGP}${AS_PATH4_65001}40 03 04 00000000`,
        NLRI_198_51_100_0_24,
        8,
        '400304 00000000'.replace(' ', ''),
      ],
      ['NEXT_HOP multicast', `${ORIGIN_IGP}${AS_PATH4_65001}40 03 04 e0000001`, NLRI_198_51_100_0_24, 8],
      ['NEXT_HOP limited broadcast', `${ORIGIN_IGP}${AS_PATH4_65001}40 03 04 ffffffff`, NLRI_198_51_100_0_24, 8],
      ['missing ORIGIN', `${AS_PATH4_65001}${NEXT_HOP_192_0_2_2}`, NLRI_198_51_100_0_24, 3, '01'],
      ['missing AS_PATH', `${ORIGIN_IGP}${NEXT_HOP_192_0_2_2}`, NLRI_198_51_100_0_24, 3, '02'],
      ['missing NEXT_HOP', `${ORIGIN_IGP}${AS_PATH4_65001}`, NLRI_198_51_100_0_24, 3, '03'],
      ['MULTI_EXIT_DISC of 3 octets', `${base}80 04 03 000001`, NLRI_198_51_100_0_24, 5],
      ['LOCAL_PREF of 2 octets', `${base}40 05 02 0064`, NLRI_198_51_100_0_24, 5],
      ['COMMUNITIES of 3 octets', `${base}c0 08 03 fde900`, NLRI_198_51_100_0_24, 5],
      ['COMMUNITIES empty', `${base}c0 08 00`, NLRI_198_51_100_0_24, 5],
      ['LARGE_COMMUNITIES of 8 octets', `${base}c0 20 08 0000fde9 00000001`, NLRI_198_51_100_0_24, 5],
      ['COMMUNITIES flagged well-known', `${base}40 08 04 fde90064`, NLRI_198_51_100_0_24, 4],
      ['attribute overruns the attribute field', `${base}c0 08 08 fde90064`, NLRI_198_51_100_0_24, 5],
      ['truncated attribute header', `${base}c0 08`, NLRI_198_51_100_0_24, 1],
    ];
    for (const [name, attrs, nlri, subcode, data] of table) {
      it(name, () => {
        const { u, e } = updateError(frame(2, updateBody('', attrs, nlri)));
        expect([e.code, e.subcode, e.action]).toEqual([3, subcode, 'treat-as-withdraw']);
        if (data !== undefined) expect(toHex(e.data)).toBe(data);
        expect(u.treatAsWithdraw).toBe(true);
        expect(u.nlri).toEqual(['198.51.100.0/24']);
      });
    }

    it('strict RFC 4271 handling resets the session instead', () => {
      const e = decodeError(
        frame(2, updateBody('', `40 01 01 03${AS_PATH4_65001}${NEXT_HOP_192_0_2_2}`, NLRI_198_51_100_0_24)),
        { errorHandling: 'strict' },
      );
      expect([e.code, e.subcode, e.action]).toEqual([3, 6, 'session-reset']);
    });

    it('a malformed attribute in an UPDATE that announces nothing withdraws nothing', () => {
      const u = update(frame(2, updateBody('18 c63364', '40 01 01 07', '')));
      expect(u.treatAsWithdraw).toBe(true);
      expect(u.withdrawn).toEqual(['198.51.100.0/24']);
    });
  });

  describe('attribute discard', () => {
    const table: Array<[string, string, number]> = [
      ['ATOMIC_AGGREGATE of 1 octet', `${base}40 06 01 00`, 5],
      ['AGGREGATOR of 5 octets', `${base}c0 07 05 0000fde9 c0`, 5],
      ['AS4_PATH malformed', `${base}c0 11 03 02 01 00`, 9],
      ['AS4_AGGREGATOR of 6 octets', `${base}c0 12 06 fde9 c0000202`, 5],
      ['ORIGIN twice', `${base}40 01 01 01`, 1],
    ];
    for (const [name, attrs, subcode] of table) {
      it(name, () => {
        const { u, e } = updateError(frame(2, updateBody('', attrs, NLRI_198_51_100_0_24)));
        expect([e.code, e.subcode, e.action]).toEqual([3, subcode, 'attribute-discard']);
        expect(u.treatAsWithdraw).toBe(false);
        expect(u.attributes.origin).toBe('igp');
      });
    }
  });
});
