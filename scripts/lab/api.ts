// A minimal client of the lab's API server for the lab scripts: the admin client
// certificate cluster:up wrote into DIR/pki, JSON in and out. (The scripts run under plain
// node from a fresh checkout before `npm run build`, so they avoid the CLI's client.)
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';

export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export class Api {
  private readonly agent: https.Agent;
  private readonly base: URL;

  constructor(dir: string) {
    const cluster = JSON.parse(fs.readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as { apiserverUrl: string };
    const pki = path.join(dir, 'pki');
    this.base = new URL(cluster.apiserverUrl);
    this.agent = new https.Agent({
      keepAlive: true,
      ca: fs.readFileSync(path.join(pki, 'ca.crt')),
      cert: fs.readFileSync(path.join(pki, 'admin.crt')),
      key: fs.readFileSync(path.join(pki, 'admin.key')),
    });
  }

  request<T>(method: string, urlPath: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(urlPath, this.base),
        {
          method,
          agent: this.agent,
          timeout: 15_000,
          headers: {
            accept: 'application/json',
            ...(data !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(data) } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve((text ? JSON.parse(text) : {}) as T);
            else reject(new ApiError(status, `${method} ${urlPath}: HTTP ${status} ${text.slice(0, 300)}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
      req.on('error', reject);
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
