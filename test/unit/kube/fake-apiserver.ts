// A tiny stand-in for the Kubernetes API server (plain HTTP on loopback) for unit
// tests of the client, lists and the cluster source. Real API server tests live in
// test/integration.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export type Handler = (req: Recorded, res: ServerResponse) => void | boolean;

export interface FakeApiServer {
  url: string;
  requests: Recorded[];
  /** Collections: path -> items (paged by limit/continue). */
  collections: Map<string, unknown[]>;
  /** Paths answering with a Status of this code. */
  statuses: Map<string, { code: number; message?: string; reason?: string }>;
  handler?: Handler;
  close(): Promise<void>;
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const fake: FakeApiServer = {
    url: '',
    requests: [],
    collections: new Map(),
    statuses: new Map(),
    close: async () => { await new Promise<void>((r) => server.close(() => r())); },
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rec: Recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers };
    fake.requests.push(rec);
    if (fake.handler && fake.handler(rec, res) === true) return;
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const status = fake.statuses.get(url.pathname);
    if (status) {
      send(status.code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: status.code, reason: status.reason, message: status.message });
      return;
    }
    const items = fake.collections.get(url.pathname);
    if (!items) {
      send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
      return;
    }
    const limit = Number(url.searchParams.get('limit') ?? '0') || items.length;
    const start = Number(url.searchParams.get('continue') ?? '0');
    const page = items.slice(start, start + limit);
    const next = start + limit < items.length ? String(start + limit) : undefined;
    send(200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) }, items: page });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** Writes a kubeconfig for server into a temp folder; returns its path. */
export function writeKubeconfig(server: string, opts: { namespace?: string; user?: string; token?: string; context?: string } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'exposectl-kubeconfig-'));
  const file = path.join(dir, 'config');
  const context = opts.context ?? 'test';
  const user = opts.user ?? 'tester';
  writeFileSync(file, [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${context}`,
    'clusters:',
    `- name: test-cluster`,
    `  cluster: {server: "${server}"}`,
    'users:',
    `- name: ${user}`,
    `  user: {token: ${opts.token ?? 'secret-token'}}`,
    'contexts:',
    `- name: ${context}`,
    `  context: {cluster: test-cluster, user: ${user}${opts.namespace ? `, namespace: ${opts.namespace}` : ''}}`,
    '',
  ].join('\n'));
  return file;
}
