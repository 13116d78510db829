// kube-proxy's health check for externalTrafficPolicy Local Services: every node answers
// `GET http://NODE:healthCheckNodePort/healthz` with 200 when it has local endpoints and
// 503 when it has none, and a JSON body
// `{"service":{"namespace":"ns","name":"svc"},"localEndpoints":N,"serviceProxyHealthy":true}`.
// One request per node, a short timeout, a bounded number at a time. Facts only.
import http from 'node:http';
import type { HealthzAnswer } from '../../model/probe-facts.js';
import { connectErrorText } from '../../util/connect-error.js';

export interface HealthzBody {
  service: { namespace: string; name: string } | null;
  localEndpoints: number | null;
  serviceProxyHealthy: boolean | null;
}

/** The fields of kube-proxy's healthz body; nulls for what the body does not carry (or a body that is not JSON). */
export function parseHealthzBody(text: string): HealthzBody {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { service: null, localEndpoints: null, serviceProxyHealthy: null };
  }
  const o = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const s = o.service !== null && typeof o.service === 'object' ? (o.service as Record<string, unknown>) : undefined;
  const le = o.localEndpoints;
  return {
    service:
      s && typeof s.namespace === 'string' && typeof s.name === 'string'
        ? { namespace: s.namespace, name: s.name }
        : null,
    localEndpoints: typeof le === 'number' && Number.isInteger(le) && le >= 0 ? le : null,
    serviceProxyHealthy: typeof o.serviceProxyHealthy === 'boolean' ? o.serviceProxyHealthy : null,
  };
}

export interface HealthzResult extends HealthzAnswer {
  /** The Service the body names (kube-proxy answers for the Service that owns the port). */
  service: { namespace: string; name: string } | null;
  serviceProxyHealthy: boolean | null;
  /** How long the request took, in milliseconds. */
  ms: number;
}

const MAX_BODY = 64 * 1024;

/** One GET of /healthz; never throws: a failure is an answer with status null and an error. */
export function fetchHealthz(
  target: { node: string; address: string },
  port: number,
  timeoutMs: number,
): Promise<HealthzResult> {
  const t0 = performance.now();
  const host = target.address.includes(':') ? `[${target.address}]` : target.address;
  const base = { node: target.node, address: target.address };
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Omit<HealthzResult, 'node' | 'address' | 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...base, ...r, ms: Math.round(performance.now() - t0) });
    };
    const req = http.get(
      {
        host: target.address,
        port,
        path: '/healthz',
        agent: false,
        headers: { host: `${host}:${port}`, accept: 'application/json', 'user-agent': 'exposectl-probe' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < MAX_BODY) body += c;
        });
        res.on('end', () => {
          const b = parseHealthzBody(body);
          finish({
            status: res.statusCode ?? null,
            localEndpoints: b.localEndpoints,
            service: b.service,
            serviceProxyHealthy: b.serviceProxyHealthy,
          });
        });
        res.on('error', (e) =>
          finish({
            status: res.statusCode ?? null,
            localEndpoints: null,
            service: null,
            serviceProxyHealthy: null,
            error: e.message,
          }),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({
        status: null,
        localEndpoints: null,
        service: null,
        serviceProxyHealthy: null,
        error: `no answer within ${timeoutMs} ms`,
      });
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      const why = connectErrorText(e);
      finish({ status: null, localEndpoints: null, service: null, serviceProxyHealthy: null, error: why });
    });
  });
}

/** GETs every target's /healthz, `concurrency` at a time; answers in the targets' order. */
export async function probeHealthz(
  targets: ReadonlyArray<{ node: string; address: string }>,
  port: number,
  opts: { timeoutMs?: number; concurrency?: number } = {},
): Promise<HealthzResult[]> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`invalid healthCheckNodePort ${port}`);
  const timeoutMs = opts.timeoutMs ?? 2000;
  const limit = Math.max(1, Math.min(opts.concurrency ?? 8, 64));
  const out: HealthzResult[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      out[i] = await fetchHealthz(targets[i]!, port, timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, targets.length) }, worker));
  return out;
}
