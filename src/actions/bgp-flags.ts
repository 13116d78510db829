// The BGP probe's flag values (probe bgp --listen/--peer/--router-id, diagnose
// --bgp-listen/--bgp-peer): checked before anything listens, exit 2 when malformed.
import { isIP, isIPv4 } from 'node:net';
import { UsageError } from '../util/errors.js';

/** "192.0.2.1", "192.0.2.1:1179", "[2001:db8::1]:1179", "::" -> address and port (179 by default). */
export function parseListen(text: string): { address: string; port: number } {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d+))?$/.exec(text);
  const v6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/.test(text) ? [text, text, undefined] : null;
  const m = bracketed ?? v4 ?? v6;
  const port = m?.[2] === undefined ? 179 : Number(m[2]);
  // The patterns only shape the text: 1.2.3.999 or ":::" must not reach the resolver.
  if (!m || isIP(m[1]!) === 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(
      `--listen ${JSON.stringify(text)} is not ADDRESS[:PORT]`,
      'e.g. --listen 192.0.2.10:1179 or --listen [::]:179',
    );
  }
  return { address: m[1]!, port };
}

/** --peer values: IPv4 or IPv6 addresses (a peer is matched by its connection's address). */
export function parsePeers(values: readonly string[], flag = 'peer'): string[] {
  for (const v of values) {
    if (isIP(v) === 0)
      throw new UsageError(
        `--${flag} ${JSON.stringify(v)} is not an IP address`,
        `give the address the speaker connects from, e.g. --${flag} 192.0.2.11`,
      );
  }
  return [...values];
}

/** --router-id: a non-zero IPv4 address (the BGP identifier is 4 bytes). */
export function parseRouterId(text: string): string {
  if (!isIPv4(text) || text === '0.0.0.0')
    throw new UsageError(
      `--router-id ${JSON.stringify(text)} is not a non-zero IPv4 address`,
      'e.g. --router-id 192.0.2.10',
    );
  return text;
}
