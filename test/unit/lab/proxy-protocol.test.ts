// The lab echo's reading of the PROXY header that `expose --mode hostnetwork
// --preserve-source-ip` makes HAProxy (v2) and nginx (v1) send.
import { describe, expect, it } from 'vitest';
import { parseProxyHeader } from '../../../scripts/lab/proxy-protocol.ts';

const v2 = (family: number, addr: number[], sport: number, command = 1): Buffer => {
  const sig = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];
  const body = Buffer.alloc(family === 1 ? 12 : family === 2 ? 36 : 0);
  if (family === 1) {
    Buffer.from(addr).copy(body, 0);
    body.writeUInt16BE(sport, 8);
    body.writeUInt16BE(80, 10);
  }
  const head = Buffer.from([...sig, 0x20 | command, (family << 4) | 1, 0, body.length]);
  return Buffer.concat([head, body]);
};

describe('parseProxyHeader', () => {
  it('v1 (nginx proxy_protocol on): the client address, and where the request starts', () => {
    const buf = Buffer.from('PROXY TCP4 192.0.2.10 192.0.2.12 41234 80\r\nGET / HTTP/1.1\r\n');
    expect(parseProxyHeader(buf)).toEqual({
      kind: 'proxy',
      version: 1,
      source: { address: '192.0.2.10', port: 41234 },
      length: 43,
    });
    expect(buf.subarray(43).toString()).toMatch(/^GET \//);
  });
  it('v2 (HAProxy send-proxy-v2), IPv4', () => {
    const buf = Buffer.concat([v2(1, [192, 0, 2, 10], 41234), Buffer.from('GET /')]);
    expect(parseProxyHeader(buf)).toEqual({
      kind: 'proxy',
      version: 2,
      source: { address: '192.0.2.10', port: 41234 },
      length: 28,
    });
  });
  it('v2 LOCAL (the proxy checking its backend): no source', () =>
    expect(parseProxyHeader(v2(0, [], 0, 0))).toEqual({ kind: 'proxy', version: 2, source: null, length: 16 }));
  it('a plain request: none; a partial header: incomplete; a garbled line: invalid', () => {
    expect(parseProxyHeader(Buffer.from('GET / HTTP/1.1\r\n'))).toEqual({ kind: 'none' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 192.0'))).toEqual({ kind: 'incomplete' });
    expect(parseProxyHeader(v2(1, [192, 0, 2, 10], 1).subarray(0, 20))).toEqual({ kind: 'incomplete' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP9 x y 1 2\r\n')).kind).toBe('invalid');
  });
});
