// The targets of `probe reach` given on the command line: ADDRESS:PORT (a TCP connection),
// or an http:// or https:// URL (a request, with its Host header and, for https, the TLS
// server name). Pure: parsing only, errors name the input.
import ipaddr from 'ipaddr.js';
import type { ReachTarget } from '../../model/reach.js';

export type { ReachTarget };

export class ReachTargetError extends Error {}

function port(text: string, input: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535)
    throw new ReachTargetError(`${input}: ${text} is not a port (1-65535)`);
  return Number(text);
}

/** One target: "192.0.2.11:30080", "[2001:db8::1]:443", "http://web.example.test/path", "https://198.51.100.20:8443/". */
export function parseReachTarget(input: string): ReachTarget {
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ReachTargetError(`${input}: not a URL`);
    }
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    if (url.username || url.password)
      throw new ReachTargetError(`${input}: credentials in a URL are not sent; remove them`);
    return {
      label: text,
      address: hostname,
      port: url.port ? Number(url.port) : scheme === 'https' ? 443 : 80,
      scheme,
      host: url.host,
      path: `${url.pathname}${url.search}`,
    };
  }
  const m = /^\[([^\]]+)\]:([^:]+)$/.exec(text) ?? /^([^:[\]]+):([^:]+)$/.exec(text);
  if (!m) throw new ReachTargetError(`${input}: expected ADDRESS:PORT ([ADDRESS]:PORT for IPv6) or an http(s):// URL`);
  const address = m[1]!;
  if (!ipaddr.isValid(address) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(address))
    throw new ReachTargetError(`${input}: ${address} is neither an IP address nor a host name`);
  return { label: text, address, port: port(m[2]!, input), scheme: 'tcp' };
}
