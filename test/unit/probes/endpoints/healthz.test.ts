// kube-proxy healthz answers: parsing, and real HTTP against servers on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHealthz, parseHealthzBody, probeHealthz } from '../../../../src/probes/endpoints/healthz.js';

describe('parseHealthzBody', () => {
  it("reads kube-proxy's answer", () => {
    expect(
      parseHealthzBody('{"service":{"namespace":"shop","name":"web"},"localEndpoints":2,"serviceProxyHealthy":true}'),
    ).toEqual({ service: { namespace: 'shop', name: 'web' }, localEndpoints: 2, serviceProxyHealthy: true });
  });

  it('is null for what is missing, malformed or not JSON', () => {
    expect(parseHealthzBody('{"localEndpoints":-1}')).toEqual({
      service: null,
      localEndpoints: null,
      serviceProxyHealthy: null,
    });
    expect(parseHealthzBody('{"localEndpoints":"2","service":{"name":"x"}}')).toEqual({
      service: null,
      localEndpoints: null,
      serviceProxyHealthy: null,
    });
    expect(parseHealthzBody('ok')).toEqual({ service: null, localEndpoints: null, serviceProxyHealthy: null });
    expect(parseHealthzBody('[1]')).toEqual({ service: null, localEndpoints: null, serviceProxyHealthy: null });
  });
});

describe('fetchHealthz / probeHealthz (loopback)', () => {
  let server: http.Server;
  let port = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const local = req.socket.localAddress ?? '';
      // 127.0.0.2: no local endpoint; 127.0.0.3: hangs; others: 1 endpoint.
      if (local.endsWith('127.0.0.3')) {
        setTimeout(() => res.destroy(), 1500);
        return;
      }
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const done = () => {
        inFlight -= 1;
      };
      const n = local.endsWith('127.0.0.2') ? 0 : 1;
      setTimeout(() => {
        done();
        res.writeHead(n > 0 ? 200 : 503, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
        res.end(
          JSON.stringify({ service: { namespace: 'shop', name: 'web' }, localEndpoints: n, serviceProxyHealthy: true }),
        );
      }, 30);
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads status and localEndpoints', async () => {
    const ok = await fetchHealthz({ node: 'n1', address: '127.0.0.1' }, port, 2000);
    expect(ok).toMatchObject({
      node: 'n1',
      address: '127.0.0.1',
      status: 200,
      localEndpoints: 1,
      service: { namespace: 'shop', name: 'web' },
      serviceProxyHealthy: true,
    });
    const none = await fetchHealthz({ node: 'n2', address: '127.0.0.2' }, port, 2000);
    expect(none).toMatchObject({ status: 503, localEndpoints: 0 });
  });

  it('a node that does not answer in time is an answer with an error, not a failure', async () => {
    const r = await fetchHealthz({ node: 'n3', address: '127.0.0.3' }, port, 200);
    expect(r).toMatchObject({ status: null, localEndpoints: null, error: 'no answer within 200 ms' });
    expect(r.ms).toBeLessThan(1000);
  });

  it('a refused connection is reported', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const p = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await fetchHealthz({ node: 'n', address: '127.0.0.1' }, p, 1000)).toMatchObject({
      status: null,
      error: 'connection refused',
    });
  });

  it('asks every node once, at most `concurrency` at a time, answers in order', async () => {
    maxInFlight = 0;
    const targets = Array.from({ length: 10 }, (_, i) => ({
      node: `n${i}`,
      address: i % 2 === 0 ? '127.0.0.1' : '127.0.0.2',
    }));
    const answers = await probeHealthz(targets, port, { timeoutMs: 2000, concurrency: 3 });
    expect(answers.map((a) => [a.node, a.status])).toEqual(targets.map((t, i) => [t.node, i % 2 === 0 ? 200 : 503]));
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('refuses a bad port', async () => {
    await expect(probeHealthz([], 0)).rejects.toThrow(/invalid healthCheckNodePort/);
  });
});
