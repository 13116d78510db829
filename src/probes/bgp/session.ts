// One BGP session of a passive peer (RFC 4271 §8): the finite state machine, hold and
// keepalive timers, OPEN negotiation and validation; UPDATEs go to the peer's Adj-RIB-In
// (adj-rib-in.ts), which turns them into routes.
//
// The session owns no socket and no clock: bytes come in through receive(), go out
// through the transport, and time comes from the injected Timers. It never throws out
// of receive(); any bad message ends in a NOTIFICATION and the close of this session.

import type { BgpNotificationRecord, BgpRoute, BgpState, PeerCapabilities } from '../../model/bgp-observation.js';
import { addressToBytes } from './address.js';
import { AdjRibIn } from './adj-rib-in.js';
import { type DecodedMessage, decodeMessage, encodeMessage, shutdownCommunication } from './codec.js';
import { BgpDecodeError } from './errors.js';
import { BgpFramer } from './framer.js';
import {
  type AddressFamily,
  Afi,
  AS_TRANS,
  BGP_VERSION,
  type Capability,
  CeaseSubcode,
  type DecodedUpdate,
  ErrorCode,
  errorCodeName,
  errorSubcodeName,
  FsmSubcode,
  familyOf,
  MAX_EXTENDED_MESSAGE_LENGTH,
  MAX_MESSAGE_LENGTH,
  type NotificationMessage,
  type OpenMessage,
  OpenSubcode,
  Safi,
} from './messages.js';

// The observation types live in model/ (analyzers and renderers read them); named here too for the probe's callers.
export type { BgpNotificationRecord, BgpRoute, BgpState, PeerCapabilities };

export interface Timers {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface SessionTransport {
  write(bytes: Uint8Array): void;
  /** Closes the connection once what was written is flushed. */
  close(): void;
}

export interface MessageCounters {
  open: number;
  update: number;
  notification: number;
  keepalive: number;
  routeRefresh: number;
}

export interface BgpSessionInfo {
  peerAddress: string;
  state: BgpState;
  remoteAs?: number;
  remoteRouterId?: string;
  /** Negotiated hold time in seconds (0: no keepalives). */
  holdTime?: number;
  keepaliveInterval?: number;
  capabilities?: PeerCapabilities;
  connectedAt: string;
  establishedAt?: string;
  closedAt?: string;
  /** Why the session closed, in words. */
  closeReason?: string;
  lastNotification?: BgpNotificationRecord;
  /** Non-fatal RFC 7606 errors seen in UPDATEs (treat-as-withdraw / attribute discard). */
  updateErrors: number;
  lastUpdateError?: string;
  endOfRib: AddressFamily[];
  received: MessageCounters;
  sent: MessageCounters;
}

export type SessionEvent =
  | { type: 'state'; peer: string; from: BgpState; to: BgpState; at: string }
  | { type: 'open'; peer: string; open: OpenMessage; at: string }
  | {
      type: 'update';
      peer: string;
      /** The prefixes announced and withdrawn (text made when first read: reading them for every UPDATE of a full table costs). */
      announced: string[];
      withdrawn: string[];
      treatAsWithdraw: boolean;
      errors: string[];
      /** Routes held from this peer after the UPDATE. */
      routes: number;
      at: string;
    }
  | { type: 'end-of-rib'; peer: string; family: AddressFamily; at: string }
  | { type: 'route-refresh'; peer: string; afi: number; safi: number; at: string }
  | { type: 'notification'; peer: string; notification: BgpNotificationRecord }
  | { type: 'closed'; peer: string; reason: string; at: string };

export interface SessionOptions {
  localAs: number;
  routerId: string;
  peerAddress: string;
  transport: SessionTransport;
  /** Proposed hold time in seconds: 0 or at least 3. Default 90. */
  holdTime?: number;
  /** Refuse the peer (Bad Peer AS) unless its AS is this one. */
  expectedAs?: number;
  timers?: Timers;
  errorHandling?: 'rfc7606' | 'strict';
  /** Advertise RFC 8654 extended messages. Default false. */
  extendedMessages?: boolean;
  /** Hold time while waiting for the peer's OPEN, in seconds (RFC 4271 suggests 240). */
  openHoldTime?: number;
  /** Close with Cease/Maximum Number of Prefixes Reached above this many routes. */
  maxPrefixes?: number;
  onEvent?: (event: SessionEvent) => void;
}

const emptyCounters = (): MessageCounters => ({ open: 0, update: 0, notification: 0, keepalive: 0, routeRefresh: 0 });

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** The capabilities this probe advertises and understands. */
export function localCapabilities(localAs: number, extendedMessages: boolean): Capability[] {
  const caps: Capability[] = [
    { code: 1, kind: 'multiprotocol', afi: Afi.IPV4, safi: Safi.UNICAST },
    { code: 1, kind: 'multiprotocol', afi: Afi.IPV6, safi: Safi.UNICAST },
    { code: 2, kind: 'route-refresh' },
    { code: 65, kind: 'four-octet-as', asn: localAs },
  ];
  if (extendedMessages) caps.push({ code: 6, kind: 'extended-message' });
  return caps;
}

export class BgpSession {
  private readonly opts: SessionOptions;
  private readonly timers: Timers;
  private readonly framer = new BgpFramer();
  /** What the peer advertises (adj-rib-in.ts): the session feeds it UPDATEs, never reads its tables. */
  private readonly rib = new AdjRibIn();
  private readonly localHoldTime: number;
  private stateValue: BgpState = 'Idle';
  private holdTimer: unknown = null;
  private holdSeconds = 0;
  private heardAt = 0;
  private keepaliveTimer: unknown = null;
  private fourOctetAs = false;
  private info: BgpSessionInfo;
  private closed = false;

  constructor(options: SessionOptions) {
    const hold = options.holdTime ?? 90;
    if (!Number.isInteger(hold) || hold < 0 || hold > 65535 || hold === 1 || hold === 2) {
      throw new RangeError(`hold time must be 0 or 3..65535 seconds, not ${hold}`);
    }
    if (!Number.isInteger(options.localAs) || options.localAs < 1 || options.localAs > 0xffffffff) {
      throw new RangeError(`local AS must be 1..4294967295, not ${options.localAs}`);
    }
    const id = addressToBytes(options.routerId);
    if (id?.length !== 4 || id.every((b) => b === 0))
      throw new RangeError(`router id must be a non-zero IPv4 address, not ${options.routerId}`);
    this.opts = options;
    this.timers = options.timers ?? systemTimers;
    this.localHoldTime = hold;
    this.info = {
      peerAddress: options.peerAddress,
      state: 'Idle',
      connectedAt: this.isoNow(),
      updateErrors: 0,
      endOfRib: [],
      received: emptyCounters(),
      sent: emptyCounters(),
    };
  }

  get state(): BgpState {
    return this.stateValue;
  }

  get peerAddress(): string {
    return this.opts.peerAddress;
  }

  /** A copy of what is known about the session. */
  snapshot(): BgpSessionInfo {
    return structuredClone({ ...this.info, state: this.stateValue });
  }

  /** The Adj-RIB-In, sorted by prefix. */
  routes(): BgpRoute[] {
    return this.rib.routes();
  }

  get routeCount(): number {
    return this.rib.size;
  }

  /** ManualStart with passive TCP establishment: Idle -> Active. */
  start(): void {
    if (this.stateValue === 'Idle' && !this.closed) this.transition('Active');
  }

  /** The TCP connection is up (accepted): send OPEN, Active -> OpenSent. */
  connectionEstablished(): void {
    if (this.stateValue !== 'Active') return;
    this.guard(() => {
      this.send({
        type: 'open',
        version: BGP_VERSION,
        myAs: this.opts.localAs > 0xffff ? AS_TRANS : this.opts.localAs,
        holdTime: this.localHoldTime,
        bgpId: this.opts.routerId,
        capabilities: localCapabilities(this.opts.localAs, this.opts.extendedMessages ?? false),
      });
      this.startHoldTimer(this.opts.openHoldTime ?? 240);
      this.transition('OpenSent');
    });
  }

  /** start() then connectionEstablished(): what a passive peer does on accept. */
  accept(): void {
    this.start();
    this.connectionEstablished();
  }

  /** Bytes from the peer. Never throws. */
  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    this.guard(() => {
      const { messages, error } = this.framer.push(chunk);
      for (const m of messages) {
        if (this.closed) return;
        this.handle(m);
      }
      if (error && !this.closed) this.fail(error);
    });
  }

  /** The TCP connection closed or failed under us. */
  connectionClosed(reason = 'connection closed by peer'): void {
    if (this.closed) return;
    this.close(reason, false);
  }

  /** Administrative stop: Cease / Administrative Shutdown, then close. */
  stop(reason = 'probe stopped'): void {
    if (this.closed) return;
    if (this.stateValue === 'OpenSent' || this.stateValue === 'OpenConfirm' || this.stateValue === 'Established') {
      const text = new TextEncoder().encode(reason).subarray(0, 255);
      const data = new Uint8Array(1 + text.length);
      data[0] = text.length;
      data.set(text, 1);
      this.sendNotification(ErrorCode.CEASE, CeaseSubcode.ADMINISTRATIVE_SHUTDOWN, data, reason);
    }
    this.close(reason, true);
  }

  /** Closes because another connection from the same peer won (RFC 4271 §6.8). */
  resolveCollision(): void {
    if (this.closed) return;
    this.sendNotification(
      ErrorCode.CEASE,
      CeaseSubcode.CONNECTION_COLLISION_RESOLUTION,
      new Uint8Array(0),
      'a newer connection from the same peer replaced this one',
    );
    this.close('connection collision: replaced by a newer connection', true);
  }

  // -------------------------------------------------------------------------------------

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (this.closed) return;
      if (e instanceof BgpDecodeError) {
        this.fail(e);
        return;
      }
      // A bug in the probe: end this session only, say so to the peer.
      const detail = e instanceof Error ? e.message : String(e);
      this.sendNotification(ErrorCode.CEASE, 0, new Uint8Array(0), `internal error: ${detail}`);
      this.close(`internal error: ${detail}`, true);
    }
  }

  private isoNow(): string {
    return new Date(this.timers.now()).toISOString();
  }

  private emit(event: SessionEvent): void {
    try {
      this.opts.onEvent?.(event);
    } catch {
      // An observer's failure must not break the session.
    }
  }

  private transition(to: BgpState): void {
    const from = this.stateValue;
    if (from === to) return;
    this.stateValue = to;
    this.info.state = to;
    const at = this.isoNow();
    if (to === 'Established') this.info.establishedAt = at;
    this.emit({ type: 'state', peer: this.peerAddress, from, to, at });
  }

  private send(msg: Parameters<typeof encodeMessage>[0]): void {
    const bytes = encodeMessage(msg, {
      fourOctetAs: this.fourOctetAs,
      maxMessageLength: this.framer.maxMessageLength,
    });
    const counter = msg.type === 'route-refresh' ? 'routeRefresh' : msg.type;
    this.info.sent[counter]++;
    try {
      this.opts.transport.write(bytes);
    } catch {
      // The close event of the connection reports it.
    }
  }

  private sendNotification(code: number, subcode: number, data: Uint8Array, reason: string): void {
    const record: BgpNotificationRecord = {
      direction: 'sent',
      code,
      subcode,
      codeName: errorCodeName(code),
      subcodeName: errorSubcodeName(code, subcode),
      data: hex(data),
      reason,
      at: this.isoNow(),
    };
    this.info.lastNotification = record;
    this.send({ type: 'notification', code, subcode, data });
    this.emit({ type: 'notification', peer: this.peerAddress, notification: record });
  }

  private fail(e: BgpDecodeError): void {
    this.sendNotification(e.code, e.subcode, e.data, e.message);
    this.close(e.message, true);
  }

  private fsmError(): void {
    const subcode =
      this.stateValue === 'OpenSent'
        ? FsmSubcode.UNEXPECTED_IN_OPENSENT
        : this.stateValue === 'OpenConfirm'
          ? FsmSubcode.UNEXPECTED_IN_OPENCONFIRM
          : FsmSubcode.UNEXPECTED_IN_ESTABLISHED;
    this.fail(new BgpDecodeError(ErrorCode.FSM, subcode, `unexpected message in ${this.stateValue}`));
  }

  private close(reason: string, closeTransport: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTimers();
    this.rib.clear();
    this.info.closedAt = this.isoNow();
    this.info.closeReason = reason;
    if (closeTransport) {
      try {
        this.opts.transport.close();
      } catch {
        // already gone
      }
    }
    this.transition('Idle');
    this.emit({ type: 'closed', peer: this.peerAddress, reason, at: this.info.closedAt });
  }

  private stopTimers(): void {
    if (this.holdTimer !== null) this.timers.clearTimeout(this.holdTimer);
    if (this.keepaliveTimer !== null) this.timers.clearTimeout(this.keepaliveTimer);
    this.holdTimer = null;
    this.keepaliveTimer = null;
  }

  /**
   * Arms the hold timer for `seconds`. Messages only move `heardAt`; when the timer fires
   * early because something was heard since, it re-arms for the rest (no timer churn per
   * UPDATE over a full table).
   */
  private startHoldTimer(seconds: number): void {
    if (this.holdTimer !== null) this.timers.clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.holdSeconds = seconds;
    this.heardAt = this.timers.now();
    if (seconds <= 0) return;
    this.armHoldTimer(seconds * 1000);
  }

  private armHoldTimer(ms: number): void {
    this.holdTimer = this.timers.setTimeout(() => {
      this.holdTimer = null;
      if (this.closed) return;
      const seconds = this.holdSeconds;
      const left = this.heardAt + seconds * 1000 - this.timers.now();
      if (left > 0) {
        this.armHoldTimer(left);
        return;
      }
      this.guard(() => {
        this.sendNotification(
          ErrorCode.HOLD_TIMER_EXPIRED,
          0,
          new Uint8Array(0),
          `no message from the peer for ${seconds} s`,
        );
        this.close(`hold timer expired (${seconds} s)`, true);
      });
    }, ms);
  }

  private restartHoldTimer(): void {
    this.heardAt = this.timers.now();
  }

  private startKeepaliveTimer(): void {
    if (this.keepaliveTimer !== null) this.timers.clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = null;
    const hold = this.info.holdTime ?? 0;
    if (hold <= 0) return;
    const intervalMs = Math.max(1, Math.floor((hold * 1000) / 3));
    this.info.keepaliveInterval = intervalMs / 1000;
    this.keepaliveTimer = this.timers.setTimeout(() => {
      this.keepaliveTimer = null;
      if (this.closed) return;
      this.guard(() => {
        this.send({ type: 'keepalive' });
        this.startKeepaliveTimer();
      });
    }, intervalMs);
  }

  private handle(bytes: Uint8Array): void {
    let msg: DecodedMessage;
    try {
      msg = decodeMessage(bytes, {
        fourOctetAs: this.fourOctetAs,
        maxMessageLength: this.framer.maxMessageLength,
        errorHandling: this.opts.errorHandling ?? 'rfc7606',
      });
    } catch (e) {
      if (e instanceof BgpDecodeError) {
        // A malformed message of a type the current state does not accept is an FSM
        // error first (RFC 6608); only then do its contents matter.
        this.fail(e);
        return;
      }
      throw e;
    }
    const counter = msg.type === 'route-refresh' ? 'routeRefresh' : msg.type;
    this.info.received[counter]++;

    if (msg.type === 'notification') {
      this.receivedNotification(msg);
      return;
    }
    switch (this.stateValue) {
      case 'OpenSent':
        if (msg.type !== 'open') return this.fsmError();
        return this.receivedOpen(msg);
      case 'OpenConfirm':
        if (msg.type !== 'keepalive') return this.fsmError();
        this.restartHoldTimer();
        this.transition('Established');
        return;
      case 'Established':
        switch (msg.type) {
          case 'keepalive':
            this.restartHoldTimer();
            return;
          case 'update':
            this.restartHoldTimer();
            this.receivedUpdate(msg);
            return;
          case 'route-refresh':
            // Nothing to re-advertise: the probe announces no routes.
            this.emit({
              type: 'route-refresh',
              peer: this.peerAddress,
              afi: msg.afi,
              safi: msg.safi,
              at: this.isoNow(),
            });
            return;
          default:
            return this.fsmError();
        }
      default:
        return;
    }
  }

  private receivedNotification(n: NotificationMessage): void {
    const record: BgpNotificationRecord = {
      direction: 'received',
      code: n.code,
      subcode: n.subcode,
      codeName: errorCodeName(n.code),
      subcodeName: errorSubcodeName(n.code, n.subcode),
      data: hex(n.data),
      at: this.isoNow(),
    };
    const text = shutdownCommunication(n);
    if (text !== undefined) record.reason = text;
    this.info.lastNotification = record;
    this.emit({ type: 'notification', peer: this.peerAddress, notification: record });
    this.close(`NOTIFICATION from peer: ${record.codeName} / ${record.subcodeName}${text ? ` (${text})` : ''}`, true);
  }

  private receivedOpen(open: OpenMessage): void {
    const four = open.capabilities.find((c) => c.kind === 'four-octet-as');
    const remoteAs = four && four.kind === 'four-octet-as' ? four.asn : open.myAs;
    const openError = (subcode: number, detail: string, data?: Uint8Array) =>
      new BgpDecodeError(ErrorCode.OPEN_MESSAGE, subcode, detail, data);

    if (open.myAs === 0 || remoteAs === 0) return this.fail(openError(OpenSubcode.BAD_PEER_AS, 'peer AS 0'));
    if (this.opts.expectedAs !== undefined && remoteAs !== this.opts.expectedAs) {
      return this.fail(openError(OpenSubcode.BAD_PEER_AS, `peer AS ${remoteAs}, expected ${this.opts.expectedAs}`));
    }
    if (open.holdTime === 1 || open.holdTime === 2) {
      return this.fail(openError(OpenSubcode.UNACCEPTABLE_HOLD_TIME, `hold time ${open.holdTime} s`));
    }
    if (open.bgpId === '0.0.0.0') return this.fail(openError(OpenSubcode.BAD_BGP_IDENTIFIER, 'BGP identifier 0.0.0.0'));
    if (remoteAs === this.opts.localAs && open.bgpId === this.opts.routerId) {
      return this.fail(
        openError(OpenSubcode.BAD_BGP_IDENTIFIER, `internal peer uses our BGP identifier ${open.bgpId}`),
      );
    }

    const caps: PeerCapabilities = {
      fourOctetAs: !!four,
      routeRefresh: false,
      extendedMessage: false,
      gracefulRestart: false,
      families: [],
      other: [],
    };
    for (const c of open.capabilities) {
      if (c.kind === 'route-refresh') caps.routeRefresh = true;
      else if (c.kind === 'extended-message') caps.extendedMessage = true;
      else if (c.kind === 'graceful-restart') caps.gracefulRestart = true;
      else if (c.kind === 'multiprotocol') {
        const fam = familyOf(c.afi, c.safi);
        caps.families.push(fam ? `${fam}-unicast` : `afi${c.afi}-safi${c.safi}`);
      } else if (c.kind === 'unknown') caps.other.push(c.code);
    }
    this.fourOctetAs = caps.fourOctetAs;
    if (caps.extendedMessage && this.opts.extendedMessages) this.framer.maxMessageLength = MAX_EXTENDED_MESSAGE_LENGTH;
    else this.framer.maxMessageLength = MAX_MESSAGE_LENGTH;

    const hold = Math.min(this.localHoldTime, open.holdTime);
    this.info.remoteAs = remoteAs;
    this.info.remoteRouterId = open.bgpId;
    this.info.holdTime = hold;
    this.info.capabilities = caps;
    this.emit({ type: 'open', peer: this.peerAddress, open, at: this.isoNow() });
    if (this.closed) return; // an observer resolved a collision against this session

    this.send({ type: 'keepalive' });
    this.startHoldTimer(hold);
    this.startKeepaliveTimer();
    this.transition('OpenConfirm');
  }

  /** The UPDATE goes to the Adj-RIB-In (adj-rib-in.ts); the session keeps the counters, events and limits. */
  private receivedUpdate(u: DecodedUpdate): void {
    const at = this.isoNow();
    const a = u.attributes;
    const rib = this.rib;
    if (u.errors.length > 0) {
      this.info.updateErrors += u.errors.length;
      this.info.lastUpdateError = u.errors[u.errors.length - 1]!.message;
    }
    const { mpFamily, mpAnnounced, mpWithdrawn } = rib.apply(u, this.fourOctetAs, at);
    this.emit(new UpdateEvent(this.peerAddress, u, mpAnnounced, mpWithdrawn, rib.size, at));

    // End-of-RIB (RFC 4724 §2): an empty UPDATE for IPv4, an UPDATE with nothing but an
    // empty MP_UNREACH_NLRI for other families.
    if (u.withdrawnField.length === 0 && u.nlriField.length === 0) {
      const attrKeys = Object.keys(a);
      if (attrKeys.length === 0) this.markEndOfRib('ipv4', at);
      if (attrKeys.length === 1 && a.mpUnreach && a.mpUnreach.withdrawn.length === 0 && !a.mpUnreach.raw) {
        const fam = familyOf(a.mpUnreach.afi, a.mpUnreach.safi);
        if (fam) this.markEndOfRib(fam, at);
      }
    }

    const limit = this.opts.maxPrefixes;
    if (limit !== undefined && rib.size > limit) {
      // As routers do (RFC 4486 §4): Cease / Maximum Number of Prefixes Reached, its data
      // the AFI, SAFI and prefix upper bound of the family that went over the limit.
      const family: AddressFamily = u.nlriField.length > 0 || !mpFamily ? 'ipv4' : mpFamily;
      const reason = `${rib.size} prefixes received, more than the limit of ${limit} (--max-prefixes)`;
      this.sendNotification(ErrorCode.CEASE, CeaseSubcode.MAX_PREFIXES, maxPrefixesData(family, limit), reason);
      this.close(reason, true);
    }
  }

  private markEndOfRib(family: AddressFamily, at: string): void {
    if (!this.info.endOfRib.includes(family)) this.info.endOfRib.push(family);
    this.emit({ type: 'end-of-rib', peer: this.peerAddress, family, at });
  }
}

/** RFC 4486 §4 data of Cease / Maximum Number of Prefixes Reached: AFI (2), SAFI (1), upper bound (4). */
export function maxPrefixesData(family: AddressFamily, limit: number): Uint8Array {
  const data = new Uint8Array(7);
  const view = new DataView(data.buffer);
  view.setUint16(0, family === 'ipv4' ? Afi.IPV4 : Afi.IPV6);
  view.setUint8(2, Safi.UNICAST);
  view.setUint32(3, Math.min(limit, 0xffffffff));
  return data;
}

/** The `update` event; its prefixes become text only when an observer reads them. */
class UpdateEvent {
  readonly type = 'update';
  private announcedText: string[] | undefined;
  private withdrawnText: string[] | undefined;
  readonly treatAsWithdraw: boolean;
  readonly errors: string[];
  readonly peer: string;
  readonly routes: number;
  readonly at: string;
  private readonly update: DecodedUpdate;
  private readonly mpAnnounced: string[];
  private readonly mpWithdrawn: string[];
  constructor(
    peer: string,
    update: DecodedUpdate,
    mpAnnounced: string[],
    mpWithdrawn: string[],
    routes: number,
    at: string,
  ) {
    this.peer = peer;
    this.routes = routes;
    this.update = update;
    this.mpAnnounced = mpAnnounced;
    this.mpWithdrawn = mpWithdrawn;
    this.at = at;
    this.treatAsWithdraw = update.treatAsWithdraw;
    this.errors = update.errors.map((e) => e.message);
  }

  get announced(): string[] {
    return (this.announcedText ??= this.update.treatAsWithdraw ? [] : [...this.update.nlri, ...this.mpAnnounced]);
  }

  get withdrawn(): string[] {
    return (this.withdrawnText ??= [
      ...this.update.withdrawn,
      ...this.mpWithdrawn,
      ...(this.update.treatAsWithdraw ? [...this.update.nlri, ...this.mpAnnounced] : []),
    ]);
  }

  toJSON(): Extract<SessionEvent, { type: 'update' }> {
    return {
      type: this.type,
      peer: this.peer,
      announced: this.announced,
      withdrawn: this.withdrawn,
      treatAsWithdraw: this.treatAsWithdraw,
      errors: this.errors,
      routes: this.routes,
      at: this.at,
    };
  }
}
