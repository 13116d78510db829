// The PROXY protocol header a gateway sends ahead of the connection (HAProxy send-proxy /
// send-proxy-v2, nginx `proxy_protocol on`, which is v1): the client address it carries,
// and where the proxied bytes start. Pure. Spec: haproxy.org/download/3.2/doc/proxy-protocol.txt
import * as net from 'node:net';

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

export type ProxyHeader =
  /** No PROXY header: the connection is plain. */
  | { kind: 'none' }
  /** More bytes are needed to decide. */
  | { kind: 'incomplete' }
  /** A header; source null for LOCAL/UNKNOWN (a health check of the proxy itself). */
  | { kind: 'proxy'; version: 1 | 2; source: { address: string; port: number } | null; length: number }
  | { kind: 'invalid'; reason: string };

/** Reads a PROXY v1 or v2 header at the start of buf. */
export function parseProxyHeader(buf: Buffer): ProxyHeader {
  const v1 = Buffer.from('PROXY ');
  const prefix = (sig: Buffer) =>
    buf.subarray(0, Math.min(buf.length, sig.length)).equals(sig.subarray(0, Math.min(buf.length, sig.length)));
  if (buf.length === 0) return { kind: 'incomplete' };
  if (prefix(V2_SIGNATURE)) {
    if (buf.length < 16) return { kind: 'incomplete' };
    const length = 16 + buf.readUInt16BE(14);
    if (buf.length < length) return { kind: 'incomplete' };
    const command = buf[12]! & 0x0f;
    const family = buf[13]! >> 4;
    if (command === 0 || (family !== 1 && family !== 2)) return { kind: 'proxy', version: 2, source: null, length };
    const source =
      family === 1
        ? { address: [...buf.subarray(16, 20)].join('.'), port: buf.readUInt16BE(24) }
        : { address: ipv6(buf.subarray(16, 32)), port: buf.readUInt16BE(48) };
    return { kind: 'proxy', version: 2, source, length };
  }
  if (prefix(v1)) {
    const end = buf.indexOf('\r\n');
    if (end < 0)
      return buf.length > 107
        ? { kind: 'invalid', reason: 'PROXY v1 line longer than 107 bytes' }
        : { kind: 'incomplete' };
    const [, proto, src, , sport] = buf.subarray(0, end).toString('latin1').split(' ');
    if (proto === 'UNKNOWN') return { kind: 'proxy', version: 1, source: null, length: end + 2 };
    if ((proto !== 'TCP4' && proto !== 'TCP6') || !src || !net.isIP(src) || !sport)
      return { kind: 'invalid', reason: `PROXY v1 line not understood: ${buf.subarray(0, end).toString('latin1')}` };
    return { kind: 'proxy', version: 1, source: { address: src, port: Number(sport) }, length: end + 2 };
  }
  return { kind: 'none' };
}

function ipv6(b: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':');
}
