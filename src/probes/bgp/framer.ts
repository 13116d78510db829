// Splits a TCP byte stream into BGP messages (RFC 4271 §4.1): 16-octet all-ones marker,
// 2-octet length (19..4096, or up to 65535 once RFC 8654 extended messages are
// negotiated), 1-octet type. A header error is returned as a BgpDecodeError; after one,
// the framer stays broken (the session is closed anyway).
import { checkHeader } from './codec.js';
import { BgpDecodeError } from './errors.js';
import { HEADER_LENGTH, MAX_MESSAGE_LENGTH } from './messages.js';

export class BgpFramer {
  private buffer: Uint8Array = new Uint8Array(0);
  private failed: BgpDecodeError | null = null;
  maxMessageLength: number;

  constructor(maxMessageLength: number = MAX_MESSAGE_LENGTH) {
    this.maxMessageLength = maxMessageLength;
  }

  /** Octets received but not yet part of a complete message. */
  get pending(): number {
    return this.buffer.length;
  }

  /**
   * Appends a chunk and returns every complete message it finishes (each a fresh copy,
   * header included), then the header error that stopped it, if any (bad marker, length
   * or type). Never throws. Once an error is returned, every later push returns it again.
   */
  push(chunk: Uint8Array): { messages: Uint8Array[]; error: BgpDecodeError | null } {
    if (this.failed) return { messages: [], error: this.failed };
    if (chunk.length > 0) {
      if (this.buffer.length === 0) {
        this.buffer = chunk;
      } else {
        const joined = new Uint8Array(this.buffer.length + chunk.length);
        joined.set(this.buffer, 0);
        joined.set(chunk, this.buffer.length);
        this.buffer = joined;
      }
    }
    const out: Uint8Array[] = [];
    let offset = 0;
    try {
      while (this.buffer.length - offset >= HEADER_LENGTH) {
        const { length } = checkHeader(this.buffer.subarray(offset, offset + HEADER_LENGTH), this.maxMessageLength);
        if (this.buffer.length - offset < length) break;
        out.push(this.buffer.slice(offset, offset + length));
        offset += length;
      }
    } catch (e) {
      this.failed = e instanceof BgpDecodeError ? e : new BgpDecodeError(6, 0, `framer: ${String(e)}`);
      this.buffer = new Uint8Array(0);
      return { messages: out, error: this.failed };
    }
    this.buffer = offset === this.buffer.length ? new Uint8Array(0) : this.buffer.slice(offset);
    return { messages: out, error: null };
  }
}
