// The collector over real TCP on loopback (127.0.0.0/8 only): scripted peers from distinct
// loopback source addresses, one of them misbehaving.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../../../src/probes/bgp/codec.js';
import { type BgpCollector, type BgpCollectorEvent, startBgpCollector } from '../../../../src/probes/bgp/collector.js';
import { BgpFramer } from '../../../../src/probes/bgp/framer.js';
import type { BgpMessage, Capability } from '../../../../src/probes/bgp/messages.js';
import { frame, updateBody } from './helpers.js';

const CAPS: Capability[] = [
  { code: 1, kind: 'multiprotocol', afi: 1, safi: 1 },
  { code: 1, kind: 'multiprotocol', afi: 2, safi: 1 },
  { code: 65, kind: 'four-octet-as', asn: 65001 },
];

/** A scripted BGP speaker over a real socket. */
class ScriptedPeer {
  readonly received: BgpMessage[] = [];
  closed = false;
  private socket!: net.Socket;
  private framer = new BgpFramer();
  private waiters: Array<() => void> = [];

  static async connect(port: number, localAddress: string): Promise<ScriptedPeer> {
    const p = new ScriptedPeer();
    await new Promise<void>((resolve, reject) => {
      p.socket = net.connect({ host: '127.0.0.1', port, localAddress }, resolve);
      p.socket.once('error', reject);
    });
    p.socket.on('data', (chunk) => {
      for (const m of p.framer.push(chunk).messages) p.received.push(decodeMessage(m));
      p.wake();
    });
    p.socket.on('close', () => {
      p.closed = true;
      p.wake();
    });
    p.socket.on('error', () => {});
    return p;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.received.map((m) => m.type))}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  async establish(asn = 65001, bgpId = '192.0.2.2'): Promise<void> {
    this.send(
      encodeMessage({
        type: 'open',
        version: 4,
        myAs: asn > 0xffff ? 23456 : asn,
        holdTime: 30,
        bgpId,
        capabilities: CAPS.map((c) => (c.kind === 'four-octet-as' ? { ...c, asn } : c)),
      }),
    );
    await this.until(() => this.received.some((m) => m.type === 'keepalive'), 'the OPEN and KEEPALIVE of the probe');
    this.send(encodeMessage({ type: 'keepalive' }));
  }

  destroy(): void {
    this.socket.destroy();
  }
}

let collector: BgpCollector | null = null;
const peers: ScriptedPeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await collector?.stop();
  collector = null;
});

async function until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('startBgpCollector on loopback', () => {
  it('serves several peers; a malformed UPDATE closes only that session', async () => {
    const events: BgpCollectorEvent[] = [];
    collector = await startBgpCollector({
      listen: '127.0.0.1',
      port: 0,
      localAs: 64512,
      routerId: '192.0.2.1',
      onEvent: (e) => events.push(e),
    });
    expect(collector.port).toBeGreaterThan(0);

    const good = await ScriptedPeer.connect(collector.port, '127.0.0.2');
    peers.push(good);
    await good.establish(65001, '192.0.2.2');
    const open = good.received[0];
    expect(open).toMatchObject({ type: 'open', myAs: 64512, bgpId: '192.0.2.1' });
    good.send(
      encodeMessage({
        type: 'update',
        withdrawn: [],
        attributes: {
          origin: 'igp',
          asPath: [{ type: 'sequence', asns: [65001] }],
          nextHop: '192.0.2.2',
          communities: [65001 * 65536 + 100],
          largeCommunities: [[65001, 7, 8]],
        },
        nlri: ['198.51.100.10/32'],
      }),
    );

    const bad = await ScriptedPeer.connect(collector.port, '127.0.0.3');
    peers.push(bad);
    await bad.establish(65002, '192.0.2.3');
    // NLRI with prefix length 33: UPDATE Message Error / Invalid Network Field.
    bad.send(frame(2, updateBody('', '40 01 01 00 40 02 06 02 01 0000fdea 40 03 04 c0000203', '21 c633640a 00')));
    await bad.until(() => bad.closed, 'the probe to close the bad session');
    expect(bad.received.at(-1)).toMatchObject({ type: 'notification', code: 3, subcode: 10 });

    await until(
      () => (collector!.snapshot().peers.find((p) => p.address === '127.0.0.2')?.routes.length ?? 0) === 1,
      'the route of the good peer',
    );
    const snap = collector.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap); // plain JSON
    const g = snap.peers.find((p) => p.address === '127.0.0.2')!;
    expect(g).toMatchObject({
      state: 'Established',
      remoteAs: 65001,
      routerId: '192.0.2.2',
      holdTime: 30,
      connections: 1,
      establishedCount: 1,
      expected: false,
    });
    expect(g.routes).toEqual([
      expect.objectContaining({
        prefix: '198.51.100.10/32',
        nextHop: '192.0.2.2',
        asPath: '65001',
        communities: ['65001:100'],
        largeCommunities: ['65001:7:8'],
      }),
    ]);
    const b = snap.peers.find((p) => p.address === '127.0.0.3')!;
    expect(b).toMatchObject({ state: 'Idle', remoteAs: 65002, establishedAt: null, establishedCount: 1, routes: [] });
    expect(b.lastNotification).toMatchObject({
      direction: 'sent',
      code: 3,
      subcode: 10,
      subcodeName: 'Invalid Network Field',
    });
    expect(b.history.map((h) => h.to)).toEqual(['Active', 'OpenSent', 'OpenConfirm', 'Established', 'Idle']);

    // The good peer is still served.
    good.send(encodeMessage({ type: 'update', withdrawn: ['198.51.100.10/32'], attributes: {}, nlri: [] }));
    await until(
      () => collector!.snapshot().peers.find((p) => p.address === '127.0.0.2')!.routes.length === 0,
      'the withdrawal',
    );
    expect(events.some((e) => e.type === 'update' && e.withdrawn.includes('198.51.100.10/32'))).toBe(true);
  });

  it('with expected peers: refuses others with Cease / Connection Rejected, lists silent ones, checks the AS', async () => {
    collector = await startBgpCollector({
      listen: '127.0.0.1',
      port: 0,
      localAs: 64512,
      routerId: '192.0.2.1',
      peers: ['127.0.0.2', { address: '127.0.0.4', remoteAs: 65004 }, '127.0.0.9'],
    });
    const stranger = await ScriptedPeer.connect(collector.port, '127.0.0.3');
    peers.push(stranger);
    await stranger.until(() => stranger.closed, 'the refusal');
    expect(stranger.received).toHaveLength(1);
    expect(stranger.received[0]).toMatchObject({ type: 'notification', code: 6, subcode: 5 });

    const wrongAs = await ScriptedPeer.connect(collector.port, '127.0.0.4');
    peers.push(wrongAs);
    wrongAs.send(
      encodeMessage({ type: 'open', version: 4, myAs: 65005, holdTime: 30, bgpId: '192.0.2.4', capabilities: CAPS }),
    );
    await wrongAs.until(() => wrongAs.closed, 'Bad Peer AS');
    expect(wrongAs.received.at(-1)).toMatchObject({ type: 'notification', code: 2, subcode: 2 });

    const ok = await ScriptedPeer.connect(collector.port, '127.0.0.2');
    peers.push(ok);
    await ok.establish();
    await until(
      () => collector!.snapshot().peers.find((p) => p.address === '127.0.0.2')!.state === 'Established',
      'Established',
    );

    const snap = collector.snapshot();
    expect(snap.rejected).toEqual([expect.objectContaining({ address: '127.0.0.3', reason: 'not an expected peer' })]);
    expect(snap.peers.map((p) => [p.address, p.state, p.expected])).toEqual([
      ['127.0.0.2', 'Established', true],
      ['127.0.0.4', 'Idle', true],
      ['127.0.0.9', 'Active', true],
    ]);
    expect(snap.peers[1]!.lastNotification).toMatchObject({
      code: 2,
      subcode: 2,
      reason: expect.stringContaining('expected 65004'),
    });
  });

  it('a peer reconnecting replaces its old session; a dropped connection is recorded', async () => {
    collector = await startBgpCollector({ listen: '127.0.0.1', port: 0, localAs: 64512, routerId: '192.0.2.1' });
    const first = await ScriptedPeer.connect(collector.port, '127.0.0.2');
    peers.push(first);
    await first.establish();
    const second = await ScriptedPeer.connect(collector.port, '127.0.0.2');
    peers.push(second);
    await second.establish();
    await first.until(() => first.closed, 'the old session to be closed');
    expect(first.received.at(-1)).toMatchObject({ type: 'notification', code: 6, subcode: 7 });
    await until(() => collector!.snapshot().peers[0]!.state === 'Established', 'the new session');
    expect(collector.snapshot().peers[0]).toMatchObject({ connections: 2, establishedCount: 2 });

    second.destroy();
    await until(() => collector!.snapshot().peers[0]!.state === 'Idle', 'Idle after the drop');
    expect(collector.snapshot().peers[0]!.lastCloseReason).toBe('connection closed by peer');
  });

  it('stop() sends Cease / Administrative Shutdown to established peers', async () => {
    collector = await startBgpCollector({ listen: '127.0.0.1', port: 0, localAs: 64512, routerId: '192.0.2.1' });
    const p = await ScriptedPeer.connect(collector.port, '127.0.0.2');
    peers.push(p);
    await p.establish();
    await until(() => collector!.snapshot().peers[0]?.state === 'Established', 'Established');
    await collector.stop();
    collector = null;
    await p.until(() => p.closed, 'close');
    expect(p.received.at(-1)).toMatchObject({ type: 'notification', code: 6, subcode: 2 });
  });

  it('garbage from many connections at once closes those sessions only', async () => {
    collector = await startBgpCollector({ listen: '127.0.0.1', port: 0, localAs: 64512, routerId: '192.0.2.1' });
    const good = await ScriptedPeer.connect(collector.port, '127.0.0.2');
    peers.push(good);
    await good.establish();
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const noisy: ScriptedPeer[] = [];
    for (let i = 0; i < 20; i++) {
      const p = await ScriptedPeer.connect(collector.port, `127.0.1.${i + 1}`);
      peers.push(p);
      noisy.push(p);
      const junk = Uint8Array.from({ length: 1 + Math.floor(random() * 300) }, (_, k) =>
        k < 16 && i % 2 === 0 ? 0xff : Math.floor(random() * 256),
      );
      p.send(junk);
      if (i % 3 === 0) p.destroy();
    }
    good.send(
      encodeMessage({
        type: 'update',
        withdrawn: [],
        attributes: { origin: 'igp', asPath: [], nextHop: '192.0.2.2' },
        nlri: ['192.0.2.0/24'],
      }),
    );
    await until(
      () => collector!.snapshot().peers.find((p) => p.address === '127.0.0.2')!.routes.length === 1,
      'the good route',
    );
    const snap = collector.snapshot();
    expect(snap.peers.find((p) => p.address === '127.0.0.2')!.state).toBe('Established');
    for (const p of snap.peers.filter((x) => x.address !== '127.0.0.2'))
      expect(['OpenSent', 'Idle']).toContain(p.state);
  });

  it('fails to start on a port already taken, and on a bad configuration', async () => {
    collector = await startBgpCollector({ listen: '127.0.0.1', port: 0, localAs: 64512, routerId: '192.0.2.1' });
    await expect(
      startBgpCollector({ listen: '127.0.0.1', port: collector.port, localAs: 64512, routerId: '192.0.2.1' }),
    ).rejects.toThrow(/EADDRINUSE/);
    await expect(startBgpCollector({ listen: '127.0.0.1', port: 0, localAs: 64512, holdTime: 1 })).rejects.toThrow(
      RangeError,
    );
  });
});
