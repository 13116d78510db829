// Turns a failed API request into ONE clear line (an ExposectlError with a hint):
// unreachable server (with its URL), TLS trouble, 401 (naming the user and
// context), 403 (naming verb, resource and namespace), timeouts (naming the
// timeout), server errors. No stack traces for these expected failures.
import { ExposectlError, RuntimeError } from '../util/errors.js';

/** What was being asked when a request failed: used to word the message. */
export interface RequestDescription {
  /** API verb: list, get, patch, delete, create, ... */
  verb: string;
  /** Plural resource, with its group for non-core groups: "services", "ipaddresspools.metallb.io". */
  resource: string;
  /** The namespace; undefined for all namespaces (of a namespaced resource) or cluster-scoped ones. */
  namespace?: string;
  /** Whether the resource is namespaced (wording for "all namespaces" vs "cluster scope"). */
  namespaced?: boolean;
  /** The object name, for requests about one object. */
  name?: string;
  server: string;
  contextName: string;
  userName?: string;
  /** --request-timeout in ms, if any. */
  timeoutMs?: number;
}

/** A non-2xx answer from the API server, with the Status it sent (when it sent one). */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string | undefined,
    readonly apiMessage: string | undefined,
    readonly body: unknown,
    readonly path: string,
    /** The Retry-After header, in seconds, when the server sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`HTTP ${status}${reason ? ` ${reason}` : ''}${apiMessage ? `: ${apiMessage}` : ''} (${path})`);
    this.name = 'KubeApiError';
  }
}

/** Credentials could not be obtained (exec plugin failed, token file missing, ...). */
export class KubeAuthError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KubeAuthError';
  }
}

/** The request (connect, auth, answer and body) took longer than --request-timeout. */
export class KubeTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`timed out after ${timeoutMs} ms`, options);
    this.name = 'KubeTimeoutError';
  }
}

/** A 2xx answer that is not what the API server sends (HTML login page, truncated JSON, wrong content type, not a list). */
export class KubeBadResponseError extends Error {
  constructor(
    /** What is wrong, e.g. "it is text/html, not JSON". */
    readonly problem: string,
    /** Method and URL, without credentials: "GET https://h:6443/api/v1/services?limit=500". */
    readonly where: string,
    readonly status: number,
    readonly contentType: string | undefined,
    /** The body (only its start is shown). */
    body: string,
  ) {
    super(`${where} answered ${status} but ${problem}; it starts with ${bodyStart(body)}`);
    this.name = 'KubeBadResponseError';
  }
}

/** The first characters of a body, quoted, on one line, control characters escaped. */
export function bodyStart(body: string, max = 80): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat === '') return 'nothing (empty body)';
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}...` : flat);
}

/** A 2xx answer larger than the documented limit; the read stopped there. */
export class KubeResponseTooLargeError extends Error {
  constructor(
    readonly where: string,
    readonly limitBytes: number,
    limitText: string,
  ) {
    super(`${where}: the answer is larger than ${limitText}, the limit for one answer; exposectl stopped reading it`);
    this.name = 'KubeResponseTooLargeError';
  }
}

const CONTEXT_HINT = 'is the cluster running? check --kubeconfig/--context';

/** Maps any failure of a request to one ExposectlError. ExposectlErrors pass through unchanged. */
export function mapKubeError(err: unknown, req: RequestDescription): ExposectlError {
  if (err instanceof ExposectlError) return err;
  const who = describeWho(req);
  const what = describeRequest(req);

  if (isTimeout(err)) {
    const ms = err instanceof KubeTimeoutError ? err.timeoutMs : req.timeoutMs;
    return new RuntimeError(
      oneLine(
        `request to the API server at ${req.server} timed out${ms !== undefined ? ` after ${formatMs(ms)}` : ''} (${what}, ${who})`,
      ),
      ms !== undefined ? `raise --request-timeout (now ${formatMs(ms)}), or ${CONTEXT_HINT}` : CONTEXT_HINT,
      { cause: err },
    );
  }

  if (err instanceof KubeBadResponseError) {
    return new RuntimeError(
      oneLine(`the API server at ${req.server} did not send Kubernetes JSON (${what}): ${err.message}`),
      'is a proxy in between (an SSO login page, a captive portal) or is the server URL of the context wrong?',
      { cause: err },
    );
  }

  if (err instanceof KubeResponseTooLargeError) {
    return new RuntimeError(
      oneLine(`the API server at ${req.server} sent too much (${what}): ${err.message}`),
      'narrow the request with -n NAMESPACE; see docs/reliability.md for the limits',
      { cause: err },
    );
  }

  if (err instanceof KubeAuthError) {
    return new RuntimeError(
      oneLine(`cannot get credentials for ${who}: ${err.message}`),
      'check the user entry of the kubeconfig (exec plugin, token file, client certificate)',
      { cause: err },
    );
  }

  const status = httpStatusOf(err);
  if (status !== undefined) {
    const apiMessage = apiMessageOf(err);
    const identity = /User "([^"]+)"/.exec(apiMessage ?? '')?.[1];
    switch (status) {
      case 401:
        return new RuntimeError(
          oneLine(`unauthorized: the API server at ${req.server} rejected the credentials of ${who}`),
          'the token or client certificate may be missing, wrong or expired; check --kubeconfig/--context',
          { cause: err },
        );
      case 403:
        // An admission webhook or policy said no: not a missing RBAC permission.
        if (apiMessage && /\bdenied (the )?request\b/.test(apiMessage)) {
          return new RuntimeError(
            oneLine(`the API server refused to ${what}: ${apiMessage}`),
            'an admission webhook or policy of the cluster refused it',
            { cause: err },
          );
        }
        return new RuntimeError(
          oneLine(
            `forbidden: ${identity ? `user "${identity}"` : describeUser(req)} cannot ${req.verb} ${req.resource}${req.name ? ` "${req.name}"` : ''} ${scopePhrase(req)} (context "${req.contextName}")`,
          ),
          req.namespace === undefined && req.namespaced
            ? `ask for RBAC permission to ${req.verb} ${req.resource}, or narrow the request with -n NAMESPACE`
            : `ask for RBAC permission to ${req.verb} ${req.resource}${req.namespace ? ` in namespace "${req.namespace}"` : ''}`,
          { cause: err },
        );
      case 404:
        return new RuntimeError(oneLine(`not found: ${what}${apiMessage ? `: ${apiMessage}` : ''}`), undefined, {
          cause: err,
        });
      case 408:
      case 504:
        return new RuntimeError(
          oneLine(
            `the API server at ${req.server} timed out answering (${what}): ${status}${apiMessage ? ` ${apiMessage}` : ''}`,
          ),
          'try again, or narrow the request with -n NAMESPACE',
          { cause: err },
        );
      case 429:
        return new RuntimeError(
          oneLine(`the API server at ${req.server} is throttling requests (429) (${what})`),
          'try again later',
          { cause: err },
        );
      default:
        if (status >= 500) {
          return new RuntimeError(
            oneLine(`the API server at ${req.server} failed (${what}): ${status}${apiMessage ? ` ${apiMessage}` : ''}`),
            'try again; if it persists, check the API server',
            { cause: err },
          );
        }
        return new RuntimeError(
          oneLine(`the API server refused to ${what}: ${status}${apiMessage ? ` ${apiMessage}` : ''}`),
          undefined,
          { cause: err },
        );
    }
  }

  const code = networkCodeOf(err);
  if (code) {
    if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT')) {
      return new RuntimeError(
        oneLine(
          `cannot verify the TLS connection to the API server at ${req.server}: ${networkMessageOf(err) ?? code}`,
        ),
        `check certificate-authority(-data) of cluster in the kubeconfig (context "${req.contextName}")`,
        { cause: err },
      );
    }
    const reason = NETWORK_REASONS[code] ?? networkMessageOf(err) ?? code;
    return new RuntimeError(
      oneLine(`cannot reach the API server at ${req.server}: ${reason}`),
      `${CONTEXT_HINT} (context "${req.contextName}")`,
      { cause: err },
    );
  }

  if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
    return new RuntimeError(
      oneLine(`cannot reach the API server at ${req.server}: ${causeMessage(err) ?? err.message}`),
      `${CONTEXT_HINT} (context "${req.contextName}")`,
      { cause: err },
    );
  }

  const message = err instanceof Error ? err.message : String(err);
  return new RuntimeError(oneLine(`${what} failed (API server ${req.server}): ${message}`), undefined, { cause: err });
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  UND_ERR_SOCKET: 'connection closed by the server',
  EPROTO: 'protocol error (is the URL http vs https right?)',
  ERR_INVALID_URL: 'invalid server URL',
};

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
]);

function isTimeout(err: unknown): boolean {
  if (err instanceof KubeTimeoutError) return true;
  for (const e of causes(err)) {
    const name = (e as { name?: unknown }).name;
    const code = (e as { code?: unknown }).code;
    if (name === 'TimeoutError') return true;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return true;
  }
  return false;
}

/** The HTTP status of a KubeApiError, or of @kubernetes/client-node's ApiException (`code`) and similar. */
export function httpStatusOf(err: unknown): number | undefined {
  if (err instanceof KubeApiError) return err.status;
  if (typeof err !== 'object' || err === null) return undefined;
  for (const key of ['statusCode', 'status', 'code'] as const) {
    const v = (err as Record<string, unknown>)[key];
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
  }
  return undefined;
}

function apiMessageOf(err: unknown): string | undefined {
  if (err instanceof KubeApiError) return err.apiMessage;
  let body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return text.trim() || undefined;
    }
  }
  const m = (body as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' ? m : undefined;
}

/** The first system error code (ECONNREFUSED, ...) in the error, its causes, or an AggregateError's errors. */
function networkCodeOf(err: unknown): string | undefined {
  for (const e of causes(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_ASSERTION') return code;
  }
  return undefined;
}

function networkMessageOf(err: unknown): string | undefined {
  for (const e of causes(err)) {
    if (typeof (e as { code?: unknown }).code === 'string') return (e as Error).message;
  }
  return undefined;
}

function causeMessage(err: Error): string | undefined {
  const c = err.cause;
  return c instanceof Error ? c.message : undefined;
}

/** The error, its cause chain, and the errors of AggregateErrors, breadth first (bounded). */
function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 20) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null || out.includes(e)) continue;
    out.push(e);
    const cause = (e as { cause?: unknown }).cause;
    if (cause !== undefined) queue.push(cause);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return out;
}

function describeUser(req: RequestDescription): string {
  return req.userName ? `user "${req.userName}"` : 'the anonymous user';
}

function describeWho(req: RequestDescription): string {
  return `${describeUser(req)}, context "${req.contextName}"`;
}

function scopePhrase(req: RequestDescription): string {
  if (req.namespace !== undefined) return `in namespace "${req.namespace}"`;
  return req.namespaced === false ? 'at the cluster scope' : 'in all namespaces';
}

function describeRequest(req: RequestDescription): string {
  return `${req.verb} ${req.resource}${req.name ? ` "${req.name}"` : ''} ${scopePhrase(req)}`;
}

export function formatMs(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)}s`;
  return `${ms}ms`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
