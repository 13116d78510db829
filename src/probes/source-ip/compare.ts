// What the echo saw against what the client sent from: agnhost's /clientip answers
// "ip:port" (IPv6 as "[ip]:port"); the client's own address is the local address of the
// socket it used. Pure.
import ipaddr from 'ipaddr.js';
import type { SourceIpProbe } from '../../model/probe-facts.js';

/** "192.0.2.10:41234" or "[2001:db8::1]:41234" -> the address (normalised), or null when it is not one. */
export function parseClientIp(text: string): string | null {
  const t = text.trim();
  const m = /^\[([^\]]+)\]:\d+$/.exec(t) ?? /^([^:]+):\d+$/.exec(t) ?? /^([0-9a-fA-F:.]+)$/.exec(t);
  if (!m || !ipaddr.isValid(m[1]!)) return null;
  return normaliseAddress(m[1]!);
}

/** One spelling per address: IPv4-mapped IPv6 as IPv4, IPv6 in its short form. */
export function normaliseAddress(a: string): string {
  const parsed = ipaddr.process(a.replace(/^\[|\]$/g, ''));
  return parsed.toString();
}

export type SourceIpVerdict = 'preserved' | 'lost' | 'failed';

export function sourceIpVerdict(p: SourceIpProbe): SourceIpVerdict {
  if (p.seenAddress === null) return 'failed';
  const seen = p.proxyProtocolAddress ?? p.seenAddress;
  return seen === p.clientAddress || p.forwardedFor === p.clientAddress ? 'preserved' : 'lost';
}

/** The first address of an X-Forwarded-For value (the client's, as the first proxy wrote it). */
export function firstForwardedFor(value: string | undefined | null): string | null {
  const first = value?.split(',')[0]?.trim();
  return first && ipaddr.isValid(first) ? normaliseAddress(first) : null;
}

/** One line for the human report: what the request proved. */
export function describeSourceIpProbe(p: SourceIpProbe): string {
  const from = p.clientAddress === '?' ? '' : ` from ${p.clientAddress}`;
  const to = p.target === '?' ? '' : ` to ${p.target}`;
  const what = `a request${from}${to} through the exposure of Service ${p.service.namespace}/${p.service.name}`;
  switch (sourceIpVerdict(p)) {
    case 'failed':
      return `source-ip probe: ${what} got no answer from the echo${p.error ? ` (${p.error})` : ''}: not proven`;
    case 'preserved':
      return `source-ip probe: ${what} reached the echo ${p.seenAddress === p.clientAddress ? `from ${p.seenAddress}` : `with ${p.clientAddress} in ${p.forwardedFor === p.clientAddress ? 'X-Forwarded-For' : 'the PROXY header'}`}: the client address survives`;
    default:
      return `source-ip probe: ${what} reached the echo from ${p.seenAddress}: the client address was LOST on the way (see the finding naming the hop)`;
  }
}
