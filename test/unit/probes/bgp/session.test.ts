import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../../src/probes/bgp/codec.js';
import type { BgpMessage, Capability, OpenMessage, UpdateMessage } from '../../../../src/probes/bgp/messages.js';
import { BgpSession, type SessionEvent, type SessionOptions } from '../../../../src/probes/bgp/session.js';
import { FakeTimers, frame, MemoryTransport, toHex, updateBody } from './helpers.js';

const PEER_CAPS: Capability[] = [
  { code: 1, kind: 'multiprotocol', afi: 1, safi: 1 },
  { code: 1, kind: 'multiprotocol', afi: 2, safi: 1 },
  { code: 2, kind: 'route-refresh' },
  { code: 65, kind: 'four-octet-as', asn: 65001 },
];

function peerOpen(over: Partial<OpenMessage> = {}): Uint8Array {
  return encodeMessage({
    type: 'open',
    version: 4,
    myAs: 65001,
    holdTime: 30,
    bgpId: '192.0.2.2',
    capabilities: PEER_CAPS,
    ...over,
  });
}

const KEEPALIVE = encodeMessage({ type: 'keepalive' });

function setup(over: Partial<SessionOptions> = {}) {
  const timers = new FakeTimers();
  const transport = new MemoryTransport();
  const events: SessionEvent[] = [];
  const session = new BgpSession({
    localAs: 64512,
    routerId: '192.0.2.1',
    peerAddress: '192.0.2.2',
    transport,
    timers,
    onEvent: (e) => events.push(e),
    ...over,
  });
  return { session, timers, transport, events };
}

/** A session driven to Established with the peer's OPEN (hold 30 s unless changed). */
function established(over: Partial<SessionOptions> = {}, open: Partial<OpenMessage> = {}) {
  const s = setup(over);
  s.session.accept();
  s.session.receive(peerOpen(open));
  s.session.receive(KEEPALIVE);
  expect(s.session.state).toBe('Established');
  s.transport.take();
  return s;
}

function sentNotification(t: MemoryTransport): [number, number, string] | undefined {
  const n = t.messages().find((m): m is Extract<BgpMessage, { type: 'notification' }> => m.type === 'notification');
  return n ? [n.code, n.subcode, toHex(n.data)] : undefined;
}

function announce(update: UpdateMessage, fourOctetAs = true): Uint8Array {
  return encodeMessage(update, { fourOctetAs });
}

describe('FSM of a passive peer', () => {
  it('Idle -> Active -> OpenSent -> OpenConfirm -> Established, sending OPEN then KEEPALIVE', () => {
    const { session, transport, events } = setup();
    expect(session.state).toBe('Idle');
    session.start();
    expect(session.state).toBe('Active');
    session.connectionEstablished();
    expect(session.state).toBe('OpenSent');
    const [open] = transport.take();
    expect(open).toEqual({
      type: 'open',
      version: 4,
      myAs: 64512,
      holdTime: 90,
      bgpId: '192.0.2.1',
      capabilities: [
        { code: 1, kind: 'multiprotocol', afi: 1, safi: 1 },
        { code: 1, kind: 'multiprotocol', afi: 2, safi: 1 },
        { code: 2, kind: 'route-refresh' },
        { code: 65, kind: 'four-octet-as', asn: 64512 },
      ],
    });
    session.receive(peerOpen());
    expect(session.state).toBe('OpenConfirm');
    expect(transport.take()).toEqual([{ type: 'keepalive' }]);
    session.receive(KEEPALIVE);
    expect(session.state).toBe('Established');
    const info = session.snapshot();
    expect(info).toMatchObject({ remoteAs: 65001, remoteRouterId: '192.0.2.2', holdTime: 30, keepaliveInterval: 10 });
    expect(info.capabilities).toEqual({
      fourOctetAs: true,
      routeRefresh: true,
      extendedMessage: false,
      gracefulRestart: false,
      families: ['ipv4-unicast', 'ipv6-unicast'],
      other: [],
    });
    expect(events.filter((e) => e.type === 'state').map((e) => (e as { to: string }).to)).toEqual([
      'Active',
      'OpenSent',
      'OpenConfirm',
      'Established',
    ]);
    expect(info.establishedAt).toBe(new Date(Date.UTC(2026, 0, 1)).toISOString());
  });

  it('a local AS above 65535 is sent as AS_TRANS with the real one in the capability', () => {
    const { session, transport } = setup({ localAs: 4200000000 });
    session.accept();
    const [open] = transport.take() as OpenMessage[];
    expect(open!.myAs).toBe(23456);
    expect(open!.capabilities).toContainEqual({ code: 65, kind: 'four-octet-as', asn: 4200000000 });
  });

  it('advertises extended messages only when asked', () => {
    const { session, transport } = setup({ extendedMessages: true });
    session.accept();
    const [open] = transport.take() as OpenMessage[];
    expect(open!.capabilities).toContainEqual({ code: 6, kind: 'extended-message' });
  });

  it('extended messages (RFC 8654) are used only when both sides advertise them', () => {
    const big = encodeMessage(
      {
        type: 'update',
        withdrawn: [],
        attributes: {
          origin: 'igp',
          asPath: [],
          nextHop: '192.0.2.2',
          unknown: [{ flags: 0xc0, type: 99, value: new Uint8Array(6000) }],
        },
        nlri: ['192.0.2.0/24'],
      },
      { maxMessageLength: 65535 },
    );
    const both = established(
      { extendedMessages: true },
      { capabilities: [...PEER_CAPS, { code: 6, kind: 'extended-message' }] },
    );
    both.session.receive(big);
    expect(both.session.state).toBe('Established');
    expect(both.session.routes().map((r) => r.prefix)).toEqual(['192.0.2.0/24']);
    const onlyUs = established({ extendedMessages: true });
    onlyUs.session.receive(big);
    expect(sentNotification(onlyUs.transport)).toEqual([1, 2, toHex(big.subarray(16, 18))]);
  });

  it('refuses bad local configuration', () => {
    expect(() => setup({ holdTime: 2 })).toThrow(RangeError);
    expect(() => setup({ localAs: 0 })).toThrow(RangeError);
    expect(() => setup({ routerId: '0.0.0.0' })).toThrow(RangeError);
    expect(() => setup({ routerId: '2001:db8::1' })).toThrow(RangeError);
  });
});

describe('timers', () => {
  it('hold time is the smaller of both; keepalives go out every hold/3', () => {
    const { session, timers, transport } = established({ holdTime: 90 }, { holdTime: 30 });
    expect(session.snapshot().holdTime).toBe(30);
    timers.advance(9_999);
    expect(transport.take()).toEqual([]);
    timers.advance(1);
    expect(transport.take()).toEqual([{ type: 'keepalive' }]);
    session.receive(KEEPALIVE);
    timers.advance(10_000);
    expect(transport.take()).toEqual([{ type: 'keepalive' }]);
  });

  it('our smaller hold time wins', () => {
    const { session } = established({ holdTime: 9 }, { holdTime: 180 });
    expect(session.snapshot()).toMatchObject({ holdTime: 9, keepaliveInterval: 3 });
  });

  it('hold timer expiry sends Hold Timer Expired and closes', () => {
    const { session, timers, transport, events } = established({}, { holdTime: 30 });
    timers.advance(29_000);
    session.receive(KEEPALIVE); // restarts the hold timer
    timers.advance(29_000);
    expect(session.state).toBe('Established');
    transport.take();
    timers.advance(1_000);
    expect(session.state).toBe('Idle');
    expect(sentNotification(transport)).toEqual([4, 0, '']);
    expect(transport.closed).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'hold timer expired (30 s)' });
    expect(timers.active).toBe(0);
  });

  it('an UPDATE restarts the hold timer too', () => {
    const { session, timers } = established({}, { holdTime: 30 });
    timers.advance(25_000);
    session.receive(frame(2, updateBody('', '', '')));
    timers.advance(25_000);
    expect(session.state).toBe('Established');
  });

  it('hold time 0 on either side means no keepalives and no hold timer', () => {
    const { session, timers, transport } = established({}, { holdTime: 0 });
    expect(session.snapshot().holdTime).toBe(0);
    expect(timers.active).toBe(0);
    timers.advance(3_600_000);
    expect(session.state).toBe('Established');
    expect(transport.take()).toEqual([]);
  });

  it('waits 240 s for the peer OPEN, then Hold Timer Expired', () => {
    const { session, timers, transport } = setup();
    session.accept();
    timers.advance(239_999);
    expect(session.state).toBe('OpenSent');
    timers.advance(1);
    expect(session.state).toBe('Idle');
    expect(sentNotification(transport)).toEqual([4, 0, '']);
  });

  it('OpenConfirm also expires without the KEEPALIVE', () => {
    const { session, timers, transport } = setup();
    session.accept();
    session.receive(peerOpen({ holdTime: 3 }));
    timers.advance(3_000);
    expect(session.state).toBe('Idle');
    expect(sentNotification(transport)).toEqual([4, 0, '']);
  });
});

describe('OPEN validation (NOTIFICATION sent, session closed)', () => {
  const table: Array<[string, Partial<SessionOptions>, () => Uint8Array, [number, number, string]]> = [
    ['unsupported version', {}, () => frame(1, '03 fde9 001e c0000202 00'), [2, 1, '0004']],
    ['peer AS differs from the expected one', { expectedAs: 65002 }, () => peerOpen(), [2, 2, '']],
    ['peer AS 0', {}, () => peerOpen({ myAs: 0, capabilities: [] }), [2, 2, '']],
    ['hold time 1', {}, () => peerOpen({ holdTime: 1 }), [2, 6, '']],
    ['hold time 2', {}, () => peerOpen({ holdTime: 2 }), [2, 6, '']],
    ['BGP identifier 0.0.0.0', {}, () => peerOpen({ bgpId: '0.0.0.0' }), [2, 3, '']],
    ['internal peer with our BGP identifier', { localAs: 65001 }, () => peerOpen({ bgpId: '192.0.2.1' }), [2, 3, '']],
    ['unsupported optional parameter', {}, () => frame(1, '04 fde9 001e c0000202 03 01 01 00'), [2, 4, '010100']],
  ];
  for (const [name, opts, open, expected] of table) {
    it(name, () => {
      const { session, transport } = setup(opts);
      session.accept();
      transport.take();
      session.receive(open());
      expect(sentNotification(transport)).toEqual(expected);
      expect(session.state).toBe('Idle');
      expect(transport.closed).toBe(true);
      expect(session.snapshot().lastNotification).toMatchObject({
        direction: 'sent',
        code: expected[0],
        subcode: expected[1],
      });
    });
  }

  it('the 4-octet AS capability is the peer AS, not AS_TRANS', () => {
    const { session } = established(
      { expectedAs: 4200000000 },
      { myAs: 23456, capabilities: [{ code: 65, kind: 'four-octet-as', asn: 4200000000 }] },
    );
    expect(session.snapshot().remoteAs).toBe(4200000000);
  });

  it('an external peer may use our BGP identifier', () => {
    const { session } = established({}, { bgpId: '192.0.2.1' });
    expect(session.state).toBe('Established');
  });
});

describe('unexpected messages (FSM error, RFC 6608 subcodes)', () => {
  it('UPDATE in OpenSent', () => {
    const { session, transport } = setup();
    session.accept();
    session.receive(frame(2, updateBody('', '', '')));
    expect(sentNotification(transport)).toEqual([5, 1, '']);
  });

  it('KEEPALIVE in OpenSent', () => {
    const { session, transport } = setup();
    session.accept();
    session.receive(KEEPALIVE);
    expect(sentNotification(transport)).toEqual([5, 1, '']);
  });

  it('OPEN in OpenConfirm', () => {
    const { session, transport } = setup();
    session.accept();
    session.receive(peerOpen());
    session.receive(peerOpen());
    expect(sentNotification(transport)).toEqual([5, 2, '']);
  });

  it('UPDATE in OpenConfirm', () => {
    const { session, transport } = setup();
    session.accept();
    session.receive(peerOpen());
    session.receive(frame(2, updateBody('', '', '')));
    expect(sentNotification(transport)).toEqual([5, 2, '']);
  });

  it('OPEN in Established', () => {
    const { session, transport } = established();
    session.receive(peerOpen());
    expect(sentNotification(transport)).toEqual([5, 3, '']);
    expect(session.state).toBe('Idle');
  });
});

describe('Adj-RIB-In', () => {
  const v4: UpdateMessage = {
    type: 'update',
    withdrawn: [],
    attributes: {
      origin: 'igp',
      asPath: [{ type: 'sequence', asns: [65001] }],
      nextHop: '192.0.2.2',
      med: 5,
      localPref: 200,
      communities: [65001 * 65536 + 100],
      largeCommunities: [[65001, 1, 2]],
    },
    nlri: ['198.51.100.10/32', '198.51.100.11/32'],
  };
  const v6: UpdateMessage = {
    type: 'update',
    withdrawn: [],
    attributes: {
      origin: 'incomplete',
      asPath: [{ type: 'sequence', asns: [65001, 65010] }],
      communities: [65001 * 65536 + 300],
      mpReach: { afi: 2, safi: 1, nextHops: ['2001:db8::2', 'fe80::2'], nlri: ['2001:db8:100::10/128'] },
    },
    nlri: [],
  };

  it('records IPv4 and IPv6 routes with next hops, AS path, communities, MED, LOCAL_PREF, origin', () => {
    const { session, events } = established();
    session.receive(Uint8Array.from([...announce(v4), ...announce(v6)]));
    expect(session.routes()).toEqual([
      {
        family: 'ipv4',
        prefix: '198.51.100.10/32',
        nextHop: '192.0.2.2',
        asPath: '65001',
        asPathSegments: [{ type: 'sequence', asns: [65001] }],
        origin: 'igp',
        med: 5,
        localPref: 200,
        communities: ['65001:100'],
        largeCommunities: ['65001:1:2'],
        receivedAt: '2026-01-01T00:00:00.000Z',
      },
      expect.objectContaining({ prefix: '198.51.100.11/32' }),
      {
        family: 'ipv6',
        prefix: '2001:db8:100::10/128',
        nextHop: '2001:db8::2',
        nextHopLinkLocal: 'fe80::2',
        asPath: '65001 65010',
        asPathSegments: [{ type: 'sequence', asns: [65001, 65010] }],
        origin: 'incomplete',
        communities: ['65001:300'],
        largeCommunities: [],
        receivedAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
    const updates = events.filter((e): e is Extract<SessionEvent, { type: 'update' }> => e.type === 'update');
    expect(updates.map((e) => e.announced)).toEqual([
      ['198.51.100.10/32', '198.51.100.11/32'],
      ['2001:db8:100::10/128'],
    ]);
    expect(updates.map((e) => e.routes)).toEqual([2, 3]);
    // The event's prefixes are made on demand, and an observer that logs JSON sees them.
    expect(JSON.parse(JSON.stringify(updates[0]))).toMatchObject({
      type: 'update',
      announced: ['198.51.100.10/32', '198.51.100.11/32'],
      withdrawn: [],
      routes: 2,
    });
  });

  it('a new announcement of a prefix replaces the old one (implicit withdraw)', () => {
    const { session } = established();
    session.receive(announce(v4));
    session.receive(
      announce({
        ...v4,
        attributes: { ...v4.attributes, nextHop: '192.0.2.9', communities: [] },
        nlri: ['198.51.100.10/32'],
      }),
    );
    expect(session.routes().find((r) => r.prefix === '198.51.100.10/32')).toMatchObject({
      nextHop: '192.0.2.9',
      communities: [],
    });
    expect(session.snapshot().updateErrors).toBe(0);
    expect(session.routeCount).toBe(2);
  });

  it('handles withdrawals in the withdrawn field and in MP_UNREACH_NLRI', () => {
    const { session } = established();
    session.receive(announce(v4));
    session.receive(announce(v6));
    session.receive(announce({ type: 'update', withdrawn: ['198.51.100.10/32'], attributes: {}, nlri: [] }));
    session.receive(
      announce({
        type: 'update',
        withdrawn: [],
        attributes: { mpUnreach: { afi: 2, safi: 1, withdrawn: ['2001:db8:100::10/128'] } },
        nlri: [],
      }),
    );
    expect(session.routes().map((r) => r.prefix)).toEqual(['198.51.100.11/32']);
  });

  it('treat-as-withdraw removes the announced prefixes and keeps the session', () => {
    const { session, transport, events } = established();
    session.receive(announce(v4));
    // Same prefixes, now with an invalid ORIGIN: RFC 7606 treat-as-withdraw.
    session.receive(frame(2, updateBody('', '40 01 01 09 40 02 06 02 01 0000fde9 40 03 04 c0000202', '20 c633640a')));
    expect(session.state).toBe('Established');
    expect(sentNotification(transport)).toBeUndefined();
    expect(session.routes().map((r) => r.prefix)).toEqual(['198.51.100.11/32']);
    expect(session.snapshot()).toMatchObject({ updateErrors: 1 });
    expect(session.snapshot().lastUpdateError).toContain('Invalid ORIGIN');
    expect(events.at(-1)).toMatchObject({ type: 'update', treatAsWithdraw: true, withdrawn: ['198.51.100.10/32'] });
  });

  it('with strict RFC 4271 handling the same UPDATE resets the session', () => {
    const { session, transport } = established({ errorHandling: 'strict' });
    session.receive(frame(2, updateBody('', '40 01 01 09 40 02 06 02 01 0000fde9 40 03 04 c0000202', '20 c633640a')));
    expect(sentNotification(transport)).toEqual([3, 6, '40010109']);
    expect(session.state).toBe('Idle');
  });

  it('a 2-octet AS peer: AS_PATH with AS_TRANS completed by AS4_PATH', () => {
    const { session } = established(
      {},
      { myAs: 65001, capabilities: PEER_CAPS.filter((c) => c.kind !== 'four-octet-as') },
    );
    expect(session.snapshot().capabilities?.fourOctetAs).toBe(false);
    session.receive(
      announce(
        {
          type: 'update',
          withdrawn: [],
          attributes: {
            origin: 'igp',
            asPath: [{ type: 'sequence', asns: [65001, 23456] }],
            as4Path: [{ type: 'sequence', asns: [4200000000] }],
            nextHop: '192.0.2.2',
          },
          nlri: ['203.0.113.0/24'],
        },
        false,
      ),
    );
    expect(session.routes()[0]).toMatchObject({ asPath: '65001 4200000000' });
  });

  it('records End-of-RIB for IPv4 and IPv6', () => {
    const { session, events } = established();
    session.receive(frame(2, updateBody('', '', '')));
    session.receive(frame(2, updateBody('', '80 0f 03 0002 01', '')));
    expect(session.snapshot().endOfRib).toEqual(['ipv4', 'ipv6']);
    expect(events.filter((e) => e.type === 'end-of-rib')).toHaveLength(2);
  });

  it('a ROUTE-REFRESH request is recorded and answered with nothing', () => {
    const { session, transport, events } = established();
    session.receive(encodeMessage({ type: 'route-refresh', afi: 1, subtype: 0, safi: 1 }));
    expect(session.state).toBe('Established');
    expect(transport.take()).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'route-refresh', afi: 1, safi: 1 });
    expect(session.snapshot().received.routeRefresh).toBe(1);
  });

  it('more prefixes than allowed: Cease / Maximum Number of Prefixes Reached with AFI, SAFI and the limit (RFC 4486)', () => {
    const { session, transport } = established({ maxPrefixes: 1 });
    session.receive(announce(v4));
    expect(sentNotification(transport)).toEqual([6, 1, '00010100000001']);
    expect(session.state).toBe('Idle');
    expect(session.snapshot()).toMatchObject({
      closeReason: '2 prefixes received, more than the limit of 1 (--max-prefixes)',
      lastNotification: { direction: 'sent', code: 6, subcode: 1, codeName: 'Cease', data: '00010100000001' },
    });
  });

  it('the limit is the count over all families; the data names the family of the UPDATE that went over', () => {
    const { session, transport } = established({ maxPrefixes: 1000 });
    session.receive(
      announce({
        type: 'update',
        withdrawn: [],
        attributes: { origin: 'igp', asPath: [], nextHop: '192.0.2.2' },
        nlri: ['192.0.2.0/24'],
      }),
    );
    for (let k = 0; k < 5; k++) {
      const v6 = Array.from({ length: 200 }, (_, i) => `2001:db8:${(k * 200 + i).toString(16)}::/48`);
      session.receive(
        announce({
          type: 'update',
          withdrawn: [],
          attributes: { origin: 'igp', asPath: [], mpReach: { afi: 2, safi: 1, nextHops: ['2001:db8::2'], nlri: v6 } },
          nlri: [],
        }),
      );
    }
    expect(sentNotification(transport)).toEqual([6, 1, '000201000003e8']);
    expect(session.snapshot().closeReason).toBe('1001 prefixes received, more than the limit of 1000 (--max-prefixes)');
    expect(session.state).toBe('Idle');
  });

  it('exactly the limit is allowed', () => {
    const { session, transport } = established({ maxPrefixes: 2 });
    session.receive(announce(v4));
    expect(transport.take()).toEqual([]);
    expect(session.state).toBe('Established');
  });
});

describe('closing', () => {
  it('a NOTIFICATION from the peer is recorded, the routes dropped, nothing sent back', () => {
    const { session, transport, events } = established();
    session.receive(
      announce({
        type: 'update',
        withdrawn: [],
        attributes: { origin: 'igp', asPath: [], nextHop: '192.0.2.2' },
        nlri: ['192.0.2.0/24'],
      }),
    );
    const text = new TextEncoder().encode('going down');
    session.receive(
      encodeMessage({ type: 'notification', code: 6, subcode: 2, data: Uint8Array.from([text.length, ...text]) }),
    );
    expect(session.state).toBe('Idle');
    expect(transport.take()).toEqual([]);
    expect(transport.closed).toBe(true);
    expect(session.routes()).toEqual([]);
    const info = session.snapshot();
    expect(info.lastNotification).toMatchObject({
      direction: 'received',
      code: 6,
      subcode: 2,
      codeName: 'Cease',
      subcodeName: 'Administrative Shutdown',
      reason: 'going down',
    });
    expect(info.closeReason).toBe('NOTIFICATION from peer: Cease / Administrative Shutdown (going down)');
    expect(events.at(-1)).toMatchObject({ type: 'closed' });
  });

  it('a malformed message gets the matching NOTIFICATION and closes the session', () => {
    const { session, transport } = established();
    session.receive(
      frame(2, updateBody('', '40 01 01 00 40 02 06 02 01 0000fde9 40 03 04 c0000202', '21 c633640a 00')),
    );
    expect(sentNotification(transport)).toEqual([3, 10, '']);
    expect(session.state).toBe('Idle');
    expect(transport.closed).toBe(true);
  });

  it('a bad marker in the middle of a chunk: earlier messages count, then Connection Not Synchronized', () => {
    const { session, transport } = established();
    const good = announce({
      type: 'update',
      withdrawn: [],
      attributes: { origin: 'igp', asPath: [], nextHop: '192.0.2.2' },
      nlri: ['192.0.2.0/24'],
    });
    const bad = new Uint8Array(19);
    session.receive(Uint8Array.from([...good, ...bad]));
    expect(session.snapshot().received.update).toBe(1);
    expect(sentNotification(transport)).toEqual([1, 1, '']);
    expect(session.state).toBe('Idle');
  });

  it('the TCP connection closing under the session', () => {
    const { session, transport } = established();
    session.connectionClosed();
    expect(session.state).toBe('Idle');
    expect(transport.take()).toEqual([]);
    expect(session.snapshot().closeReason).toBe('connection closed by peer');
    session.receive(KEEPALIVE); // ignored after close
    expect(transport.take()).toEqual([]);
  });

  it('stop() sends Cease / Administrative Shutdown with a shutdown communication', () => {
    const { session, transport } = established();
    session.stop('bye');
    expect(sentNotification(transport)).toEqual([
      6,
      2,
      toHex(Uint8Array.from([3, ...new TextEncoder().encode('bye')])),
    ]);
    expect(session.state).toBe('Idle');
  });

  it('an observer that throws does not break the session', () => {
    const { session } = setup({
      onEvent: () => {
        throw new Error('observer bug');
      },
    });
    session.accept();
    session.receive(peerOpen());
    session.receive(KEEPALIVE);
    expect(session.state).toBe('Established');
  });
});
