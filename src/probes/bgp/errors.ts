// The one error type the BGP codec raises: it carries the NOTIFICATION the receiver owes
// its peer (RFC 4271 §6) and how RFC 7606 says to handle it.
import { errorCodeName, errorSubcodeName } from './messages.js';

/**
 * - `session-reset`: send NOTIFICATION(code, subcode, data) and close the session.
 * - `treat-as-withdraw`: keep the session; every prefix the UPDATE announces is withdrawn.
 * - `attribute-discard`: keep the session and the routes; ignore the bad attribute.
 */
export type ErrorAction = 'session-reset' | 'treat-as-withdraw' | 'attribute-discard';

export class BgpDecodeError extends Error {
  readonly code: number;
  readonly subcode: number;
  readonly data: Uint8Array;
  readonly action: ErrorAction;

  constructor(
    code: number,
    subcode: number,
    detail: string,
    data: Uint8Array = new Uint8Array(0),
    action: ErrorAction = 'session-reset',
  ) {
    super(`${errorCodeName(code)} / ${errorSubcodeName(code, subcode)}: ${detail}`);
    this.name = 'BgpDecodeError';
    this.code = code;
    this.subcode = subcode;
    this.data = data;
    this.action = action;
  }

  /** The same error with another action (RFC 7606 decides per attribute). */
  withAction(action: ErrorAction): BgpDecodeError {
    const e = new BgpDecodeError(this.code, this.subcode, '', this.data, action);
    e.message = this.message;
    return e;
  }
}
