// One try of one way in: a TCP connection (refused, timed out, reset, unreachable, or
// connected, with its latency), then for https the TLS handshake (protocol, certificate
// subject, names, issuer, validity, whether it is trusted and names the host), then for http
// and https one GET (status, the first bytes of the body). Facts only; never throws.
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import ipaddr from 'ipaddr.js';
import type { ReachAttempt, ReachOutcome, ReachTarget, TlsDetails } from '../../model/reach.js';

export type { ReachAttempt, ReachOutcome, TlsDetails };

export interface AttemptOptions {
  timeoutMs: number;
  /** Extra CA certificates (PEM) to trust for https. */
  ca?: string;
}

const MAX_BODY = 16 * 1024;

function outcomeOf(e: NodeJS.ErrnoException): ReachOutcome {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'ETIMEDOUT':
      return 'timed-out';
    default:
      return 'error';
  }
}

/** A certificate name field (node gives an array when the field repeats): the first. */
const first = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));

function tlsDetails(s: tls.TLSSocket, servername: string | undefined): TlsDetails {
  const cert = s.getPeerCertificate();
  const has = cert && Object.keys(cert).length > 0;
  const altNames =
    has && cert.subjectaltname ? cert.subjectaltname.split(', ').map((n) => n.replace(/^(DNS|IP Address):/, '')) : [];
  return {
    protocol: s.getProtocol(),
    trusted: s.authorized,
    trustError: s.authorizationError ? String(s.authorizationError) : null,
    nameMatches: servername === undefined || !has ? null : tls.checkServerIdentity(servername, cert) === undefined,
    subject: has ? first(cert.subject?.CN) : null,
    altNames,
    issuer: has ? (first(cert.issuer?.CN) ?? first(cert.issuer?.O)) : null,
    validFrom: has ? new Date(cert.valid_from).toISOString() : null,
    validTo: has ? new Date(cert.valid_to).toISOString() : null,
  };
}

/** The TLS server name of a target: its host without the port, unless that is an address (SNI carries names only). */
export function serverName(t: ReachTarget): string | undefined {
  const name = (t.host ?? t.address).replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return ipaddr.isValid(name) ? undefined : name;
}

export function attemptReach(t: ReachTarget, o: AttemptOptions): Promise<ReachAttempt> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise((resolve) => {
    let done = false;
    let result: Omit<ReachAttempt, 'totalMs'> = { target: t, outcome: 'error', connectMs: null, localAddress: null };
    const sockets: net.Socket[] = [];
    const finish = (patch: Partial<ReachAttempt>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      resolve({ ...result, ...patch, totalMs: ms() });
    };
    const fail = (e: NodeJS.ErrnoException) =>
      finish(
        result.connectMs === null
          ? { outcome: outcomeOf(e), error: e.message }
          : { ...(outcomeOf(e) === 'reset' ? { outcome: 'reset' } : {}), error: e.message },
      );
    const timer = setTimeout(
      () =>
        finish(
          result.connectMs === null
            ? { outcome: 'timed-out', error: `no connection within ${o.timeoutMs} ms` }
            : { error: `no answer within ${o.timeoutMs} ms` },
        ),
      o.timeoutMs,
    );

    const sock = net.connect({ host: t.address, port: t.port });
    sockets.push(sock);
    sock.on('error', fail);
    sock.on('connect', () => {
      result = { ...result, outcome: 'connected', connectMs: ms(), localAddress: sock.localAddress ?? null };
      if (t.scheme === 'tcp') return finish({});
      if (t.scheme === 'https') {
        const name = serverName(t);
        const s = tls.connect({
          socket: sock,
          ...(name ? { servername: name } : {}),
          rejectUnauthorized: false,
          ...(o.ca ? { ca: o.ca } : {}),
        });
        sockets.push(s);
        s.on('error', fail);
        s.on('secureConnect', () => {
          result = { ...result, tls: tlsDetails(s, name) };
          get(s);
        });
        return;
      }
      get(sock);
    });

    function get(stream: net.Socket): void {
      const req = http.request(
        {
          createConnection: () => stream,
          method: 'GET',
          path: t.path ?? '/',
          headers: {
            host: t.host ?? `${t.address.includes(':') ? `[${t.address}]` : t.address}:${t.port}`,
            'user-agent': 'exposectl-probe-reach',
            connection: 'close',
          },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (body.length < MAX_BODY) body += c;
          });
          res.on('end', () => finish({ http: { status: res.statusCode ?? null, body: body.slice(0, MAX_BODY) } }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end();
    }
  });
}
