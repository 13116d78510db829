// The one module of address math (IPv4 and IPv6) on top of ipaddr.js: addresses, pool
// entries (CIDR, FIRST-LAST, one address), containment, overlap, capacity, CIDR cover.
// Discovery, the analyzers and expose's pre-flight all use it. Pure.
//
// Addresses are read as the controllers read them (Go's net.ParseIP / netip): IPv4 in
// four-part decimal only, so "10.1" or "0x0a.0.0.1" are not addresses; an IPv4-mapped
// IPv6 address is the IPv4 address.
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

/** An inclusive range of addresses of one family, as big integers. */
export interface AddressRange {
  family: Family;
  first: bigint;
  last: bigint;
  /** The text the range came from (a CIDR, `a-b`, or one address), trimmed. */
  text: string;
}

type IP = ipaddr.IPv4 | ipaddr.IPv6;

function toBig(addr: IP): bigint {
  let n = 0n;
  for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

const familyOf = (ip: IP): Family => (ip.kind() === 'ipv4' ? 4 : 6);
const bitsOf = (f: Family) => (f === 4 ? 32n : 128n);

/** A strict single address as an ipaddr.js object (IPv4-mapped IPv6 becomes IPv4), or undefined. */
export function parseIP(text: string): IP | undefined {
  const t = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) return ipaddr.IPv4.parse(t);
  if (t.includes(':') && ipaddr.IPv6.isValid(t)) {
    const ip = ipaddr.IPv6.parse(t);
    return ip.isIPv4MappedAddress() ? ip.toIPv4Address() : ip;
  }
  return undefined;
}

/** Parse one address. Undefined when not an IP address. */
export function parseAddress(text: string): { family: Family; value: bigint } | undefined {
  const ip = parseIP(text);
  return ip ? { family: familyOf(ip), value: toBig(ip) } : undefined;
}

export function isIPAddress(text: string): boolean {
  return parseIP(text) !== undefined;
}

/** The canonical text of an address (RFC 5952 for IPv6). */
export function formatIP(ip: IP): string {
  return ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString();
}

export function formatAddress(value: bigint, family: Family): string {
  const bytes: number[] = [];
  let v = value;
  for (let i = 0; i < (family === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return formatIP(ipaddr.fromByteArray(bytes));
}

/** ipaddr.js's name of the special block an address is in ('unicast', 'loopback', 'multicast' ...). */
export function addressKind(ip: IP): string {
  return ip.range();
}

/**
 * One pool entry: `a-b` (inclusive range, same family, a <= b; spaces allowed around the
 * dash), `addr/len` CIDR (host bits ignored), or a single address. Returns the range or
 * an error message.
 */
export function parseAddressEntry(entry: string): AddressRange | string {
  const text = entry.trim();
  if (text.includes('/')) {
    const [addr, len] = text.split('/');
    if (!/^\d{1,3}$/.test(len ?? '')) return `${entry}: not a CIDR`;
    const raw = (addr ?? '').trim();
    // An IPv4-mapped IPv6 prefix (::ffff:10.0.0.0/120) covers IPv4 addresses.
    const mapped = raw.includes(':') && ipaddr.IPv6.isValid(raw) && ipaddr.IPv6.parse(raw).isIPv4MappedAddress();
    const ip = parseIP(raw);
    if (!ip) return `${entry}: not a CIDR`;
    const family = familyOf(ip);
    let prefix = BigInt(len!);
    if (mapped) {
      if (prefix > 128n) return `${entry}: prefix length ${len} is too long for IPv6`;
      if (prefix < 96n) return `${entry}: an IPv4-mapped prefix shorter than /96 is not an IPv4 range`;
      prefix -= 96n;
    }
    if (prefix > bitsOf(family))
      return `${entry}: prefix length ${len} is too long for ${family === 4 ? 'IPv4' : 'IPv6'}`;
    const host = bitsOf(family) - prefix;
    const first = (toBig(ip) >> host) << host;
    return { family, first, last: first + (1n << host) - 1n, text };
  }
  if (text.includes('-') && !text.startsWith('-')) {
    const parts = text.split('-');
    if (parts.length !== 2) return `${entry}: a range is written FIRST-LAST`;
    const a = parseIP(parts[0]!);
    const b = parseIP(parts[1]!);
    if (!a || !b) return `${entry}: ${!a ? parts[0]!.trim() : parts[1]!.trim()} is not an IP address`;
    if (a.kind() !== b.kind()) return `${entry}: the range mixes IPv4 and IPv6`;
    const first = toBig(a);
    const last = toBig(b);
    if (first > last) return `${entry}: the first address is after the last`;
    return { family: familyOf(a), first, last, text };
  }
  const ip = parseIP(text);
  if (!ip) return `${entry}: not an IP address, a FIRST-LAST range or a CIDR`;
  return { family: familyOf(ip), first: toBig(ip), last: toBig(ip), text };
}

/** parseAddressEntry without the reason: undefined when malformed. */
export function parseRange(text: string): AddressRange | undefined {
  const r = parseAddressEntry(text);
  return typeof r === 'string' ? undefined : r;
}

/** The ranges of a list of entries, malformed ones left out. */
export function parseRanges(entries: readonly string[]): AddressRange[] {
  return entries.map(parseRange).filter((r): r is AddressRange => r !== undefined);
}

/** The entry as MetalLB accepts it: single addresses become /32 or /128 CIDRs. */
export function normalizeEntry(entry: string): string {
  const t = entry.trim();
  if (t.includes('/')) return t;
  if (t.includes('-'))
    return t
      .split('-')
      .map((s) => s.trim())
      .join('-');
  const ip = parseIP(t);
  return ip ? `${t}/${ip.kind() === 'ipv4' ? 32 : 128}` : t;
}

export function rangeContains(range: AddressRange, address: string): boolean {
  const a = parseAddress(address);
  return a !== undefined && a.family === range.family && a.value >= range.first && a.value <= range.last;
}

/** True when `address` lies in any of the ranges. */
export function rangesContain(ranges: readonly AddressRange[], address: string): boolean {
  const a = parseAddress(address);
  return a !== undefined && ranges.some((r) => r.family === a.family && a.value >= r.first && a.value <= r.last);
}

/** True when `address` lies in any of `ranges` (entries as parseRange takes them; malformed ones are ignored). */
export function anyRangeContains(ranges: readonly string[], address: string): boolean {
  return rangesContain(parseRanges(ranges), address);
}

export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** IPv4 .0 or .255: the addresses MetalLB's avoidBuggyIPs never gives. */
export function isBuggyIPv4(address: string): boolean {
  const a = parseAddress(address);
  return a !== undefined && a.family === 4 && ((a.value & 0xffn) === 0n || (a.value & 0xffn) === 255n);
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
/** How many x in [first, last] have x mod m = r. */
const countMod = (first: bigint, last: bigint, m: bigint, r: bigint) =>
  floorDiv(last - r, m) - floorDiv(first - 1n - r, m);

/** Number of assignable addresses: with avoidBuggyIPs, IPv4 .0 and .255 are skipped. */
export function capacity(ranges: readonly AddressRange[], avoidBuggyIPs = false): bigint {
  let total = 0n;
  for (const r of ranges) {
    total += r.last - r.first + 1n;
    if (avoidBuggyIPs && r.family === 4)
      total -= countMod(r.first, r.last, 256n, 0n) + countMod(r.first, r.last, 256n, 255n);
  }
  return total;
}

/** The minimal CIDRs covering a range exactly (MetalLB converts ranges this way). */
export function rangeToCidrs(r: AddressRange): Array<{ address: string; prefix: number }> {
  const bits = bitsOf(r.family);
  const out: Array<{ address: string; prefix: number }> = [];
  let cur = r.first;
  while (cur <= r.last) {
    let host = 0n;
    while (host < bits) {
      const size = 1n << (host + 1n);
      if (cur % size !== 0n || cur + size - 1n > r.last) break;
      host++;
    }
    out.push({ address: formatAddress(cur, r.family), prefix: Number(bits - host) });
    cur += 1n << host;
  }
  return out;
}

/**
 * Blocks no Service address can be in: a pool holding any of them would hand out an
 * address no client can reach (named as ipaddr.js's range() names them).
 */
export const UNUSABLE_BLOCKS: ReadonlyArray<{ cidr: string; name: string }> = [
  { cidr: '0.0.0.0/8', name: 'unspecified' },
  { cidr: '127.0.0.0/8', name: 'loopback' },
  { cidr: '169.254.0.0/16', name: 'linkLocal' },
  { cidr: '224.0.0.0/4', name: 'multicast' },
  { cidr: '255.255.255.255/32', name: 'broadcast' },
  { cidr: '::/128', name: 'unspecified' },
  { cidr: '::1/128', name: 'loopback' },
  { cidr: 'fe80::/10', name: 'linkLocal' },
  { cidr: 'ff00::/8', name: 'multicast' },
];
const UNUSABLE_RANGES = UNUSABLE_BLOCKS.map((b) => ({ ...b, range: parseAddressEntry(b.cidr) as AddressRange }));
/** ipaddr.js range names of unusable blocks, in words. */
export const UNUSABLE_WORDS: Readonly<Record<string, string>> = {
  unspecified: 'unspecified',
  loopback: 'loopback',
  linkLocal: 'link-local',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

/** Why a range cannot hold Service addresses (the unusable blocks it touches), or undefined. */
export function unusableReason(r: AddressRange): string | undefined {
  const hits = UNUSABLE_RANGES.filter((b) => rangesOverlap(r, b.range));
  if (hits.length === 0) return undefined;
  return `includes ${hits.map((b) => `${UNUSABLE_WORDS[b.name]} ${b.cidr}`).join(', ')}: no client can reach a Service there`;
}
