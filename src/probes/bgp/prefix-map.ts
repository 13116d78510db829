// The storage under the Adj-RIB-In (adj-rib-in.ts): prefix -> entry. IPv4 prefixes, nearly all of a
// full table, are held by number (one Map per prefix length, keyed by the address as a
// signed 32-bit integer, which V8 keeps unboxed), so taking in a table of 100,000 routes
// builds no strings: that was half of the probe's work. Text is made when routes are read.
import { ipv4PrefixText, parsePrefix } from './address.js';
import type { Prefix } from './messages.js';

export class PrefixMap<Entry> {
  /** IPv4 routes, indexed by prefix length (0-32). */
  private readonly ipv4: Array<Map<number, Entry> | undefined> = [];
  /** Every other family (IPv6), by prefix text. */
  private readonly other = new Map<Prefix, Entry>();

  get size(): number {
    let n = this.other.size;
    for (const m of this.ipv4) n += m?.size ?? 0;
    return n;
  }

  /** address: host bits cleared, as a signed 32-bit integer (see forEachIpv4Prefix). */
  setIpv4(address: number, length: number, entry: Entry): void {
    (this.ipv4[length] ??= new Map()).set(address, entry);
  }

  deleteIpv4(address: number, length: number): void {
    this.ipv4[length]?.delete(address);
  }

  /** A prefix as text (from MP_REACH_NLRI): IPv4 goes to the numeric maps. */
  set(prefix: Prefix, entry: Entry): void {
    const v4 = ipv4Numbers(prefix);
    if (v4) this.setIpv4(v4.address, v4.length, entry);
    else this.other.set(prefix, entry);
  }

  delete(prefix: Prefix): void {
    const v4 = ipv4Numbers(prefix);
    if (v4) this.deleteIpv4(v4.address, v4.length);
    else this.other.delete(prefix);
  }

  clear(): void {
    this.ipv4.length = 0;
    this.other.clear();
  }

  /** Every route with its prefix as text; IPv4 first, in no particular order. */
  *entries(): IterableIterator<[Prefix, Entry]> {
    for (const [length, routes] of this.ipv4.entries()) {
      if (routes) for (const [address, entry] of routes) yield [ipv4PrefixText(address, length), entry];
    }
    yield* this.other;
  }
}

function ipv4Numbers(prefix: Prefix): { address: number; length: number } | null {
  const parsed = parsePrefix(prefix);
  if (parsed?.family !== 'ipv4') return null;
  const [a, b, c, d] = parsed.bytes as unknown as [number, number, number, number];
  return { address: (a << 24) | (b << 16) | (c << 8) | d, length: parsed.length };
}
