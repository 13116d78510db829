// Property tests: random and mutated messages through the decoder, the framer and a live
// session. Nothing but BgpDecodeError may escape the decoder, nothing at all the session,
// and every message the decoder rejects must make the session send the NOTIFICATION the
// error names (RFC 7606 treat-as-withdraw and attribute discard keep the session).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPrefix } from '../../../../src/probes/bgp/address.js';
import { decodeMessage, encodeMessage, tryDecodeMessage } from '../../../../src/probes/bgp/codec.js';
import { BgpDecodeError } from '../../../../src/probes/bgp/errors.js';
import { BgpFramer } from '../../../../src/probes/bgp/framer.js';
import type { AsPathSegment, BgpMessage, Capability, UpdateMessage } from '../../../../src/probes/bgp/messages.js';
import { BgpSession } from '../../../../src/probes/bgp/session.js';
import { FakeTimers, MemoryTransport } from './helpers.js';

const RUNS = Number(process.env.BGP_FUZZ_RUNS ?? 400);

const prefix4 = fc
  .tuple(fc.integer({ min: 0, max: 32 }), fc.uint8Array({ minLength: 4, maxLength: 4 }))
  .map(([l, b]) => formatPrefix(b, l));
const prefix6 = fc
  .tuple(fc.integer({ min: 0, max: 128 }), fc.uint8Array({ minLength: 16, maxLength: 16 }))
  .map(([l, b]) => formatPrefix(b, l));
const host4 = fc
  .tuple(
    fc.integer({ min: 1, max: 223 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 1, max: 254 }),
  )
  .map((p) => p.join('.'));
const host6 = fc
  .uint8Array({ minLength: 14, maxLength: 14 })
  .map((b) => formatPrefix(Uint8Array.from([0x20, 0x01, ...b]), 128).split('/')[0]!);
const asn = fc.integer({ min: 1, max: 0xffffffff });
const segment: fc.Arbitrary<AsPathSegment> = fc.record({
  type: fc.constantFrom('sequence', 'set', 'confed-sequence', 'confed-set'),
  asns: fc.array(asn, { minLength: 1, maxLength: 8 }),
});

const update: fc.Arbitrary<UpdateMessage> = fc
  .record({
    withdrawn: fc.array(prefix4, { maxLength: 5 }),
    nlri: fc.array(prefix4, { maxLength: 5 }),
    origin: fc.constantFrom('igp', 'egp', 'incomplete'),
    asPath: fc.array(segment, { maxLength: 3 }),
    nextHop: host4,
    med: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }),
    localPref: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }),
    communities: fc.option(fc.array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 6 }), { nil: undefined }),
    largeCommunities: fc.option(
      fc.array(fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })), {
        minLength: 1,
        maxLength: 3,
      }),
      { nil: undefined },
    ),
    mp6: fc.option(fc.record({ nextHop: host6, nlri: fc.array(prefix6, { minLength: 1, maxLength: 4 }) }), {
      nil: undefined,
    }),
    unreach6: fc.option(fc.array(prefix6, { maxLength: 4 }), { nil: undefined }),
  })
  .map((r) => {
    const attributes: UpdateMessage['attributes'] = {};
    const announces = r.nlri.length > 0 || r.mp6 !== undefined;
    if (announces) {
      attributes.origin = r.origin;
      attributes.asPath = r.asPath;
    }
    if (r.nlri.length > 0) attributes.nextHop = r.nextHop;
    if (r.med !== undefined) attributes.med = r.med;
    if (r.localPref !== undefined) attributes.localPref = r.localPref;
    if (r.communities) attributes.communities = r.communities;
    if (r.largeCommunities) attributes.largeCommunities = r.largeCommunities as Array<[number, number, number]>;
    if (r.mp6) attributes.mpReach = { afi: 2, safi: 1, nextHops: [r.mp6.nextHop], nlri: r.mp6.nlri };
    if (r.unreach6) attributes.mpUnreach = { afi: 2, safi: 1, withdrawn: r.unreach6 };
    return { type: 'update' as const, withdrawn: r.withdrawn, attributes, nlri: r.nlri };
  });

const capability: fc.Arbitrary<Capability> = fc.oneof(
  fc.record({
    code: fc.constant(1 as const),
    kind: fc.constant('multiprotocol' as const),
    afi: fc.constantFrom(1, 2),
    safi: fc.constant(1),
  }),
  fc.constant({ code: 2 as const, kind: 'route-refresh' as const }),
  fc.record({ code: fc.constant(65 as const), kind: fc.constant('four-octet-as' as const), asn }),
);

const message: fc.Arbitrary<BgpMessage> = fc.oneof(
  update,
  fc.constant({ type: 'keepalive' as const }),
  fc.record({
    type: fc.constant('notification' as const),
    code: fc.integer({ min: 1, max: 7 }),
    subcode: fc.integer({ min: 0, max: 11 }),
    data: fc.uint8Array({ maxLength: 8 }),
  }),
  fc.record({
    type: fc.constant('route-refresh' as const),
    afi: fc.constantFrom(1, 2),
    subtype: fc.constant(0),
    safi: fc.constant(1),
  }),
  fc.record({
    type: fc.constant('open' as const),
    version: fc.constant(4),
    myAs: fc.integer({ min: 1, max: 0xffff }),
    holdTime: fc.oneof(fc.constant(0), fc.integer({ min: 3, max: 0xffff })),
    bgpId: host4,
    capabilities: fc.array(capability, { maxLength: 5 }),
  }),
);

/** Mutations of an encoded message: flipped, replaced, inserted or removed octets, truncation, a new length field. */
const mutated: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    message,
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ op: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
        fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.boolean(),
  )
  .map(([m, ops, fixLength]) => {
    const bytes = [...encodeMessage(m)];
    for (const o of ops) {
      // Mutating the marker is covered separately; keep most mutations after it.
      const at = 16 + (o.at % Math.max(1, bytes.length - 16));
      if (o.op === 'set') bytes[at] = o.value;
      else if (o.op === 'flip') bytes[at] = bytes[at]! ^ (1 << o.bit);
      else if (o.op === 'insert') bytes.splice(at, 0, o.value);
      else if (o.op === 'delete') bytes.splice(at, 1);
      else bytes.length = Math.max(19, at);
    }
    if (fixLength && bytes.length >= 19) {
      bytes[16] = bytes.length >> 8;
      bytes[17] = bytes.length & 0xff;
    }
    return Uint8Array.from(bytes);
  });

function establishedSession() {
  const timers = new FakeTimers();
  const transport = new MemoryTransport();
  const session = new BgpSession({
    localAs: 64512,
    routerId: '192.0.2.1',
    peerAddress: '192.0.2.2',
    transport,
    timers,
  });
  session.accept();
  session.receive(
    encodeMessage({
      type: 'open',
      version: 4,
      myAs: 65001,
      holdTime: 90,
      bgpId: '192.0.2.2',
      capabilities: [
        { code: 1, kind: 'multiprotocol', afi: 1, safi: 1 },
        { code: 1, kind: 'multiprotocol', afi: 2, safi: 1 },
        { code: 65, kind: 'four-octet-as', asn: 65001 },
      ],
    }),
  );
  session.receive(encodeMessage({ type: 'keepalive' }));
  expect(session.state).toBe('Established');
  transport.written = [];
  return { session, transport };
}

function notificationsSent(t: MemoryTransport): Array<[number, number]> {
  return t.written
    .map((b) => decodeMessage(b))
    .flatMap((m) => (m.type === 'notification' ? [[m.code, m.subcode] as [number, number]] : []));
}

describe('fuzz: decoder', () => {
  it('random octets: only BgpDecodeError escapes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, withHeader) => {
        const b =
          withHeader && bytes.length >= 3
            ? Uint8Array.from([
                ...new Uint8Array(16).fill(0xff),
                (bytes.length + 16) >> 8,
                (bytes.length + 16) & 0xff,
                ...bytes.subarray(2),
              ])
            : bytes;
        try {
          decodeMessage(b);
        } catch (e) {
          expect(e).toBeInstanceOf(BgpDecodeError);
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('valid messages round-trip', () => {
    fc.assert(
      fc.property(message, (m) => {
        const decoded = decodeMessage(encodeMessage(m));
        expect(decoded).toMatchObject(m as object);
        if (decoded.type === 'update') expect(decoded.errors).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('valid messages round-trip over a 2-octet AS session too (ASNs above 65535 become AS_TRANS)', () => {
    fc.assert(
      fc.property(update, (m) => {
        const decoded = decodeMessage(encodeMessage(m, { fourOctetAs: false }), { fourOctetAs: false });
        expect(decoded.type).toBe('update');
        const asns = (decoded as UpdateMessage).attributes.asPath?.flatMap((s) => s.asns) ?? [];
        expect(asns).toEqual(m.attributes.asPath?.flatMap((s) => s.asns.map((a) => (a > 0xffff ? 23456 : a))) ?? []);
      }),
      { numRuns: RUNS },
    );
  });

  it('mutated messages: a typed error with a NOTIFICATION code, or a result whose errors all carry an action', () => {
    fc.assert(
      fc.property(mutated, (bytes) => {
        const r = tryDecodeMessage(bytes);
        if (!r.ok) {
          expect(r.error).toBeInstanceOf(BgpDecodeError);
          expect(r.error.code).toBeGreaterThanOrEqual(1);
          expect(r.error.code).toBeLessThanOrEqual(7);
          expect(r.error.action).toBe('session-reset');
        } else if (r.message.type === 'update') {
          for (const e of r.message.errors) expect(['treat-as-withdraw', 'attribute-discard']).toContain(e.action);
          expect(r.message.treatAsWithdraw).toBe(r.message.errors.some((e) => e.action === 'treat-as-withdraw'));
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('fuzz: framer', () => {
  it('any split of a valid stream gives back the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (msgs, cuts) => {
          const stream = Uint8Array.from(msgs.flatMap((m) => [...encodeMessage(m)]));
          const points = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b);
          const f = new BgpFramer();
          const out: string[] = [];
          let last = 0;
          for (const p of [...points, stream.length]) {
            const r = f.push(stream.subarray(last, p));
            expect(r.error).toBeNull();
            out.push(...r.messages.map((m) => Buffer.from(m).toString('hex')));
            last = p;
          }
          expect(out).toEqual(msgs.map((m) => Buffer.from(encodeMessage(m)).toString('hex')));
          expect(f.pending).toBe(0);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('random octets: never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const f = new BgpFramer();
        for (const c of chunks) {
          const r = f.push(c);
          if (r.error) expect(r.error).toBeInstanceOf(BgpDecodeError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: session', () => {
  it('every mutated message either keeps the session or closes it with the NOTIFICATION the decoder names', () => {
    fc.assert(
      fc.property(mutated, (bytes) => {
        const { session, transport } = establishedSession();
        session.receive(bytes); // must not throw
        const lengthField = bytes.length >= 18 ? (bytes[16]! << 8) | bytes[17]! : -1;
        const sent = notificationsSent(transport);
        if (bytes.length < 19 || lengthField !== bytes.length) {
          // The framer waits for more octets, or rejects the header, or splits off a
          // first message: whatever happened, a close always comes with one NOTIFICATION,
          // sent or received.
          if (session.state === 'Idle') expect(sent.length + session.snapshot().received.notification).toBe(1);
          else expect(sent).toEqual([]);
          return;
        }
        const r = tryDecodeMessage(bytes, { fourOctetAs: true });
        if (!r.ok) {
          expect(sent).toEqual([[r.error.code, r.error.subcode]]);
          expect(session.state).toBe('Idle');
          expect(transport.closed).toBe(true);
        } else if (r.message.type === 'open') {
          expect(sent).toEqual([[5, 3]]);
        } else if (r.message.type === 'notification') {
          expect(sent).toEqual([]);
          expect(session.state).toBe('Idle');
        } else {
          expect(sent).toEqual([]);
          expect(session.state).toBe('Established');
          if (r.message.type === 'update' && r.message.treatAsWithdraw) {
            const announced = [...r.message.nlri, ...(r.message.attributes.mpReach?.nlri ?? [])];
            const held = new Set(session.routes().map((x) => x.prefix));
            for (const p of announced) expect(held.has(p)).toBe(false);
          }
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('random octets, in random chunks, in every state: nothing escapes, a close always sends one NOTIFICATION', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (chunks, fromEstablished) => {
          let session: BgpSession;
          let transport: MemoryTransport;
          if (fromEstablished) ({ session, transport } = establishedSession());
          else {
            transport = new MemoryTransport();
            session = new BgpSession({
              localAs: 64512,
              routerId: '192.0.2.1',
              peerAddress: '192.0.2.2',
              transport,
              timers: new FakeTimers(),
            });
            session.accept();
            transport.written = [];
          }
          for (const c of chunks) session.receive(Uint8Array.from([...new Uint8Array(16).fill(0xff), ...c]));
          const sent = notificationsSent(transport);
          expect(sent.length).toBeLessThanOrEqual(1);
          if (session.state === 'Idle') expect(sent.length + session.snapshot().received.notification).toBe(1);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
