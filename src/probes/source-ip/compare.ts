// What the echo saw against what the client sent from: agnhost's /clientip answers
// "ip:port" (IPv6 as "[ip]:port"); the client's own address is the local address of the
// socket it used. Pure.
import ipaddr from 'ipaddr.js';
import type { SourceIpProbe } from '../../model/probe-facts.js';
import { addressSeen, isL7Probe, sourceIpVerdict } from '../../model/source-ip-verdict.js';

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

export type { SourceIpVerdict } from '../../model/source-ip-verdict.js';
export { addressSeen, isL7Probe, sourceIpVerdict } from '../../model/source-ip-verdict.js';

/** The first address of an X-Forwarded-For value (the client's, as the first proxy wrote it). */
export function firstForwardedFor(value: string | undefined | null): string | null {
  const first = value?.split(',')[0]?.trim();
  return first && ipaddr.isValid(first) ? normaliseAddress(first) : null;
}

/**
 * The client address an L7 proxy forwarded, from the echo's view of two headers: the first
 * entry of X-Forwarded-For (every common proxy appends its peer there: Traefik, ingress-nginx,
 * HAProxy's `option forwardfor`, Envoy-based gateways, nginx's $proxy_add_x_forwarded_for),
 * else X-Real-IP (Traefik and ingress-nginx set it; an nginx config may set only this one).
 */
export function forwardedClient(headers: { xForwardedFor: string | null; xRealIp: string | null }): {
  address: string | null;
  header?: 'X-Forwarded-For' | 'X-Real-IP';
} {
  const xff = firstForwardedFor(headers.xForwardedFor);
  if (xff) return { address: xff, header: 'X-Forwarded-For' };
  const real = headers.xRealIp?.trim();
  if (real && ipaddr.isValid(real)) return { address: normaliseAddress(real), header: 'X-Real-IP' };
  return { address: null };
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
      return `source-ip probe: ${what} reached the echo ${isL7Probe(p) ? `with ${p.clientAddress} in ${p.forwardedHeader ?? 'X-Forwarded-For'} (TCP peer ${p.seenAddress}, the proxy)` : p.seenAddress === p.clientAddress ? `from ${p.seenAddress}` : `with ${p.clientAddress} in the PROXY header`}: the client address survives`;
    default:
      if (isL7Probe(p) && p.forwardedFor === null)
        return `source-ip probe: ${what} reached the echo from ${p.seenAddress} (the proxy), with neither X-Forwarded-For nor X-Real-IP: the client address was LOST on the way (see the finding naming the hop)`;
      return `source-ip probe: ${what} reached the echo from ${addressSeen(p)}${isL7Probe(p) ? ` (in ${p.forwardedHeader ?? 'X-Forwarded-For'}; TCP peer ${p.seenAddress}, the proxy)` : ''}: the client address was LOST on the way (see the finding naming the hop)`;
  }
}
