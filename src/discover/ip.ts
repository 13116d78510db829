// Address math for pools and ranges (IPv4 and IPv6) on top of ipaddr.js. Pure.
import ipaddr from 'ipaddr.js';

/** An inclusive range of addresses of one family, as big integers. */
export interface AddressRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  /** The text the range came from (a CIDR, `a-b`, or one address). */
  text: string;
}

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

function toBig(addr: Addr): bigint {
  let n = 0n;
  for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

/** Parse one address; IPv4-mapped IPv6 becomes IPv4. Undefined when not an IP address. */
export function parseAddress(text: string): { family: 4 | 6; value: bigint } | undefined {
  const t = text.trim();
  if (!ipaddr.isValid(t)) return undefined;
  try {
    const a = ipaddr.process(t);
    return { family: a.kind() === 'ipv4' ? 4 : 6, value: toBig(a) };
  } catch {
    return undefined;
  }
}

export function isIPAddress(text: string): boolean {
  return parseAddress(text) !== undefined;
}

/**
 * Parse a CIDR (`10.0.0.0/24`, `fc00::/124`), a range (`10.0.0.1-10.0.0.9`, spaces
 * allowed around the dash) or a single address. Undefined when malformed.
 */
export function parseRange(text: string): AddressRange | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (t.includes('/')) {
    if (!ipaddr.isValidCIDR(t)) return undefined;
    try {
      const [addr, bits] = ipaddr.parseCIDR(t);
      const width = addr.kind() === 'ipv4' ? 32 : 128;
      const base = toBig(addr);
      const hostBits = BigInt(width - bits);
      const mask = (1n << hostBits) - 1n;
      const first = base & ~mask;
      let family: 4 | 6 = width === 32 ? 4 : 6;
      let f = first;
      let l = first | mask;
      // An IPv4-mapped IPv6 prefix covers IPv4 addresses.
      if (family === 6 && addr instanceof ipaddr.IPv6 && addr.isIPv4MappedAddress() && bits >= 96) {
        family = 4;
        f = first & 0xffffffffn;
        l = l & 0xffffffffn;
      }
      return { family, first: f, last: l, text: t };
    } catch {
      return undefined;
    }
  }
  const dash = t.indexOf('-');
  if (dash > 0) {
    const a = parseAddress(t.slice(0, dash));
    const b = parseAddress(t.slice(dash + 1));
    if (!a || !b || a.family !== b.family || a.value > b.value) return undefined;
    return { family: a.family, first: a.value, last: b.value, text: t };
  }
  const a = parseAddress(t);
  return a ? { family: a.family, first: a.value, last: a.value, text: t } : undefined;
}

export function rangeContains(range: AddressRange, address: string): boolean {
  const a = parseAddress(address);
  return a !== undefined && a.family === range.family && a.value >= range.first && a.value <= range.last;
}

/** True when `address` lies in any of `ranges` (strings as parseRange takes them; malformed ones are ignored). */
export function anyRangeContains(ranges: readonly string[], address: string): boolean {
  return ranges.some((r) => {
    const parsed = parseRange(r);
    return parsed !== undefined && rangeContains(parsed, address);
  });
}
