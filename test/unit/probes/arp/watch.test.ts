// The --watch tracker: holder changes with failover timing, silences, gratuitous ARP. Pure.
import { describe, expect, it } from 'vitest';
import { ArpWatchTracker, gratuitousFilter } from '../../../../src/probes/arp/watch.js';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const T = Date.parse('2026-11-27T12:00:00.000Z');
const at = (ms: number) => new Date(T + ms).toISOString();

describe('ArpWatchTracker', () => {
  it('reports the first holder, then nothing while it stays', () => {
    const t = new ArpWatchTracker();
    expect(t.round({ sentAt: T, replies: [{ mac: A, at: T + 1 }] })).toEqual([
      {
        type: 'holder',
        at: at(1),
        from: [],
        to: [A],
        lastFromAt: null,
        firstToAt: at(1),
        failoverMs: null,
        gratuitousAt: null,
      },
    ]);
    expect(t.round({ sentAt: T + 500, replies: [{ mac: A, at: T + 501 }] })).toEqual([]);
  });

  it('a failover through a silence: no-reply, then the new holder with last-old to first-new time and the gratuitous ARP', () => {
    const t = new ArpWatchTracker();
    t.round({ sentAt: T, replies: [{ mac: A, at: T + 1 }] });
    t.round({ sentAt: T + 500, replies: [{ mac: A, at: T + 502 }] });
    expect(t.round({ sentAt: T + 1000, replies: [] })).toEqual([
      { type: 'no-reply', at: at(1000), from: [A], lastReplyAt: at(502) },
    ]);
    expect(t.round({ sentAt: T + 1500, replies: [] })).toEqual([]);
    expect(t.gratuitous({ at: T + 1700, mac: B, op: 'reply' })).toEqual([
      { type: 'gratuitous', at: at(1700), mac: B, op: 'reply' },
    ]);
    const [ev] = t.round({ sentAt: T + 2000, replies: [{ mac: B, at: T + 2001 }] });
    expect(ev).toEqual({
      type: 'holder',
      at: at(2001),
      from: [A],
      to: [B],
      lastFromAt: at(502),
      firstToAt: at(2001),
      failoverMs: 1499,
      gratuitousAt: at(1700),
    });
    const s = t.summary({
      ip: '198.51.100.10',
      interface: 'eth0',
      startedAt: T,
      endedAt: T + 2500,
      gratuitousListened: true,
    });
    expect(s.failovers).toEqual([
      { from: [A], to: [B], lastFromAt: at(502), firstToAt: at(2001), failoverMs: 1499, gratuitousAt: at(1700) },
    ]);
    expect(s).toMatchObject({
      rounds: 5,
      answeredRounds: 3,
      holders: [B],
      gratuitous: [{ at: at(1700), mac: B, op: 'reply' }],
    });
    expect(s.macs).toEqual([
      { mac: A, replies: 2, firstAt: at(1), lastAt: at(502) },
      { mac: B, replies: 1, firstAt: at(2001), lastAt: at(2001) },
    ]);
  });

  it('a direct switch without silence', () => {
    const t = new ArpWatchTracker();
    t.round({ sentAt: T, replies: [{ mac: A, at: T + 3 }] });
    const [ev] = t.round({ sentAt: T + 200, replies: [{ mac: B, at: T + 204 }] });
    expect(ev).toMatchObject({ type: 'holder', from: [A], to: [B], failoverMs: 201, gratuitousAt: null });
  });

  it('a second holder appears, then the first leaves', () => {
    const t = new ArpWatchTracker();
    t.round({ sentAt: T, replies: [{ mac: A, at: T + 1 }] });
    const [both] = t.round({
      sentAt: T + 200,
      replies: [
        { mac: A, at: T + 201 },
        { mac: B, at: T + 202 },
      ],
    });
    expect(both).toMatchObject({ type: 'holder', from: [A], to: [A, B], firstToAt: at(202) });
    const [onlyB] = t.round({ sentAt: T + 400, replies: [{ mac: B, at: T + 401 }] });
    expect(onlyB).toMatchObject({ from: [A, B], to: [B], lastFromAt: at(201), failoverMs: 200 });
  });

  it('an old gratuitous ARP from before the last reply of the old holder is not the announcement', () => {
    const t = new ArpWatchTracker();
    t.gratuitous({ at: T, mac: B, op: 'request' });
    t.round({ sentAt: T + 10, replies: [{ mac: A, at: T + 11 }] });
    const [ev] = t.round({ sentAt: T + 200, replies: [{ mac: B, at: T + 201 }] });
    expect(ev).toMatchObject({ gratuitousAt: null, failoverMs: 190 });
  });
});

describe('gratuitousFilter', () => {
  it('matches ARP whose sender and target addresses are the address', () => {
    expect(gratuitousFilter('198.51.100.10')).toBe('arp and arp[14:4] = 0xc633640a and arp[24:4] = 0xc633640a');
  });
});
