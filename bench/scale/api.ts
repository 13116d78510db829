// A minimal API client for loading the benchmark cluster fast: HTTPS with the admin client
// certificate of a cluster started by scripts/cluster/up.ts, keep-alive connections, and a
// bounded pool of requests in flight. Not exposectl's client on purpose: the loader must not
// depend on the code it measures.

import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';

export interface ClusterInfo {
  dir: string;
  kubeconfig: string;
  apiserverUrl: string;
  binDir: string;
}

export function readClusterInfo(dir: string): ClusterInfo {
  const c = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as Omit<ClusterInfo, 'dir'>;
  return { dir, kubeconfig: c.kubeconfig, apiserverUrl: c.apiserverUrl, binDir: c.binDir };
}

export interface Response {
  status: number;
  body: string;
}

export class Api {
  private readonly agent: Agent;
  private readonly url: URL;
  readonly concurrency: number;
  requests = 0;

  constructor(cluster: ClusterInfo, concurrency = 16) {
    this.concurrency = concurrency;
    const pki = join(cluster.dir, 'pki');
    this.url = new URL(cluster.apiserverUrl);
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: concurrency,
      ca: readFileSync(join(pki, 'ca.crt')),
      cert: readFileSync(join(pki, 'admin.crt')),
      key: readFileSync(join(pki, 'admin.key')),
    });
  }

  close(): void {
    this.agent.destroy();
  }

  /** One request; retried on 429, 5xx and connection resets (the API server is busy, not wrong). */
  async send(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    accept = 'application/json',
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.once(
          method,
          path,
          body === undefined ? undefined : JSON.stringify(body),
          contentType,
          accept,
        );
        if ((res.status === 429 || res.status >= 500) && attempt < 8) {
          await sleep(250 * 2 ** Math.min(attempt, 4));
          continue;
        }
        return res;
      } catch (err) {
        if (attempt >= 8) throw err;
        await sleep(250 * 2 ** Math.min(attempt, 4));
      }
    }
  }

  /** POST, where an object that already exists counts as created (a re-run on a kept cluster). */
  async create(path: string, object: unknown): Promise<void> {
    const res = await this.send('POST', path, object);
    if (res.status !== 201 && res.status !== 200 && res.status !== 409)
      throw new Error(`POST ${path}: ${res.status} ${res.body.slice(0, 400)}`);
  }

  async mergePatch(path: string, patch: unknown): Promise<void> {
    const res = await this.send('PATCH', path, patch, 'application/merge-patch+json');
    if (res.status !== 200) throw new Error(`PATCH ${path}: ${res.status} ${res.body.slice(0, 400)}`);
  }

  async getJson<T>(path: string, accept = 'application/json'): Promise<T> {
    const res = await this.send('GET', path, undefined, undefined, accept);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 400)}`);
    return JSON.parse(res.body) as T;
  }

  private once(
    method: string,
    path: string,
    body: string | undefined,
    contentType: string,
    accept: string,
  ): Promise<Response> {
    this.requests++;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          hostname: this.url.hostname,
          port: this.url.port,
          method,
          path,
          headers: {
            accept,
            ...(body !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** Runs task over items with at most `limit` in flight; the first failure is thrown once all workers stop. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
