// BGP-4 message model (RFC 4271) with the extensions a passive probe needs: capabilities
// (RFC 5492), multiprotocol IPv4/IPv6 unicast (RFC 4760), 4-octet AS numbers (RFC 6793),
// route refresh (RFC 2918), communities (RFC 1997), large communities (RFC 8092) and the
// extended message capability (RFC 8654). Pure data: no I/O. Only erasable TypeScript
// (no enums) so the module also runs under Node's type stripping.

// Type-only: errors.ts names the codes with this module's tables, so a value import would be a cycle.
import type { AddressFamily, AsPathSegment, AsPathSegmentType, Origin } from '../../model/bgp-observation.js';
import type { BgpDecodeError } from './errors.js';

export type { AddressFamily, AsPathSegment, AsPathSegmentType, Origin };

export const BGP_VERSION = 4;
export const HEADER_LENGTH = 19;
export const MAX_MESSAGE_LENGTH = 4096;
export const MAX_EXTENDED_MESSAGE_LENGTH = 65535;
/** RFC 6793: the 2-octet placeholder for a 4-octet AS number. */
export const AS_TRANS = 23456;

export const MessageType = {
  OPEN: 1,
  UPDATE: 2,
  NOTIFICATION: 3,
  KEEPALIVE: 4,
  ROUTE_REFRESH: 5,
} as const;

/** Minimum message length per type (RFC 4271 §4, RFC 2918). */
export const MIN_LENGTH: Record<number, number> = { 1: 29, 2: 23, 3: 21, 4: 19, 5: 23 };

export const AttrType = {
  ORIGIN: 1,
  AS_PATH: 2,
  NEXT_HOP: 3,
  MULTI_EXIT_DISC: 4,
  LOCAL_PREF: 5,
  ATOMIC_AGGREGATE: 6,
  AGGREGATOR: 7,
  COMMUNITIES: 8,
  MP_REACH_NLRI: 14,
  MP_UNREACH_NLRI: 15,
  AS4_PATH: 17,
  AS4_AGGREGATOR: 18,
  LARGE_COMMUNITIES: 32,
} as const;

export const AttrFlag = {
  OPTIONAL: 0x80,
  TRANSITIVE: 0x40,
  PARTIAL: 0x20,
  EXTENDED_LENGTH: 0x10,
} as const;

export const CapabilityCode = {
  MULTIPROTOCOL: 1,
  ROUTE_REFRESH: 2,
  EXTENDED_MESSAGE: 6,
  GRACEFUL_RESTART: 64,
  FOUR_OCTET_AS: 65,
  ADD_PATH: 69,
  ENHANCED_ROUTE_REFRESH: 70,
} as const;

export const Afi = { IPV4: 1, IPV6: 2 } as const;
export const Safi = { UNICAST: 1 } as const;

/** NOTIFICATION error codes (RFC 4271 §4.5, RFC 7313). */
export const ErrorCode = {
  MESSAGE_HEADER: 1,
  OPEN_MESSAGE: 2,
  UPDATE_MESSAGE: 3,
  HOLD_TIMER_EXPIRED: 4,
  FSM: 5,
  CEASE: 6,
  ROUTE_REFRESH: 7,
} as const;

export const HeaderSubcode = { CONNECTION_NOT_SYNCHRONIZED: 1, BAD_MESSAGE_LENGTH: 2, BAD_MESSAGE_TYPE: 3 } as const;

export const OpenSubcode = {
  UNSPECIFIC: 0,
  UNSUPPORTED_VERSION: 1,
  BAD_PEER_AS: 2,
  BAD_BGP_IDENTIFIER: 3,
  UNSUPPORTED_OPTIONAL_PARAMETER: 4,
  UNACCEPTABLE_HOLD_TIME: 6,
  UNSUPPORTED_CAPABILITY: 7,
} as const;

export const UpdateSubcode = {
  MALFORMED_ATTRIBUTE_LIST: 1,
  UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE: 2,
  MISSING_WELL_KNOWN_ATTRIBUTE: 3,
  ATTRIBUTE_FLAGS_ERROR: 4,
  ATTRIBUTE_LENGTH_ERROR: 5,
  INVALID_ORIGIN: 6,
  INVALID_NEXT_HOP: 8,
  OPTIONAL_ATTRIBUTE_ERROR: 9,
  INVALID_NETWORK_FIELD: 10,
  MALFORMED_AS_PATH: 11,
} as const;

/** RFC 6608 subcodes of the Finite State Machine error. */
export const FsmSubcode = {
  UNSPECIFIED: 0,
  UNEXPECTED_IN_OPENSENT: 1,
  UNEXPECTED_IN_OPENCONFIRM: 2,
  UNEXPECTED_IN_ESTABLISHED: 3,
} as const;

/** RFC 4486 Cease subcodes. */
export const CeaseSubcode = {
  MAX_PREFIXES: 1,
  ADMINISTRATIVE_SHUTDOWN: 2,
  PEER_DECONFIGURED: 3,
  ADMINISTRATIVE_RESET: 4,
  CONNECTION_REJECTED: 5,
  OTHER_CONFIGURATION_CHANGE: 6,
  CONNECTION_COLLISION_RESOLUTION: 7,
  OUT_OF_RESOURCES: 8,
} as const;

export const RouteRefreshSubcode = { INVALID_MESSAGE_LENGTH: 1 } as const;

// ---------------------------------------------------------------------------------------
// Capabilities

export type Capability =
  | { code: 1; kind: 'multiprotocol'; afi: number; safi: number }
  | { code: 2; kind: 'route-refresh' }
  | { code: 6; kind: 'extended-message' }
  | {
      code: 64;
      kind: 'graceful-restart';
      restartFlags: number;
      restartTime: number;
      families: Array<{ afi: number; safi: number; flags: number }>;
    }
  | { code: 65; kind: 'four-octet-as'; asn: number }
  | { code: number; kind: 'unknown'; value: Uint8Array };

// ---------------------------------------------------------------------------------------
// Path attributes

export const ORIGIN_CODES: readonly Origin[] = ['igp', 'egp', 'incomplete'];

export const AS_PATH_SEGMENT_CODES: Record<AsPathSegmentType, number> = {
  set: 1,
  sequence: 2,
  'confed-sequence': 3,
  'confed-set': 4,
};

export interface Aggregator {
  asn: number;
  address: string;
}

/** An IPv4 or IPv6 prefix in text form, e.g. `192.0.2.0/24`, `2001:db8::/64`. */
export type Prefix = string;

export interface MpReach {
  afi: number;
  safi: number;
  /** One next hop, or two for IPv6 (global then link-local, RFC 2545). */
  nextHops: string[];
  /** Prefixes; empty for an address family this codec does not parse (see `raw`). */
  nlri: Prefix[];
  /** NLRI bytes of an address family other than IPv4/IPv6 unicast, kept undecoded. */
  raw?: Uint8Array;
}

export interface MpUnreach {
  afi: number;
  safi: number;
  withdrawn: Prefix[];
  raw?: Uint8Array;
}

export interface RawAttribute {
  flags: number;
  type: number;
  value: Uint8Array;
}

export interface PathAttributes {
  origin?: Origin;
  asPath?: AsPathSegment[];
  nextHop?: string;
  med?: number;
  localPref?: number;
  atomicAggregate?: boolean;
  aggregator?: Aggregator;
  /** RFC 1997 communities as 32-bit numbers (high 16 bits: AS, low 16 bits: value). */
  communities?: number[];
  mpReach?: MpReach;
  mpUnreach?: MpUnreach;
  as4Path?: AsPathSegment[];
  as4Aggregator?: Aggregator;
  /** RFC 8092 large communities: [global administrator, local data 1, local data 2]. */
  largeCommunities?: Array<[number, number, number]>;
  /** Attributes this codec does not interpret, kept as received (optional ones only). */
  unknown?: RawAttribute[];
}

// ---------------------------------------------------------------------------------------
// Messages

export interface OpenMessage {
  type: 'open';
  version: number;
  /** The 2-octet "My Autonomous System" field (AS_TRANS when the real AS needs 4 octets). */
  myAs: number;
  holdTime: number;
  /** BGP Identifier in dotted-quad form. */
  bgpId: string;
  capabilities: Capability[];
}

export interface UpdateMessage {
  type: 'update';
  withdrawn: Prefix[];
  attributes: PathAttributes;
  nlri: Prefix[];
}

export interface NotificationMessage {
  type: 'notification';
  code: number;
  subcode: number;
  data: Uint8Array;
}

export interface KeepaliveMessage {
  type: 'keepalive';
}

export interface RouteRefreshMessage {
  type: 'route-refresh';
  afi: number;
  /** RFC 7313 message subtype (0 = normal request); the "reserved" octet of RFC 2918. */
  subtype: number;
  safi: number;
}

export type BgpMessage = OpenMessage | UpdateMessage | NotificationMessage | KeepaliveMessage | RouteRefreshMessage;

/** What an UPDATE decode found wrong but that does not reset the session (RFC 7606). */
export interface DecodedUpdate extends UpdateMessage {
  /** The Withdrawn Routes and NLRI fields as received (IPv4 prefixes), to read by number with forEachIpv4Prefix. */
  withdrawnField: Uint8Array;
  nlriField: Uint8Array;
  /** RFC 7606 treat-as-withdraw: every prefix the message announces must be handled as withdrawn. */
  treatAsWithdraw: boolean;
  /** Errors handled by treat-as-withdraw or attribute discard, in order of detection. */
  errors: BgpDecodeError[];
}

export function familyOf(afi: number, safi: number): AddressFamily | null {
  if (safi !== Safi.UNICAST) return null;
  if (afi === Afi.IPV4) return 'ipv4';
  if (afi === Afi.IPV6) return 'ipv6';
  return null;
}

// ---------------------------------------------------------------------------------------
// Names for humans and JSON

const ERROR_NAMES: Record<number, string> = {
  1: 'Message Header Error',
  2: 'OPEN Message Error',
  3: 'UPDATE Message Error',
  4: 'Hold Timer Expired',
  5: 'Finite State Machine Error',
  6: 'Cease',
  7: 'ROUTE-REFRESH Message Error',
};

const SUBCODE_NAMES: Record<number, Record<number, string>> = {
  1: { 1: 'Connection Not Synchronized', 2: 'Bad Message Length', 3: 'Bad Message Type' },
  2: {
    0: 'Unspecific',
    1: 'Unsupported Version Number',
    2: 'Bad Peer AS',
    3: 'Bad BGP Identifier',
    4: 'Unsupported Optional Parameter',
    6: 'Unacceptable Hold Time',
    7: 'Unsupported Capability',
  },
  3: {
    1: 'Malformed Attribute List',
    2: 'Unrecognized Well-known Attribute',
    3: 'Missing Well-known Attribute',
    4: 'Attribute Flags Error',
    5: 'Attribute Length Error',
    6: 'Invalid ORIGIN Attribute',
    8: 'Invalid NEXT_HOP Attribute',
    9: 'Optional Attribute Error',
    10: 'Invalid Network Field',
    11: 'Malformed AS_PATH',
  },
  5: {
    0: 'Unspecified Error',
    1: 'Receive Unexpected Message in OpenSent State',
    2: 'Receive Unexpected Message in OpenConfirm State',
    3: 'Receive Unexpected Message in Established State',
  },
  6: {
    1: 'Maximum Number of Prefixes Reached',
    2: 'Administrative Shutdown',
    3: 'Peer De-configured',
    4: 'Administrative Reset',
    5: 'Connection Rejected',
    6: 'Other Configuration Change',
    7: 'Connection Collision Resolution',
    8: 'Out of Resources',
    9: 'Hard Reset',
    10: 'BFD Down',
  },
  7: { 1: 'Invalid Message Length' },
};

export function errorCodeName(code: number): string {
  return ERROR_NAMES[code] ?? `Unknown Error Code ${code}`;
}

export function errorSubcodeName(code: number, subcode: number): string {
  const name = SUBCODE_NAMES[code]?.[subcode];
  if (name) return name;
  return subcode === 0 ? 'Unspecific' : `Subcode ${subcode}`;
}
