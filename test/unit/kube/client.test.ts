// Real network failures against loopback: a closed port (unreachable) and a TCP
// server that accepts and never answers (timeout); plus 401/403 from a fake API server.

import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient } from '../../../src/kube/client.js';
import { KubeApiError } from '../../../src/kube/errors.js';
import { KINDS } from '../../../src/kube/kinds.js';
import { resolveKubeconfig } from '../../../src/kube/kubeconfig.js';
import { listKind } from '../../../src/kube/list.js';
import { RuntimeError } from '../../../src/util/errors.js';
import { type FakeApiServer, startFakeApiServer, writeKubeconfig } from '../../helpers/fake-apiserver.js';
import { closedPort } from '../../helpers/net.js';

const services = KINDS.find((k) => k.kind === 'Service')!;

async function clientFor(server: string, requestTimeoutMs?: number, extra: Parameters<typeof writeKubeconfig>[1] = {}) {
  const resolved = resolveKubeconfig({ kubeconfig: writeKubeconfig(server, extra) });
  return createClient(resolved, requestTimeoutMs !== undefined ? { requestTimeoutMs } : {});
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('unreachable server', () => {
  test('a closed port gives a RuntimeError naming the URL, with a hint', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const client = await clientFor(url, 5000);
    const err = await failure(listKind(client, services, { namespace: 'default' }, () => {}));
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).exitCode).toBe(1);
    expect(err.message).toBe(`cannot reach the API server at ${url}: connection refused`);
    expect((err as RuntimeError).hint).toMatch(
      /is the cluster running\? check --kubeconfig\/--context \(context "test"\)/,
    );
  });
});

describe('request timeout', () => {
  let tcp: Server;
  let url: string;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    tcp = createTcpServer((socket) => {
      sockets.push(socket);
    }); // accepts, never answers
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => tcp.close(() => r()));
  });

  test('a server that never answers gives a timeout error within the timeout', async () => {
    const client = await clientFor(url, 300);
    const start = Date.now();
    const err = await failure(listKind(client, services, { namespace: 'default' }, () => {}));
    const elapsed = Date.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.message).toBe(
      `request to the API server at ${url} timed out after 300ms (list services in namespace "default", user "tester", context "test")`,
    );
    expect((err as RuntimeError).hint).toMatch(/--request-timeout/);
  });
});

describe('HTTP failures from the API server', () => {
  let fake: FakeApiServer;
  beforeAll(async () => {
    fake = await startFakeApiServer();
  });
  afterAll(async () => {
    await fake.close();
  });

  test('the bearer token is sent, and JSON comes back', async () => {
    fake.collections.set('/api/v1/namespaces/default/services', [{ metadata: { name: 'a', namespace: 'default' } }]);
    const client = await clientFor(fake.url, 5000);
    const body = await client.request<{ items: unknown[] }>('/api/v1/namespaces/default/services');
    expect(body.items).toHaveLength(1);
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer secret-token');
    expect(fake.requests.at(-1)?.headers.accept).toBe('application/json');
  });

  test('non-2xx answers become KubeApiError with the Status', async () => {
    fake.statuses.set('/api/v1/nodes', { code: 500, message: 'etcd is sad', reason: 'InternalError' });
    const client = await clientFor(fake.url);
    const err = await failure(client.request('/api/v1/nodes'));
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(500);
    expect((err as KubeApiError).apiMessage).toBe('etcd is sad');
  });

  test('401 names the user and context', async () => {
    fake.statuses.set('/api/v1/namespaces/ns401/services', {
      code: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized',
    });
    const client = await clientFor(fake.url, undefined, { user: 'alice', context: 'prod' });
    const err = await failure(listKind(client, services, { namespace: 'ns401' }, () => {}));
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.message).toBe(
      `unauthorized: the API server at ${fake.url} rejected the credentials of user "alice", context "prod"`,
    );
  });

  test('403 names verb, resource and namespace', async () => {
    fake.statuses.set('/api/v1/namespaces/team-a/services', {
      code: 403,
      reason: 'Forbidden',
      message:
        'services is forbidden: User "system:serviceaccount:team-a:viewer" cannot list resource "services" in API group "" in the namespace "team-a"',
    });
    const client = await clientFor(fake.url);
    const err = await failure(listKind(client, services, { namespace: 'team-a' }, () => {}));
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.message).toBe(
      'forbidden: user "system:serviceaccount:team-a:viewer" cannot list services in namespace "team-a" (context "test")',
    );
  });
});

describe('readCluster on an unusable cluster', () => {
  test('unreachable: RuntimeError naming the URL, quickly', async () => {
    const { readCluster } = await import('../../../src/sources/cluster.js');
    const url = `http://127.0.0.1:${await closedPort()}`;
    const start = Date.now();
    const err = await failure(
      readCluster({ kubeconfig: writeKubeconfig(url), allNamespaces: false, requestTimeoutMs: 2000 }),
    );
    expect(Date.now() - start).toBeLessThan(2000);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.message).toBe(`cannot reach the API server at ${url}: connection refused`);
  });

  test('a server that never answers: a timeout error within the timeout', async () => {
    const tcp = createTcpServer((socket) => {
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
    try {
      const { readCluster } = await import('../../../src/sources/cluster.js');
      const start = Date.now();
      const err = await failure(
        readCluster({
          kubeconfig: writeKubeconfig(url, { namespace: 'x' }),
          allNamespaces: false,
          requestTimeoutMs: 400,
        }),
      );
      expect(Date.now() - start).toBeLessThan(1500);
      expect(err.message).toMatch(
        /^request to the API server at http:\/\/127\.0\.0\.1:\d+ timed out after 400ms \(list services in namespace "x"/,
      );
      // https: the TLS handshake itself never completes; closing the client must not wait for it.
      const tlsStart = Date.now();
      const tlsErr = await failure(
        readCluster({
          kubeconfig: writeKubeconfig(url.replace('http:', 'https:'), { namespace: 'x' }),
          allNamespaces: false,
          requestTimeoutMs: 400,
        }),
      );
      expect(Date.now() - tlsStart).toBeLessThan(1500);
      expect(tlsErr.message).toMatch(/timed out after 400ms/);
    } finally {
      tcp.close();
      (tcp as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }
  });
});

describe('retries', () => {
  test('429 with Retry-After is tried again; other errors are not', async () => {
    const fake = await startFakeApiServer();
    try {
      let calls = 0;
      fake.handler = (req, res) => {
        if (req.path !== '/api/v1/services') return false;
        calls++;
        if (calls < 3) {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
          res.end(
            JSON.stringify({ kind: 'Status', code: 429, reason: 'TooManyRequests', message: 'too many requests' }),
          );
          return true;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items: [] }));
        return true;
      };
      const client = await clientFor(fake.url, 5000);
      await expect(client.request('/api/v1/services')).resolves.toEqual({ items: [] });
      expect(calls).toBe(3);
      fake.statuses.set('/api/v1/nodes', { code: 500, message: 'boom' });
      await expect(client.request('/api/v1/nodes')).rejects.toBeInstanceOf(KubeApiError);
      expect(fake.requests.filter((r) => r.path === '/api/v1/nodes')).toHaveLength(1);
      await client.close();
    } finally {
      await fake.close();
    }
  });

  test('retryDelayMs: bounded attempts and waits, GET only', async () => {
    const { retryDelayMs, MAX_ATTEMPTS } = await import('../../../src/kube/client.js');
    const e429 = new KubeApiError(429, undefined, undefined, undefined, '/x', 2);
    expect(retryDelayMs(e429, 1, 'GET')).toBe(2000);
    expect(retryDelayMs(e429, MAX_ATTEMPTS, 'GET')).toBeUndefined();
    expect(retryDelayMs(e429, 1, 'PATCH')).toBeUndefined();
    expect(retryDelayMs(new KubeApiError(429, undefined, undefined, undefined, '/x', 600), 1, 'GET')).toBe(5000);
    expect(retryDelayMs(new KubeApiError(429, undefined, undefined, undefined, '/x'), 2, 'GET')).toBe(2000);
    expect(retryDelayMs(new KubeApiError(503, undefined, undefined, undefined, '/x'), 1, 'GET')).toBeUndefined();
    expect(retryDelayMs(new KubeApiError(503, undefined, undefined, undefined, '/x', 1), 1, 'GET')).toBe(1000);
  });
});
