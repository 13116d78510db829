// IP addresses and prefixes as the BGP wire carries them (RFC 4271 §4.3 NLRI encoding:
// one length octet, then the fewest octets that hold that many bits).
import ipaddr from 'ipaddr.js';
import type { AddressFamily, Prefix } from './messages.js';

export function bytesToAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length === 16) return ipaddr.fromByteArray(Array.from(bytes)).toString();
  throw new RangeError(`an address has 4 or 16 octets, not ${bytes.length}`);
}

/** Parses an IPv4 or IPv6 address; null when it is neither. */
export function addressToBytes(text: string): Uint8Array | null {
  if (!ipaddr.isValid(text)) return null;
  try {
    return Uint8Array.from(ipaddr.parse(text).toByteArray());
  } catch {
    return null;
  }
}

export function familyOfAddress(text: string): AddressFamily | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 'ipv4';
  if (ipaddr.IPv6.isValid(text)) return 'ipv6';
  return null;
}

/** Strips the IPv4-mapped form node:net reports for IPv4 peers on a dual-stack socket. */
export function normalizeAddress(text: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (m?.[1]) return m[1];
  const bytes = addressToBytes(text);
  return bytes ? bytesToAddress(bytes) : text;
}

export interface ParsedPrefix {
  family: AddressFamily;
  bytes: Uint8Array;
  length: number;
}

export function parsePrefix(prefix: Prefix): ParsedPrefix | null {
  const slash = prefix.lastIndexOf('/');
  const addr = slash < 0 ? prefix : prefix.slice(0, slash);
  const bytes = addressToBytes(addr);
  if (!bytes) return null;
  const max = bytes.length * 8;
  const lenText = slash < 0 ? String(max) : prefix.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText)) return null;
  const length = Number(lenText);
  if (length > max) return null;
  return { family: bytes.length === 4 ? 'ipv4' : 'ipv6', bytes: maskBytes(bytes, length), length };
}

export function formatPrefix(bytes: Uint8Array, length: number): Prefix {
  return `${bytesToAddress(maskBytes(bytes, length))}/${length}`;
}

function maskBytes(bytes: Uint8Array, length: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < out.length; i++) {
    const bitsHere = Math.min(8, Math.max(0, length - i * 8));
    out[i] = out[i]! & ((0xff << (8 - bitsHere)) & 0xff);
  }
  return out;
}

/** True when `address` lies inside `prefix` (same family). */
export function prefixContains(prefix: Prefix, address: string): boolean {
  const p = parsePrefix(prefix);
  const a = addressToBytes(address);
  if (!p || !a || a.length !== p.bytes.length) return false;
  const masked = maskBytes(a, p.length);
  return masked.every((b, i) => b === p.bytes[i]);
}

/** The NLRI encoding of one prefix. */
export function encodePrefix(prefix: Prefix): Uint8Array {
  const p = parsePrefix(prefix);
  if (!p) throw new RangeError(`not a prefix: ${prefix}`);
  const n = Math.ceil(p.length / 8);
  const out = new Uint8Array(1 + n);
  out[0] = p.length;
  out.set(p.bytes.subarray(0, n), 1);
  return out;
}

/**
 * Decodes a run of NLRI prefixes. Returns null when the bytes are not a whole number of
 * well-formed prefixes of the family (length above 32/128, or a prefix running past the end).
 */
export function decodePrefixes(bytes: Uint8Array, family: AddressFamily): Prefix[] | null {
  if (family === 'ipv4') return decodeIpv4Prefixes(bytes);
  const size = 16;
  const out: Prefix[] = [];
  let i = 0;
  while (i < bytes.length) {
    const length = bytes[i]!;
    if (length > size * 8) return null;
    const n = Math.ceil(length / 8);
    if (i + 1 + n > bytes.length) return null;
    const addr = new Uint8Array(size);
    addr.set(bytes.subarray(i + 1, i + 1 + n));
    out.push(formatPrefix(addr, length));
    i += 1 + n;
  }
  return out;
}

function decodeIpv4Prefixes(bytes: Uint8Array): Prefix[] | null {
  if (!ipv4PrefixesValid(bytes)) return null;
  const out: Prefix[] = [];
  forEachIpv4Prefix(bytes, (address, length) => out.push(ipv4PrefixText(address, length)));
  return out;
}

/** Whether an IPv4 NLRI field holds only well-formed prefixes (see decodePrefixes). */
export function ipv4PrefixesValid(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length) {
    const length = bytes[i]!;
    if (length > 32) return false;
    i += 1 + ((length + 7) >> 3);
  }
  return i === bytes.length;
}

/**
 * Calls fn with each prefix of a valid IPv4 NLRI field as numbers: the address (host bits
 * cleared) as a signed 32-bit integer, and the length. The hot path of a full table: no
 * strings, no arrays.
 */
export function forEachIpv4Prefix(bytes: Uint8Array, fn: (address: number, length: number) => void): void {
  let i = 0;
  while (i < bytes.length) {
    const length = bytes[i]!;
    const n = (length + 7) >> 3;
    let a = 0;
    for (let k = 0; k < n; k++) a |= bytes[i + 1 + k]! << (24 - 8 * k);
    fn(length === 0 ? 0 : a & (-1 << (32 - length)), length);
    i += 1 + n;
  }
}

/** An IPv4 prefix given as numbers (see forEachIpv4Prefix) as text, e.g. 198.51.100.0/24. */
export function ipv4PrefixText(address: number, length: number): Prefix {
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}/${length}`;
}

/** Whether an IPv4 next hop can be a host address (RFC 4271 §6.3 semantic check). */
export function isValidIpv4NextHop(bytes: Uint8Array): boolean {
  const first = bytes[0]!;
  if (bytes.every((b) => b === 0)) return false; // 0.0.0.0
  if (first >= 224) return false; // multicast, class E, limited broadcast
  return true;
}
