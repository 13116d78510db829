// A small stand-in for the Kubernetes API server (plain HTTP on loopback), for the faults
// a real kube-apiserver cannot be made to produce: an SSO proxy's HTML login page, a
// truncated or endless body, a continue token that repeats, pages that never end, a
// server that accepts and never answers. Everything a real server does well is tested
// against the real control plane (test/integration); use this only for faults.
//
// Usage:
//   const api = await startFakeApiServer();
//   api.collections.set('/api/v1/services', [{ metadata: { name: 'web', namespace: 'default' } }]);
//   api.fault('/api/v1/services', { type: 'html' });          // exact path, or a RegExp, or '*'
//   const kubeconfig = writeKubeconfig(api.url);              // token user, context "test"
//   ... run the CLI with --kubeconfig kubeconfig ...
//   api.requests                                               // what was asked, in order
//   await api.close();                                         // also cuts stalled/endless answers
//
// Served without set-up: /version, /api (APIVersions), /apis (APIGroupList, or the
// aggregated APIGroupDiscoveryList when asked for it, built from the collections), and a
// Status 404 for anything else. Collections are paged by limit/continue like the real one.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

/** What a path answers instead of the normal answer. */
export type Fault =
  /** 200 text/html: an SSO proxy's login page. */
  | { type: 'html' }
  /** 200 application/json, the normal body cut in the middle. */
  | { type: 'truncated' }
  /** 200 with the normal JSON body but another Content-Type (default text/plain). */
  | { type: 'content-type'; contentType?: string }
  /** Any body (e.g. '{}': JSON that is not a list), status `code` (200) and Content-Type (application/json). */
  | { type: 'body'; body: string; contentType?: string; code?: number }
  /** Pages whose continue token is always the same. */
  | { type: 'repeat-continue' }
  /** Pages that never end: every page has `items` (default 1) objects and a new token. */
  | { type: 'endless-pages'; items?: number }
  /** 200 application/json whose list body never ends (streamed until the client stops). */
  | { type: 'endless-body' }
  /** Headers never sent: the request hangs until the client gives up. */
  | { type: 'stall' }
  /** A Status with this code (and reason, message). */
  | { type: 'status'; code: number; reason?: string; message?: string };

/** Escape hatch: return true when the response was sent. */
export type Handler = (req: Recorded, res: ServerResponse) => boolean | undefined;

export interface FakeApiServer {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: Recorded[];
  /** Collections: path -> items (paged by limit/continue). */
  collections: Map<string, unknown[]>;
  /** Paths answering with a Status of this code. */
  statuses: Map<string, { code: number; message?: string; reason?: string }>;
  handler?: Handler;
  /** Makes every path matching `where` (exact path, RegExp, or '*' for all) answer with the fault. */
  fault(where: string | RegExp, fault: Fault): void;
  /** Removes every fault. */
  clearFaults(): void;
  close(): Promise<void>;
}

const LOGIN_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action="/oauth2/start">Sign in with SSO</form></body></html>\n';

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const faults: Array<{ where: string | RegExp; fault: Fault }> = [];
  const stalled = new Set<ServerResponse>();
  const fake: FakeApiServer = {
    url: '',
    requests: [],
    collections: new Map(),
    statuses: new Map(),
    fault: (where, fault) => {
      faults.push({ where, fault });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    close: async () => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const faultFor = (p: string) =>
    faults.find(({ where }) => where === '*' || (typeof where === 'string' ? where === p : where.test(p)))?.fault;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rec: Recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    };
    fake.requests.push(rec);
    if (fake.handler && fake.handler(rec, res) === true) return;
    const fault = faultFor(url.pathname);
    if (fault?.type === 'stall') {
      stalled.add(res);
      res.on('close', () => stalled.delete(res));
      return;
    }
    if (fault?.type === 'html') return send(res, 200, LOGIN_PAGE, 'text/html; charset=utf-8');
    if (fault?.type === 'body')
      return send(res, fault.code ?? 200, fault.body, fault.contentType ?? 'application/json');
    if (fault?.type === 'status')
      return send(res, fault.code, JSON.stringify(status(fault.code, fault.reason, fault.message)));
    if (fault?.type === 'endless-body') return endlessBody(res, stalled);

    const answer = normalAnswer(fake, url, rec, fault);
    const text = JSON.stringify(answer.body);
    if (fault?.type === 'truncated' && answer.code === 200)
      return send(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    if (fault?.type === 'content-type' && answer.code === 200)
      return send(res, 200, text, fault.contentType ?? 'text/plain; charset=utf-8');
    send(res, answer.code, text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function send(res: ServerResponse, code: number, body: string, contentType = 'application/json'): void {
  res.writeHead(code, { 'content-type': contentType });
  res.end(body);
}

function status(code: number, reason?: string, message?: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message };
}

/** The answer of a well-behaved server (with the paging faults applied). */
function normalAnswer(
  fake: FakeApiServer,
  url: URL,
  rec: Recorded,
  fault: Fault | undefined,
): { code: number; body: unknown } {
  const p = url.pathname;
  const st = fake.statuses.get(p);
  if (st) return { code: st.code, body: status(st.code, st.reason, st.message) };
  if (p === '/version') return { code: 200, body: { major: '1', minor: '35', gitVersion: 'v1.35.4-fake' } };
  if (p === '/api')
    return { code: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
  if (p === '/apis') return { code: 200, body: discovery(fake, String(rec.headers.accept ?? '')) };
  const items = fake.collections.get(p);
  if (fault?.type === 'repeat-continue')
    return { code: 200, body: list(items ?? [{ metadata: { name: 'same' } }], 'same-token') };
  if (fault?.type === 'endless-pages') {
    const n = fault.items ?? 1;
    const page = Number(url.searchParams.get('continue') ?? '0');
    const pageItems = Array.from({ length: n }, (_, i) => ({
      metadata: { name: `object-${page}-${i}`, namespace: 'default' },
    }));
    return { code: 200, body: list(pageItems, String(page + 1)) };
  }
  if (!items) return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
  const limit = Number(url.searchParams.get('limit') ?? '0') || items.length;
  const start = Number(url.searchParams.get('continue') ?? '0');
  const next = start + limit < items.length ? String(start + limit) : undefined;
  return { code: 200, body: list(items.slice(start, start + limit), next) };
}

function list(items: unknown[], next: string | undefined) {
  return {
    kind: 'List',
    apiVersion: 'v1',
    metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) },
    items,
  };
}

/** /apis from the collection paths "/apis/GROUP/VERSION/[namespaces/NS/]PLURAL". */
function discovery(fake: FakeApiServer, accept: string) {
  const versions = new Map<string, Map<string, Set<string>>>();
  for (const p of fake.collections.keys()) {
    const m = /^\/apis\/([^/]+)\/([^/]+)\/(?:namespaces\/[^/]+\/)?([^/]+)$/.exec(p);
    if (!m) continue;
    const [, group, version, plural] = m as unknown as [string, string, string, string];
    const byVersion = versions.get(group) ?? new Map<string, Set<string>>();
    versions.set(group, byVersion);
    byVersion.set(version, (byVersion.get(version) ?? new Set()).add(plural));
  }
  if (accept.includes('as=APIGroupDiscoveryList')) {
    return {
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      items: [...versions].map(([group, vs]) => ({
        metadata: { name: group },
        versions: [...vs].map(([version, plurals]) => ({
          version,
          resources: [...plurals].map((resource) => ({ resource })),
        })),
      })),
    };
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...versions].map(([name, vs]) => ({
      name,
      versions: [...vs.keys()].map((version) => ({ groupVersion: `${name}/${version}`, version })),
    })),
  };
}

/** A list body that never ends: objects are written as fast as the client reads them. */
function endlessBody(res: ServerResponse, open: Set<ServerResponse>): void {
  open.add(res);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"kind":"List","apiVersion":"v1","metadata":{},"items":[');
  const chunk = Buffer.from(
    `${JSON.stringify({ metadata: { name: 'x'.repeat(200), namespace: 'default' } })},`.repeat(256),
  );
  const pump = () => {
    while (!res.destroyed && res.write(chunk)) {
      /* until the socket buffer is full */
    }
  };
  res.on('drain', pump);
  res.on('close', () => open.delete(res));
  pump();
}

export interface KubeconfigOptions {
  namespace?: string;
  context?: string;
  /** The user's name in the kubeconfig (default "tester"). */
  user?: string;
  /** The user entry (default: { token: "secret-token" }); null: the context names no user. */
  userEntry?: Record<string, unknown> | null;
  /** Extra fields of the cluster entry (certificate-authority, ...). */
  cluster?: Record<string, unknown>;
  /** Users defined in the file (default: just `user`); to test a context naming an undefined user. */
  defineUser?: boolean;
}

/** Writes a kubeconfig for `server` into a new temporary folder; returns its path. */
export function writeKubeconfig(server: string, opts: KubeconfigOptions & { token?: string } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'exposectl-kubeconfig-'));
  const file = path.join(dir, 'config');
  const context = opts.context ?? 'test';
  const user = opts.user ?? 'tester';
  const userEntry = opts.userEntry === undefined ? { token: opts.token ?? 'secret-token' } : opts.userEntry;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': context,
    clusters: [{ name: 'test-cluster', cluster: { server, ...opts.cluster } }],
    users: userEntry !== null && opts.defineUser !== false ? [{ name: user, user: userEntry }] : [],
    contexts: [
      {
        name: context,
        context: {
          cluster: 'test-cluster',
          ...(userEntry !== null ? { user } : {}),
          ...(opts.namespace ? { namespace: opts.namespace } : {}),
        },
      },
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2)); // JSON is YAML
  return file;
}
