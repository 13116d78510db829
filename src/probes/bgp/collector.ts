// The passive BGP collector behind `exposectl probe bgp`: a TCP server that accepts any
// number of BGP speakers, runs one session per connection and reports, per peer, the
// session state and the routes received. It gathers facts only: no printing, no judgement.
//
//   const c = await startBgpCollector({ listen: '0.0.0.0', port: 1790, localAs: 64512, peers: ['192.0.2.11'] });
//   ...                    // speakers connect and announce
//   const seen = c.snapshot();   // BgpObservation, plain JSON
//   await c.stop();              // Cease / Administrative Shutdown to every peer
import net from 'node:net';
import os from 'node:os';
import type {
  BgpNotificationRecord,
  BgpObservation,
  BgpPeerObservation,
  BgpState,
  BgpStateChange,
} from '../../model/bgp-observation.js';
import { addressToBytes, normalizeAddress } from './address.js';
import { encodeMessage } from './codec.js';
import { CeaseSubcode, ErrorCode } from './messages.js';
import { BgpSession, type SessionEvent, systemTimers, type Timers } from './session.js';

// The observation types live in model/ (analyzers and renderers read them); named here too for the probe's callers.
export type { BgpObservation, BgpPeerObservation, BgpStateChange };

export interface BgpPeerSpec {
  address: string;
  /** Refuse the session (OPEN error Bad Peer AS) when the peer's AS differs. */
  remoteAs?: number;
}

export interface BgpCollectorOptions {
  /** Address to listen on (`0.0.0.0`, `::`, or one address). */
  listen: string;
  /** TCP port; 179 is BGP's, tests use a non-privileged one; 0 picks a free one. */
  port: number;
  localAs: number;
  /** BGP identifier; default: the listen address when it is one IPv4 address, else the host's first IPv4 address. */
  routerId?: string;
  /** Proposed hold time in seconds (0 or >= 3). Default 90. */
  holdTime?: number;
  /** Expected peers. When given, connections from any other address are refused (Cease / Connection Rejected). */
  peers?: Array<string | BgpPeerSpec>;
  onEvent?: (event: BgpCollectorEvent) => void;
  errorHandling?: 'rfc7606' | 'strict';
  extendedMessages?: boolean;
  maxPrefixes?: number;
  timers?: Timers;
}

export type BgpCollectorEvent =
  | SessionEvent
  | { type: 'connected'; peer: string; remotePort: number; at: string }
  | { type: 'rejected'; peer: string; reason: string; at: string };

export interface BgpCollector {
  /** The bound address and port (the real port when 0 was asked for). */
  readonly address: string;
  readonly port: number;
  snapshot(): BgpObservation;
  /** Cease / Administrative Shutdown to every peer, then close the listener. */
  stop(): Promise<void>;
}

const HISTORY_LIMIT = 50;
const STATE_RANK: Record<BgpState, number> = {
  Idle: 0,
  Connect: 1,
  Active: 1,
  OpenSent: 2,
  OpenConfirm: 3,
  Established: 4,
};

interface PeerRecord {
  address: string;
  expected: boolean;
  remoteAs?: number;
  sessions: BgpSession[]; // open ones, oldest first
  last: BgpSession | null; // the most recent session, open or closed
  connections: number;
  establishedCount: number;
  lastNotification: BgpNotificationRecord | null;
  lastCloseReason: string | null;
  lastClosedAt: string | null;
  history: BgpStateChange[];
}

function defaultRouterId(listen: string): string {
  const b = addressToBytes(listen);
  if (b && b.length === 4 && b.some((x) => x !== 0)) return listen;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) return i.address;
  }
  return '127.0.0.1';
}

export async function startBgpCollector(options: BgpCollectorOptions): Promise<BgpCollector> {
  const timers = options.timers ?? systemTimers;
  const iso = () => new Date(timers.now()).toISOString();
  const routerId = options.routerId ?? defaultRouterId(options.listen);
  const startedAt = iso();
  const peers = new Map<string, PeerRecord>();
  const rejected: BgpObservation['rejected'] = [];
  const sockets = new Set<net.Socket>();
  const restricted = options.peers !== undefined;

  const emit = (e: BgpCollectorEvent): void => {
    try {
      options.onEvent?.(e);
    } catch {
      // observers cannot break the collector
    }
  };

  const newRecord = (address: string, expected: boolean, remoteAs?: number): PeerRecord => {
    const r: PeerRecord = {
      address,
      expected,
      sessions: [],
      last: null,
      connections: 0,
      establishedCount: 0,
      lastNotification: null,
      lastCloseReason: null,
      lastClosedAt: null,
      history: [],
    };
    if (remoteAs !== undefined) r.remoteAs = remoteAs;
    return r;
  };
  for (const p of options.peers ?? []) {
    const spec = typeof p === 'string' ? { address: p } : p;
    const address = normalizeAddress(spec.address);
    peers.set(address, newRecord(address, true, spec.remoteAs));
  }

  // Probe the session options once, so bad ones fail here and not on the first peer.
  new BgpSession({
    localAs: options.localAs,
    routerId,
    peerAddress: 'check',
    transport: { write() {}, close() {} },
    timers,
    ...(options.holdTime !== undefined ? { holdTime: options.holdTime } : {}),
  });

  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      // 'close' follows; the session records it.
    });
    const address = normalizeAddress(socket.remoteAddress ?? 'unknown');
    let record = peers.get(address);
    if (!record && restricted) {
      const reason = 'not an expected peer';
      rejected.push({ address, at: iso(), reason });
      if (rejected.length > HISTORY_LIMIT) rejected.shift();
      emit({ type: 'rejected', peer: address, reason, at: iso() });
      socket.end(
        Buffer.from(
          encodeMessage({
            type: 'notification',
            code: ErrorCode.CEASE,
            subcode: CeaseSubcode.CONNECTION_REJECTED,
            data: new Uint8Array(0),
          }),
        ),
      );
      socket.setTimeout(2000, () => socket.destroy());
      return;
    }
    if (!record) {
      record = newRecord(address, false);
      peers.set(address, record);
    }
    const peer = record;
    peer.connections++;
    socket.setNoDelay(true);
    emit({ type: 'connected', peer: address, remotePort: socket.remotePort ?? 0, at: iso() });

    const session: BgpSession = new BgpSession({
      localAs: options.localAs,
      routerId,
      peerAddress: address,
      timers,
      ...(options.holdTime !== undefined ? { holdTime: options.holdTime } : {}),
      ...(peer.remoteAs !== undefined ? { expectedAs: peer.remoteAs } : {}),
      ...(options.errorHandling ? { errorHandling: options.errorHandling } : {}),
      ...(options.extendedMessages !== undefined ? { extendedMessages: options.extendedMessages } : {}),
      ...(options.maxPrefixes !== undefined ? { maxPrefixes: options.maxPrefixes } : {}),
      transport: {
        write: (bytes) => {
          if (!socket.destroyed) socket.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        },
        close: () => {
          if (socket.destroyed) return;
          socket.end();
          socket.setTimeout(2000, () => socket.destroy());
        },
      },
      onEvent: (e) => {
        if (e.type === 'state') {
          peer.history.push({ at: e.at, from: e.from, to: e.to });
          if (peer.history.length > HISTORY_LIMIT) peer.history.shift();
          if (e.to === 'Established') peer.establishedCount++;
        } else if (e.type === 'notification') {
          peer.lastNotification = e.notification;
        } else if (e.type === 'closed') {
          peer.lastCloseReason = e.reason;
          peer.lastClosedAt = e.at;
          peer.sessions = peer.sessions.filter((s) => s !== session);
        } else if (e.type === 'open') {
          // RFC 4271 §6.8, for a peer that only ever connects to us: a second
          // connection means the peer gave up on the first one; the newer one wins.
          for (const other of [...peer.sessions]) if (other !== session) other.resolveCollision();
        }
        emit(e);
      },
    });
    peer.sessions.push(session);
    peer.last = session;
    socket.on('data', (chunk: Buffer) => session.receive(chunk));
    socket.on('close', () => session.connectionClosed());
    session.accept();
  };

  const server = net.createServer((socket) => {
    try {
      onConnection(socket);
    } catch {
      // Whatever went wrong with this connection, the others go on.
      socket.destroy();
    }
  });
  server.on('error', () => {
    // listen errors are reported by the promise below; later ones have no one to tell
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ host: options.listen, port: options.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;

  const primary = (p: PeerRecord): BgpSession | null => {
    let best: BgpSession | null = null;
    for (const s of p.sessions) if (!best || STATE_RANK[s.state] >= STATE_RANK[best.state]) best = s;
    return best ?? p.last;
  };

  const observe = (p: PeerRecord): BgpPeerObservation => {
    const s = primary(p);
    const info = s?.snapshot();
    const open = s !== null && info !== undefined && info.state !== 'Idle';
    return {
      address: p.address,
      expected: p.expected,
      state: info ? info.state : p.expected ? 'Active' : 'Idle',
      remoteAs: info?.remoteAs ?? null,
      routerId: info?.remoteRouterId ?? null,
      holdTime: info?.holdTime ?? null,
      capabilities: info?.capabilities ?? null,
      establishedAt: info?.state === 'Established' ? (info.establishedAt ?? null) : null,
      connections: p.connections,
      establishedCount: p.establishedCount,
      lastNotification: p.lastNotification,
      lastCloseReason: p.lastCloseReason,
      lastClosedAt: p.lastClosedAt,
      updateErrors: open ? info.updateErrors : 0,
      lastUpdateError: info?.lastUpdateError ?? null,
      endOfRib: open ? info.endOfRib : [],
      routes: open && s ? s.routes() : [],
      history: p.history.map((h) => ({ ...h })),
    };
  };

  let stopping: Promise<void> | null = null;
  return {
    address: normalizeAddress(bound.address),
    port: bound.port,
    snapshot(): BgpObservation {
      return {
        apiVersion: 'exposectl.dev/v1alpha1',
        kind: 'BgpObservation',
        listen: { address: normalizeAddress(bound.address), port: bound.port },
        localAs: options.localAs,
        routerId,
        startedAt,
        capturedAt: iso(),
        peers: [...peers.values()]
          .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
          .map(observe),
        rejected: rejected.map((r) => ({ ...r })),
      };
    },
    stop(): Promise<void> {
      stopping ??= new Promise<void>((resolve) => {
        for (const p of peers.values()) for (const s of [...p.sessions]) s.stop('exposectl probe stopped');
        server.close(() => resolve());
        // Give NOTIFICATIONs a moment to flush, then drop whatever is left.
        const t = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 500);
        t.unref();
        if (sockets.size === 0) clearTimeout(t);
      });
      return stopping;
    },
  };
}
