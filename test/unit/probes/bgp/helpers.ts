// Shared test helpers for the BGP probe: byte builders, a manual clock, a transport that
// records what the session writes.
import { decodeMessage } from '../../../../src/probes/bgp/codec.js';
import type { BgpMessage } from '../../../../src/probes/bgp/messages.js';
import type { SessionTransport, Timers } from '../../../../src/probes/bgp/session.js';

export function hex(text: string): Uint8Array {
  const clean = text.replace(/[\s|_]/g, '');
  if (clean.length % 2) throw new Error(`odd hex: ${text}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

export const MARKER_HEX = 'ff'.repeat(16);

/** A whole message: marker, length, type, then the body given in hex. */
export function frame(type: number, bodyHex: string): Uint8Array {
  const body = hex(bodyHex);
  const out = new Uint8Array(19 + body.length);
  out.fill(0xff, 0, 16);
  out[16] = out.length >> 8;
  out[17] = out.length & 0xff;
  out[18] = type;
  out.set(body, 19);
  return out;
}

/** An UPDATE body from withdrawn, attributes and NLRI, each given in hex. */
export function updateBody(withdrawnHex: string, attrsHex: string, nlriHex: string): string {
  const w = hex(withdrawnHex);
  const a = hex(attrsHex);
  const len2 = (n: number) => n.toString(16).padStart(4, '0');
  return `${len2(w.length)}${toHex(w)}${len2(a.length)}${toHex(a)}${nlriHex.replace(/\s/g, '')}`;
}

export class FakeTimers implements Timers {
  private t: number;
  private nextId = 1;
  private pending = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  get active(): number {
    return this.pending.size;
  }
  /** Moves the clock forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.pending) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.pending.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

export class MemoryTransport implements SessionTransport {
  written: Uint8Array[] = [];
  closed = false;
  write(bytes: Uint8Array): void {
    this.written.push(bytes);
  }
  close(): void {
    this.closed = true;
  }
  /** Everything written, decoded (the probe only writes well-formed messages). */
  messages(): BgpMessage[] {
    return this.written.map((b) => decodeMessage(b));
  }
  take(): BgpMessage[] {
    const m = this.messages();
    this.written = [];
    return m;
  }
}
