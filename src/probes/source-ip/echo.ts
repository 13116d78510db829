// One HTTP GET to the echo through the exposure: the body is what agnhost netexec
// answers (/clientip: "ip:port" it saw), and the socket's local address is the client's
// own source address. Facts only; never throws (a failure is an answer with an error).
import http from 'node:http';
import { connectErrorText } from '../../util/connect-error.js';

export interface EchoAnswer {
  status: number | null;
  body: string;
  /** The local address of the socket used: the client's source address. */
  localAddress: string | null;
  error?: string;
}

const MAX_BODY = 16 * 1024;

export function getEcho(o: {
  address: string;
  port: number;
  path: string;
  host?: string;
  /** Further request headers (e.g. the probe's own, which a shared-host mirror route matches). */
  headers?: Record<string, string>;
  timeoutMs: number;
}): Promise<EchoAnswer> {
  return new Promise((resolve) => {
    let done = false;
    let localAddress: string | null = null;
    const finish = (a: Omit<EchoAnswer, 'localAddress'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...a, localAddress });
    };
    const hostHeader = o.host ?? `${o.address.includes(':') ? `[${o.address}]` : o.address}:${o.port}`;
    const req = http.get(
      {
        host: o.address,
        port: o.port,
        path: o.path,
        agent: false,
        headers: { ...o.headers, host: hostHeader, 'user-agent': 'exposectl-source-ip-probe' },
      },
      (res) => {
        localAddress = res.socket.localAddress ?? localAddress;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < MAX_BODY) body += c;
        });
        res.on('end', () => finish({ status: res.statusCode ?? null, body }));
        res.on('error', (e) => finish({ status: res.statusCode ?? null, body, error: e.message }));
      },
    );
    req.on('socket', (s) =>
      s.on('connect', () => {
        localAddress = s.localAddress ?? null;
      }),
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: null, body: '', error: `no answer within ${o.timeoutMs} ms` });
    }, o.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      const why = connectErrorText(e);
      finish({ status: null, body: '', error: why });
    });
  });
}
