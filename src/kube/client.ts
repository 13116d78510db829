// A small client for the Kubernetes API: authenticated JSON requests with an
// overall --request-timeout. @kubernetes/client-node is imported lazily, here and
// only here, so commands that read files never pay its ~400 ms load time.

import { formatBytes, MAX_RESPONSE_BYTES, readBounded, TooLargeError } from '../util/bounded-read.js';
import { debug } from '../util/debug.js';
import { parseFailure, parseSuccess } from './answer.js';
import { prepareConnection } from './credentials.js';
import { KubeApiError, KubeAuthError, KubeResponseTooLargeError, KubeTimeoutError } from './errors.js';
import { execPlugins } from './exec-plugin.js';
import { type ResolvedKubeconfig, resolveKubeconfig } from './kubeconfig.js';
import { warnIfInsecureTls } from './tls-warning.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  /** Accept header; application/json when absent. */
  accept?: string;
  /** A JSON body (serialized here) or a string. */
  body?: unknown;
  contentType?: string;
}

export interface KubeClient {
  /** The API server URL for messages (a password in it replaced by "xxxxx"). */
  readonly server: string;
  readonly contextName: string;
  readonly userName: string | undefined;
  /** Default namespace of the context. */
  readonly namespace: string;
  readonly requestTimeoutMs: number | undefined;
  /**
   * Sends a request to an API path ("/api/v1/services") and returns the parsed JSON
   * body. Non-2xx: KubeApiError; a 2xx that is not a JSON object sent as JSON:
   * KubeBadResponseError; an answer over MAX_RESPONSE_BYTES: KubeResponseTooLargeError;
   * over the timeout: KubeTimeoutError; credentials: KubeAuthError; network failures:
   * the underlying error (map all with mapKubeError).
   */
  request<T = unknown>(path: string, opts?: RequestOptions): Promise<T>;
  /** Closes the connections of this client at once, pending ones too (call when done; idempotent). */
  close(): Promise<void>;
}

export interface ClientOptions {
  /** --request-timeout in milliseconds; 0 or undefined: no overall timeout (kubectl's default). */
  requestTimeoutMs?: number;
}

// Only the three modules used, not the package index: the index also loads the ~700
// generated API models and clients, which cost about a second of CPU at every start.
type ClientNode = typeof import('@kubernetes/client-node/dist/config.js') &
  typeof import('@kubernetes/client-node/dist/gen/http/http.js') &
  typeof import('@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js');
type Dispatcher = NonNullable<ReturnType<InstanceType<ClientNode['RequestContext']>['getDispatcher']>>;

let clientNode: Promise<ClientNode> | undefined;
function loadClientNode(): Promise<ClientNode> {
  clientNode ??= (async () => {
    const start = performance.now();
    const [config, http, fetchLibrary] = await Promise.all([
      import('@kubernetes/client-node/dist/config.js'),
      import('@kubernetes/client-node/dist/gen/http/http.js'),
      import('@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js'),
    ]);
    debug(`kube: loaded @kubernetes/client-node in ${Math.round(performance.now() - start)} ms`);
    return { ...config, ...http, ...fetchLibrary };
  })();
  return clientNode;
}

/** Resolves --kubeconfig/--context with kubectl's rules and builds a client for it. */
export async function connect(opts: {
  kubeconfig?: string;
  context?: string;
  requestTimeoutMs?: number;
}): Promise<KubeClient> {
  const resolved = resolveKubeconfig({
    ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context !== undefined ? { context: opts.context } : {}),
  });
  return createClient(resolved, opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {});
}

/**
 * Builds a client for the resolved context (see resolveKubeconfig). Credentials and the
 * server URL are checked first (prepareConnection): a problem is a UsageError, and no
 * request goes out.
 */
export async function createClient(context: ResolvedKubeconfig, opts: ClientOptions = {}): Promise<KubeClient> {
  const { resolved, url: serverUrl } = prepareConnection(context);
  warnIfInsecureTls(resolved);
  const k8s = await loadClientNode();
  const kc = new k8s.KubeConfig();
  if (resolved.inCluster) {
    kc.loadFromCluster();
  } else {
    kc.loadFromString(JSON.stringify(plainHttpAllowed(resolved)), { onInvalidEntry: 'filter' });
    kc.setCurrentContext(resolved.contextName);
  }
  const plugins = execPlugins();
  for (const auth of (kc as unknown as { authenticators?: unknown[] }).authenticators ?? []) {
    if (auth && typeof auth === 'object' && 'execFn' in auth) (auth as { execFn: unknown }).execFn = plugins.spawn;
  }
  const http = new k8s.IsomorphicFetchHttpLibrary();
  const server = serverUrl.display;
  const timeoutMs = opts.requestTimeoutMs && opts.requestTimeoutMs > 0 ? opts.requestTimeoutMs : undefined;

  let dispatcher: Dispatcher | undefined;

  /** GETs answered 429 (API priority and fairness) or 503 with Retry-After are tried again, at most MAX_ATTEMPTS times. */
  async function request<T>(path: string, ro: RequestOptions = {}): Promise<T> {
    for (let attemptNo = 1; ; attemptNo++) {
      try {
        return await attempt<T>(path, ro);
      } catch (err) {
        const wait = retryDelayMs(err, attemptNo, ro.method ?? 'GET');
        if (wait === undefined) throw err;
        debug(`kube: ${path}: ${(err as KubeApiError).status}, trying again in ${wait} ms`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async function attempt<T>(path: string, ro: RequestOptions): Promise<T> {
    const url = new URL(serverUrl.base + path);
    const where = `${ro.method ?? 'GET'} ${serverUrl.display}${path}`;
    for (const [k, v] of Object.entries(ro.query ?? {}))
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const method = ro.method ?? 'GET';
    const ctx = new k8s.RequestContext(url.toString(), k8s.HttpMethod[method]);
    ctx.setHeaderParam('Accept', ro.accept ?? 'application/json');
    if (ro.body !== undefined) {
      ctx.setHeaderParam('Content-Type', ro.contentType ?? 'application/json');
      ctx.setBody(typeof ro.body === 'string' ? ro.body : JSON.stringify(ro.body));
    }
    const started = performance.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      if (timeoutMs === undefined) return;
      timer = setTimeout(() => {
        const err = new KubeTimeoutError(timeoutMs);
        plugins.killAll(); // an exec plugin still running is given up on
        controller.abort(err);
        reject(err);
      }, timeoutMs);
    });
    timedOut.catch(() => undefined); // handled through the race below
    try {
      // The timeout covers getting credentials (exec plugins), the answer and its body.
      await Promise.race([
        kc.applySecurityAuthentication(ctx).catch((err: unknown) => {
          throw new KubeAuthError((err as Error).message ?? String(err), { cause: err });
        }),
        timedOut,
      ]);
      // Go's HTTP client sends the user:password of the URL when no other credential is set; so does kubectl.
      if (serverUrl.basicAuth && !ctx.getHeaders().Authorization) {
        const { username, password } = serverUrl.basicAuth;
        ctx.setHeaderParam('Authorization', `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
      }
      // One connection pool per client: client-node builds a new dispatcher on every
      // call, which would mean a TLS handshake per request and sockets left open.
      const fresh = ctx.getDispatcher();
      if (fresh) {
        dispatcher ??= fresh;
        if (fresh !== dispatcher) ctx.setDispatcher(dispatcher);
      }
      ctx.setSignal(controller.signal);
      const response = await Promise.race([http.send(ctx).toPromise(), timedOut]);
      const bytes = await Promise.race([readBounded(response.body.stream(), MAX_RESPONSE_BYTES), timedOut]).catch(
        (err: unknown) => {
          if (!(err instanceof TooLargeError)) throw err;
          controller.abort(err);
          throw new KubeResponseTooLargeError(where, err.limitBytes, formatBytes(err.limitBytes));
        },
      );
      const text = bytes.toString('utf8');
      debug(
        `kube: ${method} ${url.pathname}${url.search} -> ${response.httpStatusCode} in ${Math.round(performance.now() - started)} ms`,
      );
      const ok = response.httpStatusCode >= 200 && response.httpStatusCode < 300;
      const body: unknown = ok
        ? parseSuccess({ status: response.httpStatusCode, contentType: response.headers['content-type'], text }, where)
        : parseFailure(text);
      if (!ok) {
        const status = body as { reason?: unknown; message?: unknown } | undefined;
        throw new KubeApiError(
          response.httpStatusCode,
          typeof status?.reason === 'string' ? status.reason : undefined,
          typeof status?.message === 'string'
            ? status.message
            : typeof body === 'string'
              ? body.slice(0, 200)
              : undefined,
          body,
          url.pathname,
          retryAfter(response.headers['retry-after']),
        );
      }
      return body as T;
    } catch (err) {
      if (
        controller.signal.aborted &&
        !(err instanceof KubeTimeoutError) &&
        controller.signal.reason instanceof KubeTimeoutError
      )
        throw controller.signal.reason;
      if (err instanceof KubeResponseTooLargeError) debug(`kube: ${err.message}`);
      if (!(err instanceof KubeApiError))
        debug(
          `kube: ${method} ${url.pathname}${url.search} failed after ${Math.round(performance.now() - started)} ms: ${(err as Error)?.message ?? err}`,
        );
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  return {
    server,
    contextName: resolved.contextName,
    userName: resolved.userName,
    namespace: resolved.namespace,
    requestTimeoutMs: timeoutMs,
    request,
    close: async () => {
      plugins.killAll();
      const d = dispatcher;
      dispatcher = undefined;
      // destroy(), not close(): close() waits for pending connects, and a TLS handshake
      // with a server that never answers would hold the process for undici's 10 s connect
      // timeout after --request-timeout already gave up.
      if (d) await d.destroy().catch(() => undefined);
    },
  };
}

/**
 * @kubernetes/client-node refuses http:// servers unless insecure-skip-tls-verify is
 * set; kubectl accepts them (`kubectl proxy` serves http://127.0.0.1:8001). With no
 * TLS at all that flag changes nothing else, so it is set for http:// clusters.
 */
function plainHttpAllowed(resolved: ResolvedKubeconfig): ResolvedKubeconfig['config'] {
  const config = resolved.config;
  if (!config || !resolved.server.startsWith('http:')) return config;
  return {
    ...config,
    clusters: config.clusters.map((c) =>
      c.name === resolved.clusterName ? { ...c, cluster: { ...c.cluster, 'insecure-skip-tls-verify': true } } : c,
    ),
  };
}

export const MAX_ATTEMPTS = 3;
const MAX_RETRY_WAIT_MS = 5000;

/** How long to wait before trying a failed request again, or undefined: do not. */
export function retryDelayMs(err: unknown, attemptNo: number, method: string): number | undefined {
  if (!(err instanceof KubeApiError) || method !== 'GET' || attemptNo >= MAX_ATTEMPTS) return undefined;
  const retryable =
    err.status === 429 || ((err.status === 503 || err.status === 504) && err.retryAfterSeconds !== undefined);
  if (!retryable) return undefined;
  const ms = err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : 1000 * attemptNo;
  return Math.min(Math.max(ms, 0), MAX_RETRY_WAIT_MS);
}

function retryAfter(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
