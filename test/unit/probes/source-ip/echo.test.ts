// getEcho against a real HTTP server on loopback: the body agnhost's /clientip would give,
// the socket's local address as the client's own, and failures as answers, never throws.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientIp } from '../../../../src/probes/source-ip/compare.js';
import { getEcho } from '../../../../src/probes/source-ip/echo.js';

let server: http.Server;
let port = 0;
const hosts: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    if (req.url === '/clientip') res.end(`${req.socket.remoteAddress}:${req.socket.remotePort}`);
    else if (req.url === '/slow') setTimeout(() => res.end('late'), 2_000);
    else {
      res.statusCode = 404;
      res.end('no');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('getEcho', () => {
  it('returns what the echo saw and the local address of the socket: the same address here', async () => {
    const a = await getEcho({ address: '127.0.0.1', port, path: '/clientip', timeoutMs: 2_000 });
    expect(a.status).toBe(200);
    expect(parseClientIp(a.body)).toBe('127.0.0.1');
    expect(a.localAddress).toBe('127.0.0.1');
    expect(hosts.at(-1)).toBe(`127.0.0.1:${port}`);
  });

  it('sends the Host of a temporary Ingress or route when given', async () => {
    await getEcho({
      address: '127.0.0.1',
      port,
      path: '/clientip',
      host: 'exposectl-echo-abc123.probe.invalid',
      timeoutMs: 2_000,
    });
    expect(hosts.at(-1)).toBe('exposectl-echo-abc123.probe.invalid');
  });

  it('a refused connection and a silent server are answers with an error', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const free = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await getEcho({ address: '127.0.0.1', port: free, path: '/clientip', timeoutMs: 2_000 })).toMatchObject({
      status: null,
      error: 'connection refused',
    });
    expect(await getEcho({ address: '127.0.0.1', port, path: '/slow', timeoutMs: 200 })).toMatchObject({
      status: null,
      error: 'no answer within 200 ms',
    });
  });
});
