// A small fault-injecting HTTP proxy in front of the REAL API server, for the faults a real
// one does not produce on demand: a 500 on the Nth write, a connection reset after the
// server stored a write (the answer is lost), a server that stops answering.
//
//   const proxy = await startFaultProxy(cluster.kubeconfig, tmpDir);
//   proxy.fault = ({ patchNo }) => (patchNo === 3 ? { status: 500 } : undefined);
//   await runCli([...args, '--kubeconfig', proxy.kubeconfig]);
//   await proxy.close();
//
// The CLI speaks plain HTTP to the proxy (kubeconfig `server: http://127.0.0.1:PORT`, a
// dummy token it drops); the proxy forwards over TLS with the admin kubeconfig's client
// certificate, as `kubectl proxy` does. Only loopback is used.
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import * as path from 'node:path';
import { parse } from 'yaml';

export interface ProxiedRequest {
  method: string;
  /** Path and query, as the CLI sent them. */
  url: string;
  /** 1 for the first PATCH through the proxy (expose's server-side applies), 2 for the next... */
  patchNo: number | undefined;
}

/**
 * What to do with a request: undefined passes it through; `status` answers it with an API
 * Status of that code without forwarding (nothing stored); `reset` forwards it, lets the
 * server answer, then closes the client's connection (stored, answer lost); `stall` never
 * answers it, nor any later request.
 */
export type Fault = { status: number; message?: string } | 'reset' | 'stall' | undefined;

export interface FaultProxy {
  /** A kubeconfig whose server is this proxy. */
  kubeconfig: string;
  fault: (req: ProxiedRequest) => Fault;
  /** Every request seen, in order, with what was done to it. */
  log: Array<ProxiedRequest & { done: string }>;
  /** When the proxy began to stall (performance.now()), if it did. */
  stalledAt: number | undefined;
  close(): Promise<void>;
}

interface Kubeconfig {
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }>;
}

export async function startFaultProxy(adminKubeconfig: string, dir: string): Promise<FaultProxy> {
  const kc = parse(fs.readFileSync(adminKubeconfig, 'utf8')) as Kubeconfig;
  const upstream = new URL(kc.clusters[0]!.cluster.server);
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const tls = {
    ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
    cert: b64(kc.users[0]!.user['client-certificate-data']),
    key: b64(kc.users[0]!.user['client-key-data']),
  };
  const sockets = new Set<Socket>();
  let patches = 0;
  const proxy: FaultProxy = {
    kubeconfig: path.join(dir, `fault-proxy-${process.pid}-${Date.now()}.kubeconfig`),
    fault: () => undefined,
    log: [],
    stalledAt: undefined,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: upstream.host };
      delete headers.authorization;
      const up = httpsRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, ...tls },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const out: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (typeof v === 'string' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
            resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
          });
          res.on('error', reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const seen: ProxiedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      patchNo: req.method === 'PATCH' ? ++patches : undefined,
    };
    const fault = proxy.stalledAt !== undefined ? 'stall' : proxy.fault(seen);
    proxy.log.push({ ...seen, done: typeof fault === 'object' ? String(fault.status) : (fault ?? 'passed') });
    if (fault === 'stall') {
      proxy.stalledAt ??= performance.now();
      return; // never answered
    }
    if (typeof fault === 'object') {
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          code: fault.status,
          reason: 'InternalError',
          message: fault.message ?? 'injected by the fault proxy',
        }),
      );
      return;
    }
    const answer = await forward(req, body);
    if (fault === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: ${(err as Error).message}`);
      });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  fs.writeFileSync(
    proxy.kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: fault-proxy, cluster: {server: 'http://127.0.0.1:${port}'}}]
users: [{name: fault-proxy, user: {token: dropped-by-the-proxy}}]
contexts: [{name: fault-proxy, context: {cluster: fault-proxy, user: fault-proxy}}]
current-context: fault-proxy
`,
    { mode: 0o600 },
  );
  return proxy;
}
