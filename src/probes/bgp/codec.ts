// Encode and decode BGP-4 messages (RFC 4271 §4) and their path attributes.
//
// Decoding never throws anything but BgpDecodeError. Errors that reset the session are
// thrown; errors that RFC 7606 handles without a reset (treat-as-withdraw, attribute
// discard) are returned on the decoded UPDATE. With `errorHandling: 'strict'` (plain
// RFC 4271) every error is thrown as a session reset.
import {
  addressToBytes,
  bytesToAddress,
  decodePrefixes,
  encodePrefix,
  ipv4PrefixesValid,
  isValidIpv4NextHop,
} from './address.js';
import { BgpDecodeError, type ErrorAction } from './errors.js';
import {
  AS_PATH_SEGMENT_CODES,
  AS_TRANS,
  type AsPathSegment,
  type AsPathSegmentType,
  AttrFlag,
  AttrType,
  BGP_VERSION,
  type BgpMessage,
  type Capability,
  CapabilityCode,
  type DecodedUpdate,
  ErrorCode,
  familyOf,
  HEADER_LENGTH,
  HeaderSubcode,
  MAX_MESSAGE_LENGTH,
  MessageType,
  MIN_LENGTH,
  type MpReach,
  type MpUnreach,
  type NotificationMessage,
  type OpenMessage,
  OpenSubcode,
  ORIGIN_CODES,
  type PathAttributes,
  type Prefix,
  type RawAttribute,
  type RouteRefreshMessage,
  RouteRefreshSubcode,
  type UpdateMessage,
  UpdateSubcode,
} from './messages.js';

export interface CodecOptions {
  /** AS numbers in AS_PATH/AGGREGATOR take 4 octets (both sides sent capability 65). Default true. */
  fourOctetAs?: boolean;
  /** Largest acceptable message: 4096, or 65535 once extended messages are negotiated. */
  maxMessageLength?: number;
  /** 'rfc7606' (default): revised error handling; 'strict': every error resets the session. */
  errorHandling?: 'rfc7606' | 'strict';
}

export type DecodedMessage = Exclude<BgpMessage, UpdateMessage> | DecodedUpdate;

const MARKER = new Uint8Array(16).fill(0xff);

// ---------------------------------------------------------------------------------------
// Decoding

/** Decodes exactly one message (header included). Throws only BgpDecodeError. */
export function decodeMessage(bytes: Uint8Array, options: CodecOptions = {}): DecodedMessage {
  try {
    return decodeUnchecked(bytes, options);
  } catch (e) {
    if (e instanceof BgpDecodeError) throw e;
    // A bug must not escape as anything else: the peer gets a NOTIFICATION, not a crash.
    throw new BgpDecodeError(ErrorCode.CEASE, 0, `internal decoder error: ${String(e)}`);
  }
}

/** Non-throwing form. */
export function tryDecodeMessage(
  bytes: Uint8Array,
  options: CodecOptions = {},
): { ok: true; message: DecodedMessage } | { ok: false; error: BgpDecodeError } {
  try {
    return { ok: true, message: decodeMessage(bytes, options) };
  } catch (e) {
    return { ok: false, error: e as BgpDecodeError };
  }
}

/** Validates the 19-octet header; returns the message type. Used by the framer too. */
export function checkHeader(
  bytes: Uint8Array,
  maxMessageLength: number = MAX_MESSAGE_LENGTH,
): { length: number; type: number } {
  if (bytes.length < HEADER_LENGTH) {
    throw new BgpDecodeError(
      ErrorCode.MESSAGE_HEADER,
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      `message shorter than the ${HEADER_LENGTH}-octet header`,
    );
  }
  for (let i = 0; i < 16; i++) {
    if (bytes[i] !== 0xff) {
      throw new BgpDecodeError(
        ErrorCode.MESSAGE_HEADER,
        HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED,
        'marker is not all ones',
      );
    }
  }
  const length = (bytes[16]! << 8) | bytes[17]!;
  const type = bytes[18]!;
  if (length < HEADER_LENGTH || length > maxMessageLength) {
    throw new BgpDecodeError(
      ErrorCode.MESSAGE_HEADER,
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      `length ${length} outside ${HEADER_LENGTH}..${maxMessageLength}`,
      bytes.slice(16, 18),
    );
  }
  if (type < MessageType.OPEN || type > MessageType.ROUTE_REFRESH) {
    throw new BgpDecodeError(
      ErrorCode.MESSAGE_HEADER,
      HeaderSubcode.BAD_MESSAGE_TYPE,
      `unknown message type ${type}`,
      Uint8Array.of(type),
    );
  }
  return { length, type };
}

function decodeUnchecked(bytes: Uint8Array, options: CodecOptions): DecodedMessage {
  const { length, type } = checkHeader(bytes, options.maxMessageLength ?? MAX_MESSAGE_LENGTH);
  if (length !== bytes.length) {
    throw new BgpDecodeError(
      ErrorCode.MESSAGE_HEADER,
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      `length field ${length} but ${bytes.length} octets`,
      bytes.slice(16, 18),
    );
  }
  if (type === MessageType.ROUTE_REFRESH) {
    // RFC 7313 §5: a ROUTE-REFRESH is exactly 23 octets.
    if (length !== 23) {
      throw new BgpDecodeError(
        ErrorCode.ROUTE_REFRESH,
        RouteRefreshSubcode.INVALID_MESSAGE_LENGTH,
        `ROUTE-REFRESH of ${length} octets`,
        bytes.slice(),
      );
    }
  } else if (length < MIN_LENGTH[type]! || (type === MessageType.KEEPALIVE && length !== HEADER_LENGTH)) {
    throw new BgpDecodeError(
      ErrorCode.MESSAGE_HEADER,
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      `length ${length} is wrong for message type ${type}`,
      bytes.slice(16, 18),
    );
  }
  const body = bytes.subarray(HEADER_LENGTH);
  switch (type) {
    case MessageType.OPEN:
      return decodeOpen(body);
    case MessageType.UPDATE:
      return decodeUpdate(body, options);
    case MessageType.NOTIFICATION:
      return { type: 'notification', code: body[0]!, subcode: body[1]!, data: body.slice(2) };
    case MessageType.KEEPALIVE:
      return { type: 'keepalive' };
    default:
      return { type: 'route-refresh', afi: u16(body, 0), subtype: body[2]!, safi: body[3]! };
  }
}

function u16(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function openError(subcode: number, detail: string, data?: Uint8Array): BgpDecodeError {
  return new BgpDecodeError(ErrorCode.OPEN_MESSAGE, subcode, detail, data);
}

function decodeOpen(body: Uint8Array): OpenMessage {
  const version = body[0]!;
  if (version !== BGP_VERSION) {
    // Data: the largest locally supported version number (2 octets).
    throw openError(
      OpenSubcode.UNSUPPORTED_VERSION,
      `version ${version}, only 4 is supported`,
      Uint8Array.of(0, BGP_VERSION),
    );
  }
  const myAs = u16(body, 1);
  const holdTime = u16(body, 3);
  const bgpId = bytesToAddress(body.subarray(5, 9));
  // RFC 9072: Non-Ext OP Len 255 and Non-Ext OP Type 255 announce 2-octet lengths.
  const extended = body[9] === 255 && body.length > 10 && body[10] === 255;
  const optLength = extended ? (body.length >= 13 ? u16(body, 11) : -1) : body[9]!;
  const start = extended ? 13 : 10;
  const lengthSize = extended ? 2 : 1;
  if (start + optLength !== body.length) {
    throw openError(
      OpenSubcode.UNSPECIFIC,
      `optional parameters length ${optLength} does not match the message (${body.length - start} octets)`,
    );
  }
  const capabilities: Capability[] = [];
  let i = start;
  while (i < body.length) {
    if (i + 1 + lengthSize > body.length) throw openError(OpenSubcode.UNSPECIFIC, 'truncated optional parameter');
    const paramType = body[i]!;
    const paramLength = extended ? u16(body, i + 1) : body[i + 1]!;
    const end = i + 1 + lengthSize + paramLength;
    if (end > body.length)
      throw openError(OpenSubcode.UNSPECIFIC, `optional parameter ${paramType} overruns the message`);
    if (paramType !== 2) {
      throw openError(
        OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER,
        `optional parameter type ${paramType}`,
        body.slice(i, end),
      );
    }
    capabilities.push(...decodeCapabilities(body.subarray(i + 1 + lengthSize, end)));
    i = end;
  }
  return { type: 'open', version, myAs, holdTime, bgpId, capabilities };
}

function decodeCapabilities(b: Uint8Array): Capability[] {
  const out: Capability[] = [];
  let i = 0;
  while (i < b.length) {
    if (i + 2 > b.length) throw openError(OpenSubcode.UNSPECIFIC, 'truncated capability');
    const code = b[i]!;
    const length = b[i + 1]!;
    const v = b.subarray(i + 2, i + 2 + length);
    if (v.length !== length) throw openError(OpenSubcode.UNSPECIFIC, `capability ${code} overruns its parameter`);
    const bad = () =>
      openError(
        OpenSubcode.UNSPECIFIC,
        `capability ${code} has a malformed value of ${length} octets`,
        b.slice(i, i + 2 + length),
      );
    switch (code) {
      case CapabilityCode.MULTIPROTOCOL:
        if (length !== 4) throw bad();
        out.push({ code, kind: 'multiprotocol', afi: u16(v, 0), safi: v[3]! });
        break;
      case CapabilityCode.ROUTE_REFRESH:
        if (length !== 0) throw bad();
        out.push({ code, kind: 'route-refresh' });
        break;
      case CapabilityCode.EXTENDED_MESSAGE:
        if (length !== 0) throw bad();
        out.push({ code, kind: 'extended-message' });
        break;
      case CapabilityCode.FOUR_OCTET_AS:
        if (length !== 4) throw bad();
        out.push({ code, kind: 'four-octet-as', asn: u32(v, 0) });
        break;
      case CapabilityCode.GRACEFUL_RESTART: {
        if (length < 2 || (length - 2) % 4 !== 0) throw bad();
        const families: Array<{ afi: number; safi: number; flags: number }> = [];
        for (let j = 2; j < length; j += 4) families.push({ afi: u16(v, j), safi: v[j + 2]!, flags: v[j + 3]! });
        out.push({
          code,
          kind: 'graceful-restart',
          restartFlags: v[0]! >> 4,
          restartTime: ((v[0]! & 0x0f) << 8) | v[1]!,
          families,
        });
        break;
      }
      default:
        out.push({ code, kind: 'unknown', value: v.slice() });
    }
    i += 2 + length;
  }
  return out;
}

type AttrCategory = 'well-known' | 'optional-transitive' | 'optional-non-transitive';

const KNOWN_ATTRIBUTES: Record<number, { category: AttrCategory; onError: ErrorAction }> = {
  [AttrType.ORIGIN]: { category: 'well-known', onError: 'treat-as-withdraw' },
  [AttrType.AS_PATH]: { category: 'well-known', onError: 'treat-as-withdraw' },
  [AttrType.NEXT_HOP]: { category: 'well-known', onError: 'treat-as-withdraw' },
  [AttrType.MULTI_EXIT_DISC]: { category: 'optional-non-transitive', onError: 'treat-as-withdraw' },
  [AttrType.LOCAL_PREF]: { category: 'well-known', onError: 'treat-as-withdraw' },
  [AttrType.ATOMIC_AGGREGATE]: { category: 'well-known', onError: 'attribute-discard' },
  [AttrType.AGGREGATOR]: { category: 'optional-transitive', onError: 'attribute-discard' },
  [AttrType.COMMUNITIES]: { category: 'optional-transitive', onError: 'treat-as-withdraw' },
  [AttrType.MP_REACH_NLRI]: { category: 'optional-non-transitive', onError: 'session-reset' },
  [AttrType.MP_UNREACH_NLRI]: { category: 'optional-non-transitive', onError: 'session-reset' },
  [AttrType.AS4_PATH]: { category: 'optional-transitive', onError: 'attribute-discard' },
  [AttrType.AS4_AGGREGATOR]: { category: 'optional-transitive', onError: 'attribute-discard' },
  [AttrType.LARGE_COMMUNITIES]: { category: 'optional-transitive', onError: 'treat-as-withdraw' },
};

function flagsValid(flags: number, category: AttrCategory): boolean {
  const optional = (flags & AttrFlag.OPTIONAL) !== 0;
  const transitive = (flags & AttrFlag.TRANSITIVE) !== 0;
  const partial = (flags & AttrFlag.PARTIAL) !== 0;
  switch (category) {
    case 'well-known':
      return !optional && transitive && !partial;
    case 'optional-transitive':
      return optional && transitive;
    case 'optional-non-transitive':
      return optional && !transitive && !partial;
  }
}

function updateError(
  subcode: number,
  detail: string,
  data?: Uint8Array,
  action: ErrorAction = 'session-reset',
): BgpDecodeError {
  return new BgpDecodeError(ErrorCode.UPDATE_MESSAGE, subcode, detail, data?.slice(), action);
}

function decodeUpdate(body: Uint8Array, options: CodecOptions): DecodedUpdate {
  const strict = options.errorHandling === 'strict';
  const fourOctetAs = options.fourOctetAs ?? true;
  const withdrawnLength = u16(body, 0);
  if (2 + withdrawnLength + 2 > body.length) {
    throw updateError(
      UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
      `withdrawn routes length ${withdrawnLength} overruns the message`,
    );
  }
  const withdrawnField = body.subarray(2, 2 + withdrawnLength);
  if (!ipv4PrefixesValid(withdrawnField))
    throw updateError(UpdateSubcode.INVALID_NETWORK_FIELD, 'malformed withdrawn routes');
  const attrStart = 4 + withdrawnLength;
  const attrLength = u16(body, attrStart - 2);
  if (attrStart + attrLength > body.length) {
    throw updateError(
      UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
      `total path attribute length ${attrLength} overruns the message`,
    );
  }
  const nlriField = body.subarray(attrStart + attrLength);
  if (!ipv4PrefixesValid(nlriField)) throw updateError(UpdateSubcode.INVALID_NETWORK_FIELD, 'malformed NLRI');

  const errors: BgpDecodeError[] = [];
  const report = (e: BgpDecodeError): void => {
    if (strict || e.action === 'session-reset') throw e.withAction('session-reset');
    errors.push(e);
  };
  const attributes: PathAttributes = {};
  const seen = new Set<number>();
  const attrs = body.subarray(attrStart, attrStart + attrLength);
  let i = 0;
  while (i < attrs.length) {
    const header = attrs[i]! & AttrFlag.EXTENDED_LENGTH ? 4 : 3;
    if (i + header > attrs.length) {
      report(
        updateError(
          UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
          'truncated path attribute header',
          undefined,
          'treat-as-withdraw',
        ),
      );
      break;
    }
    const flags = attrs[i]!;
    const type = attrs[i + 1]!;
    const length = header === 4 ? u16(attrs, i + 2) : attrs[i + 2]!;
    const end = i + header + length;
    if (end > attrs.length) {
      // RFC 7606 §4: an attribute overrunning the attribute field is treat-as-withdraw;
      // the NLRI field is still located by Total Path Attribute Length.
      report(
        updateError(
          UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
          `attribute ${type} of ${length} octets overruns the attribute field`,
          attrs.slice(i),
          'treat-as-withdraw',
        ),
      );
      break;
    }
    const whole = attrs.subarray(i, end); // copied only if an error keeps it
    const value = attrs.subarray(i + header, end);
    i = end;
    const known = KNOWN_ATTRIBUTES[type];
    if (seen.has(type)) {
      const dupAction: ErrorAction =
        type === AttrType.MP_REACH_NLRI || type === AttrType.MP_UNREACH_NLRI ? 'session-reset' : 'attribute-discard';
      report(
        updateError(
          UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
          `attribute ${type} appears more than once`,
          undefined,
          dupAction,
        ),
      );
      continue;
    }
    seen.add(type);
    if (!known) {
      if (!(flags & AttrFlag.OPTIONAL)) {
        report(
          updateError(
            UpdateSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
            `unrecognized well-known attribute ${type}`,
            whole,
          ),
        );
        continue;
      }
      (attributes.unknown ??= []).push({ flags, type, value: value.slice() });
      continue;
    }
    if (!flagsValid(flags, known.category)) {
      report(
        updateError(
          UpdateSubcode.ATTRIBUTE_FLAGS_ERROR,
          `attribute ${type} has flags 0x${flags.toString(16)}`,
          whole,
          known.onError,
        ),
      );
      continue;
    }
    try {
      decodeAttribute(type, value, whole, attributes, fourOctetAs);
    } catch (e) {
      if (!(e instanceof BgpDecodeError)) throw e;
      report(e.withAction(known.onError));
    }
  }

  // Mandatory well-known attributes (RFC 4271 §5, RFC 4760 §3, RFC 7606 §3.d).
  const announces =
    nlriField.length > 0 || (attributes.mpReach?.nlri.length ?? 0) > 0 || attributes.mpReach?.raw !== undefined;
  if (announces) {
    const required: number[] = [AttrType.ORIGIN, AttrType.AS_PATH];
    if (nlriField.length > 0) required.push(AttrType.NEXT_HOP);
    for (const t of required) {
      if (!seen.has(t)) {
        report(
          updateError(
            UpdateSubcode.MISSING_WELL_KNOWN_ATTRIBUTE,
            `missing well-known attribute ${t}`,
            Uint8Array.of(t),
            'treat-as-withdraw',
          ),
        );
      }
    }
  }
  // The prefixes as text are made only when read: the session takes in a full table by
  // number (forEachIpv4Prefix) and never asks for them. A class, not an object literal with
  // getters: V8 builds those slowly, and there is one per UPDATE.
  return new LazyUpdate(withdrawnField, attributes, nlriField, errors);
}

/** A decoded UPDATE whose prefixes become text only when read (see decodeUpdate). */
class LazyUpdate implements DecodedUpdate {
  readonly type = 'update';
  private withdrawnText: Prefix[] | undefined;
  private nlriText: Prefix[] | undefined;
  readonly withdrawnField: Uint8Array;
  readonly nlriField: Uint8Array;
  readonly attributes: PathAttributes;
  readonly errors: BgpDecodeError[];
  readonly treatAsWithdraw: boolean;
  constructor(withdrawnField: Uint8Array, attributes: PathAttributes, nlriField: Uint8Array, errors: BgpDecodeError[]) {
    this.withdrawnField = withdrawnField;
    this.attributes = attributes;
    this.nlriField = nlriField;
    this.errors = errors;
    this.treatAsWithdraw = errors.some((e) => e.action === 'treat-as-withdraw');
  }

  get withdrawn(): Prefix[] {
    return (this.withdrawnText ??= decodePrefixes(this.withdrawnField, 'ipv4')!);
  }

  get nlri(): Prefix[] {
    return (this.nlriText ??= decodePrefixes(this.nlriField, 'ipv4')!);
  }

  toJSON(): Omit<DecodedUpdate, 'withdrawnField' | 'nlriField'> {
    return {
      type: this.type,
      withdrawn: this.withdrawn,
      attributes: this.attributes,
      nlri: this.nlri,
      treatAsWithdraw: this.treatAsWithdraw,
      errors: this.errors,
    };
  }
}

function decodeAttribute(
  type: number,
  v: Uint8Array,
  whole: Uint8Array,
  a: PathAttributes,
  fourOctetAs: boolean,
): void {
  const lengthError = (detail: string) => updateError(UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, detail, whole);
  switch (type) {
    case AttrType.ORIGIN:
      if (v.length !== 1) throw lengthError(`ORIGIN of ${v.length} octets`);
      if (v[0]! > 2) throw updateError(UpdateSubcode.INVALID_ORIGIN, `ORIGIN value ${v[0]}`, whole);
      a.origin = ORIGIN_CODES[v[0]!]!;
      return;
    case AttrType.AS_PATH:
      a.asPath = decodeAsPath(v, fourOctetAs ? 4 : 2, UpdateSubcode.MALFORMED_AS_PATH, whole);
      return;
    case AttrType.NEXT_HOP:
      if (v.length !== 4) throw lengthError(`NEXT_HOP of ${v.length} octets`);
      if (!isValidIpv4NextHop(v))
        throw updateError(UpdateSubcode.INVALID_NEXT_HOP, `NEXT_HOP ${bytesToAddress(v)} is not a host address`, whole);
      a.nextHop = bytesToAddress(v);
      return;
    case AttrType.MULTI_EXIT_DISC:
      if (v.length !== 4) throw lengthError(`MULTI_EXIT_DISC of ${v.length} octets`);
      a.med = u32(v, 0);
      return;
    case AttrType.LOCAL_PREF:
      if (v.length !== 4) throw lengthError(`LOCAL_PREF of ${v.length} octets`);
      a.localPref = u32(v, 0);
      return;
    case AttrType.ATOMIC_AGGREGATE:
      if (v.length !== 0) throw lengthError(`ATOMIC_AGGREGATE of ${v.length} octets`);
      a.atomicAggregate = true;
      return;
    case AttrType.AGGREGATOR: {
      const asSize = fourOctetAs ? 4 : 2;
      if (v.length !== asSize + 4) throw lengthError(`AGGREGATOR of ${v.length} octets`);
      a.aggregator = { asn: asSize === 4 ? u32(v, 0) : u16(v, 0), address: bytesToAddress(v.subarray(asSize)) };
      return;
    }
    case AttrType.COMMUNITIES: {
      if (v.length === 0 || v.length % 4 !== 0) throw lengthError(`COMMUNITIES of ${v.length} octets`);
      const out: number[] = [];
      for (let j = 0; j < v.length; j += 4) out.push(u32(v, j));
      a.communities = out;
      return;
    }
    case AttrType.LARGE_COMMUNITIES: {
      if (v.length === 0 || v.length % 12 !== 0) throw lengthError(`LARGE_COMMUNITIES of ${v.length} octets`);
      const out: Array<[number, number, number]> = [];
      for (let j = 0; j < v.length; j += 12) out.push([u32(v, j), u32(v, j + 4), u32(v, j + 8)]);
      a.largeCommunities = out;
      return;
    }
    case AttrType.MP_REACH_NLRI:
      a.mpReach = decodeMpReach(v, whole);
      return;
    case AttrType.MP_UNREACH_NLRI:
      a.mpUnreach = decodeMpUnreach(v, whole);
      return;
    case AttrType.AS4_PATH:
      a.as4Path = decodeAsPath(v, 4, UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, whole);
      return;
    case AttrType.AS4_AGGREGATOR:
      if (v.length !== 8) throw lengthError(`AS4_AGGREGATOR of ${v.length} octets`);
      a.as4Aggregator = { asn: u32(v, 0), address: bytesToAddress(v.subarray(4)) };
      return;
  }
}

const SEGMENT_TYPES: Record<number, AsPathSegmentType> = {
  1: 'set',
  2: 'sequence',
  3: 'confed-sequence',
  4: 'confed-set',
};

function decodeAsPath(v: Uint8Array, asSize: 2 | 4, subcode: number, whole: Uint8Array): AsPathSegment[] {
  const segments: AsPathSegment[] = [];
  let i = 0;
  while (i < v.length) {
    if (i + 2 > v.length) throw updateError(subcode, 'truncated AS_PATH segment header', whole);
    const segType = SEGMENT_TYPES[v[i]!];
    const count = v[i + 1]!;
    if (!segType) throw updateError(subcode, `AS_PATH segment type ${v[i]}`, whole);
    if (count === 0) throw updateError(subcode, 'empty AS_PATH segment', whole);
    const end = i + 2 + count * asSize;
    if (end > v.length) throw updateError(subcode, 'AS_PATH segment overruns the attribute', whole);
    const asns: number[] = [];
    for (let j = i + 2; j < end; j += asSize) asns.push(asSize === 4 ? u32(v, j) : u16(v, j));
    segments.push({ type: segType, asns });
    i = end;
  }
  return segments;
}

function mpError(detail: string, whole: Uint8Array): BgpDecodeError {
  return updateError(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, detail, whole);
}

function decodeMpReach(v: Uint8Array, whole: Uint8Array): MpReach {
  if (v.length < 5) throw mpError(`MP_REACH_NLRI of ${v.length} octets`, whole);
  const afi = u16(v, 0);
  const safi = v[2]!;
  const nhLength = v[3]!;
  if (4 + nhLength + 1 > v.length) throw mpError('MP_REACH_NLRI next hop overruns the attribute', whole);
  const nh = v.subarray(4, 4 + nhLength);
  const nlriBytes = v.subarray(4 + nhLength + 1);
  const family = familyOf(afi, safi);
  if (!family) return { afi, safi, nextHops: [], nlri: [], raw: nlriBytes.slice() };
  let nextHops: string[];
  if (nhLength === 4 && family === 'ipv4') nextHops = [bytesToAddress(nh)];
  else if (nhLength === 16) nextHops = [bytesToAddress(nh)];
  else if (nhLength === 32) nextHops = [bytesToAddress(nh.subarray(0, 16)), bytesToAddress(nh.subarray(16))];
  else throw mpError(`next hop of ${nhLength} octets for AFI ${afi}`, whole);
  const nlri = decodePrefixes(nlriBytes, family);
  if (!nlri) throw mpError(`malformed ${family} NLRI in MP_REACH_NLRI`, whole);
  return { afi, safi, nextHops, nlri };
}

function decodeMpUnreach(v: Uint8Array, whole: Uint8Array): MpUnreach {
  if (v.length < 3) throw mpError(`MP_UNREACH_NLRI of ${v.length} octets`, whole);
  const afi = u16(v, 0);
  const safi = v[2]!;
  const family = familyOf(afi, safi);
  if (!family) return { afi, safi, withdrawn: [], raw: v.slice(3) };
  const withdrawn = decodePrefixes(v.subarray(3), family);
  if (!withdrawn) throw mpError(`malformed ${family} withdrawn routes in MP_UNREACH_NLRI`, whole);
  return { afi, safi, withdrawn };
}

// ---------------------------------------------------------------------------------------
// Helpers over decoded messages

/**
 * The AS path a 2-octet-only speaker's UPDATE really carries (RFC 6793 §4.2.3): AS_PATH
 * with AS_TRANS placeholders, completed by AS4_PATH. Confederation segments count 0,
 * an AS_SET counts 1.
 */
export function mergeAsPath(asPath: AsPathSegment[], as4Path: AsPathSegment[] | undefined): AsPathSegment[] {
  if (!as4Path) return asPath;
  const count = (p: AsPathSegment[]) =>
    p.reduce((n, s) => n + (s.type === 'sequence' ? s.asns.length : s.type === 'set' ? 1 : 0), 0);
  const keep = count(asPath) - count(as4Path);
  if (keep < 0) return asPath;
  const out: AsPathSegment[] = [];
  let left = keep;
  for (const s of asPath) {
    if (left <= 0) break;
    if (s.type === 'sequence') {
      const take = s.asns.slice(0, left);
      out.push({ type: 'sequence', asns: take });
      left -= take.length;
    } else if (s.type === 'set') {
      out.push({ type: 'set', asns: [...s.asns] });
      left -= 1;
    } else {
      out.push({ type: s.type, asns: [...s.asns] });
    }
  }
  for (const s of as4Path) {
    const last = out[out.length - 1];
    if (s.type === 'sequence' && last?.type === 'sequence') last.asns.push(...s.asns);
    else out.push({ type: s.type, asns: [...s.asns] });
  }
  return out;
}

/** `65001 65002 {65003,65004}` (confederation segments in parentheses / square brackets). */
export function formatAsPath(path: AsPathSegment[]): string {
  return path
    .map((s) => {
      const list = s.asns.join(s.type === 'set' || s.type === 'confed-set' ? ',' : ' ');
      switch (s.type) {
        case 'sequence':
          return list;
        case 'set':
          return `{${list}}`;
        case 'confed-sequence':
          return `(${list})`;
        case 'confed-set':
          return `[${list}]`;
        default:
          return list;
      }
    })
    .join(' ');
}

export function formatCommunity(c: number): string {
  return `${c >>> 16}:${c & 0xffff}`;
}

export function formatLargeCommunity(c: readonly [number, number, number]): string {
  return `${c[0]}:${c[1]}:${c[2]}`;
}

/** RFC 8203/9003 shutdown communication of a Cease (Administrative Shutdown/Reset). */
export function shutdownCommunication(n: NotificationMessage): string | undefined {
  if (n.code !== ErrorCode.CEASE || (n.subcode !== 2 && n.subcode !== 4) || n.data.length < 1) return undefined;
  const length = n.data[0]!;
  if (length === 0 || 1 + length > n.data.length) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(n.data.subarray(1, 1 + length));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Encoding

class Writer {
  private chunks: number[] = [];
  u8(v: number): this {
    this.chunks.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.chunks.push(b[i]!);
    return this;
  }
  get length(): number {
    return this.chunks.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function frame(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_LENGTH + body.length);
  out.set(MARKER, 0);
  out[16] = out.length >>> 8;
  out[17] = out.length & 0xff;
  out[18] = type;
  out.set(body, HEADER_LENGTH);
  return out;
}

function addressBytes(text: string, size?: 4 | 16): Uint8Array {
  const b = addressToBytes(text);
  if (!b || (size !== undefined && b.length !== size))
    throw new RangeError(`not an IPv${size === 16 ? 6 : 4} address: ${text}`);
  return b;
}

/** Encodes one message. Throws RangeError for values that cannot be encoded. */
export function encodeMessage(msg: BgpMessage, options: CodecOptions = {}): Uint8Array {
  let bytes: Uint8Array;
  switch (msg.type) {
    case 'open':
      bytes = frame(MessageType.OPEN, encodeOpen(msg));
      break;
    case 'update':
      bytes = frame(MessageType.UPDATE, encodeUpdate(msg, options.fourOctetAs ?? true));
      break;
    case 'notification':
      bytes = frame(MessageType.NOTIFICATION, new Writer().u8(msg.code).u8(msg.subcode).bytes(msg.data).done());
      break;
    case 'keepalive':
      bytes = frame(MessageType.KEEPALIVE, new Uint8Array(0));
      break;
    case 'route-refresh':
      bytes = frame(MessageType.ROUTE_REFRESH, encodeRouteRefresh(msg));
      break;
  }
  const max = options.maxMessageLength ?? MAX_MESSAGE_LENGTH;
  if (bytes.length > max) throw new RangeError(`message of ${bytes.length} octets exceeds ${max}`);
  return bytes;
}

function encodeRouteRefresh(m: RouteRefreshMessage): Uint8Array {
  return new Writer().u16(m.afi).u8(m.subtype).u8(m.safi).done();
}

function encodeCapability(c: Capability): Uint8Array {
  const w = new Writer();
  switch (c.kind) {
    case 'multiprotocol':
      return w.u8(c.code).u8(4).u16(c.afi).u8(0).u8(c.safi).done();
    case 'route-refresh':
    case 'extended-message':
      return w.u8(c.code).u8(0).done();
    case 'four-octet-as':
      return w.u8(c.code).u8(4).u32(c.asn).done();
    case 'graceful-restart': {
      w.u8(c.code)
        .u8(2 + 4 * c.families.length)
        .u16(((c.restartFlags & 0xf) << 12) | (c.restartTime & 0xfff));
      for (const f of c.families) w.u16(f.afi).u8(f.safi).u8(f.flags);
      return w.done();
    }
    case 'unknown':
      return w.u8(c.code).u8(c.value.length).bytes(c.value).done();
  }
}

function encodeOpen(m: OpenMessage): Uint8Array {
  const caps = new Writer();
  for (const c of m.capabilities) caps.bytes(encodeCapability(c));
  const params = new Writer();
  if (caps.length > 0) {
    if (caps.length > 255) throw new RangeError('capabilities exceed one optional parameter');
    params.u8(2).u8(caps.length).bytes(caps.done());
  }
  if (params.length > 255) throw new RangeError('optional parameters exceed 255 octets');
  return new Writer()
    .u8(m.version)
    .u16(m.myAs)
    .u16(m.holdTime)
    .bytes(addressBytes(m.bgpId, 4))
    .u8(params.length)
    .bytes(params.done())
    .done();
}

function attribute(w: Writer, flags: number, type: number, value: Uint8Array): void {
  if (value.length > 0xffff) throw new RangeError(`attribute ${type} of ${value.length} octets`);
  if (value.length > 255 || flags & AttrFlag.EXTENDED_LENGTH) {
    w.u8(flags | AttrFlag.EXTENDED_LENGTH)
      .u8(type)
      .u16(value.length)
      .bytes(value);
  } else {
    w.u8(flags).u8(type).u8(value.length).bytes(value);
  }
}

function encodeAsPath(path: AsPathSegment[], asSize: 2 | 4): Uint8Array {
  const w = new Writer();
  for (const s of path) {
    for (let off = 0; off < s.asns.length || off === 0; off += 255) {
      const part = s.asns.slice(off, off + 255);
      w.u8(AS_PATH_SEGMENT_CODES[s.type]).u8(part.length);
      for (const asn of part) {
        if (asSize === 4) w.u32(asn);
        else w.u16(asn > 0xffff ? AS_TRANS : asn);
      }
      if (s.asns.length === 0) break;
    }
  }
  return w.done();
}

function prefixesBytes(prefixes: string[]): Uint8Array {
  const w = new Writer();
  for (const p of prefixes) w.bytes(encodePrefix(p));
  return w.done();
}

const WK = AttrFlag.TRANSITIVE;
const OPT = AttrFlag.OPTIONAL;
const OPT_T = AttrFlag.OPTIONAL | AttrFlag.TRANSITIVE;

function encodeUpdate(m: UpdateMessage, fourOctetAs: boolean): Uint8Array {
  const a = m.attributes;
  const attrs = new Writer();
  if (a.origin !== undefined) attribute(attrs, WK, AttrType.ORIGIN, Uint8Array.of(ORIGIN_CODES.indexOf(a.origin)));
  if (a.asPath !== undefined) attribute(attrs, WK, AttrType.AS_PATH, encodeAsPath(a.asPath, fourOctetAs ? 4 : 2));
  if (a.nextHop !== undefined) attribute(attrs, WK, AttrType.NEXT_HOP, addressBytes(a.nextHop, 4));
  if (a.med !== undefined) attribute(attrs, OPT, AttrType.MULTI_EXIT_DISC, new Writer().u32(a.med).done());
  if (a.localPref !== undefined) attribute(attrs, WK, AttrType.LOCAL_PREF, new Writer().u32(a.localPref).done());
  if (a.atomicAggregate) attribute(attrs, WK, AttrType.ATOMIC_AGGREGATE, new Uint8Array(0));
  if (a.aggregator !== undefined) {
    const w = new Writer();
    if (fourOctetAs) w.u32(a.aggregator.asn);
    else w.u16(a.aggregator.asn > 0xffff ? AS_TRANS : a.aggregator.asn);
    attribute(attrs, OPT_T, AttrType.AGGREGATOR, w.bytes(addressBytes(a.aggregator.address, 4)).done());
  }
  // An empty COMMUNITIES or LARGE_COMMUNITIES attribute is malformed (RFC 7606 §7.8): omit it.
  if (a.communities !== undefined && a.communities.length > 0) {
    const w = new Writer();
    for (const c of a.communities) w.u32(c);
    attribute(attrs, OPT_T, AttrType.COMMUNITIES, w.done());
  }
  if (a.mpReach !== undefined) {
    const r = a.mpReach;
    const w = new Writer().u16(r.afi).u8(r.safi);
    const nh = new Writer();
    for (const h of r.nextHops) nh.bytes(addressBytes(h));
    w.u8(nh.length)
      .bytes(nh.done())
      .u8(0)
      .bytes(r.raw ?? prefixesBytes(r.nlri));
    attribute(attrs, OPT, AttrType.MP_REACH_NLRI, w.done());
  }
  if (a.mpUnreach !== undefined) {
    const u = a.mpUnreach;
    attribute(
      attrs,
      OPT,
      AttrType.MP_UNREACH_NLRI,
      new Writer()
        .u16(u.afi)
        .u8(u.safi)
        .bytes(u.raw ?? prefixesBytes(u.withdrawn))
        .done(),
    );
  }
  if (a.as4Path !== undefined) attribute(attrs, OPT_T, AttrType.AS4_PATH, encodeAsPath(a.as4Path, 4));
  if (a.as4Aggregator !== undefined) {
    attribute(
      attrs,
      OPT_T,
      AttrType.AS4_AGGREGATOR,
      new Writer().u32(a.as4Aggregator.asn).bytes(addressBytes(a.as4Aggregator.address, 4)).done(),
    );
  }
  if (a.largeCommunities !== undefined && a.largeCommunities.length > 0) {
    const w = new Writer();
    for (const [g, l1, l2] of a.largeCommunities) w.u32(g).u32(l1).u32(l2);
    attribute(attrs, OPT_T, AttrType.LARGE_COMMUNITIES, w.done());
  }
  for (const raw of a.unknown ?? []) attribute(attrs, raw.flags, raw.type, raw.value);

  const withdrawn = prefixesBytes(m.withdrawn);
  return new Writer()
    .u16(withdrawn.length)
    .bytes(withdrawn)
    .u16(attrs.length)
    .bytes(attrs.done())
    .bytes(prefixesBytes(m.nlri))
    .done();
}

/** Encodes a raw path attribute (for tests and tools that craft attributes by hand). */
export function encodeRawAttribute(raw: RawAttribute): Uint8Array {
  const w = new Writer();
  attribute(w, raw.flags, raw.type, raw.value);
  return w.done();
}

export { BgpDecodeError };
