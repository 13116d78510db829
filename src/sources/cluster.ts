// The live-cluster source: lists every kind of the kinds table into the same
// Snapshot the file source gives.
//
// - Cluster-scoped kinds are always listed; namespaced kinds in the selected
//   namespace (-n, else the context's), or in all namespaces with -A. Kinds marked
//   clusterWide (MetalLB configuration, kube-vip's ConfigMap) are listed in all
//   namespaces even with -n: they decide how the namespace's Services are exposed.
// - Services are listed first, alone: an unreachable server or bad credentials give
//   one error instead of thirty. The other kinds follow in parallel, at most
//   `concurrency` requests at a time.
// - A kind that is not served (CRD absent) is empty, never an error. API discovery
//   (one request) tells which are served, so absent CRDs are not even asked for (and
//   never mistaken for a 403); without discovery, versions are tried until one answers.
// - 403 on a kind marked onForbidden 'skip' (Nodes, classes, Secrets, ConfigMaps, and
//   all custom resources: Gateway API, MetalLB, Cilium) leaves that kind empty and is
//   reported in `unreadable`, through onWarning, and on DEBUG; 403 on the built-in
//   kinds of the `view` role (Services, EndpointSlices, Pods, Ingresses, workloads)
//   is an error.
// - Secrets are listed metadata-only: their data never leaves the API server.

import { createClient, type KubeClient } from '../kube/client.js';
import { discoverApis, isServed, type ServedApis } from '../kube/discovery.js';
import { KubeApiError } from '../kube/errors.js';
import { KINDS, type KindInfo } from '../kube/kinds.js';
import { type ResolvedKubeconfig, resolveKubeconfig } from '../kube/kubeconfig.js';
import { listKind, resourceName } from '../kube/list.js';
import type { KubeObject } from '../model/kube-object.js';
import { emptySnapshot, type Snapshot } from '../model/snapshot.js';
import { debug } from '../util/debug.js';
import { ExposectlError } from '../util/errors.js';
import { runBounded } from '../util/run-bounded.js';
import { namedConfigMaps } from './configmap-refs.js';

export interface ReadClusterOptions {
  kubeconfig?: string;
  context?: string;
  /** -n; the context's namespace when absent. */
  namespace?: string;
  /** -A */
  allNamespaces: boolean;
  /** --request-timeout in ms (per request); 0/undefined: none. */
  requestTimeoutMs?: number;
  /** Parallel list requests; default 8. */
  concurrency?: number;
  /** Called once per kind left empty because listing it was forbidden (for a "Warning:" line). */
  onWarning?: (message: string) => void;
  /** The kinds to read (default: all of KINDS); expose reads only those its checks use. */
  kinds?: readonly KindInfo[];
}

/** What the CLI needs for messages: which cluster, as whom, which namespace by default. */
export interface ClusterContext {
  contextName: string;
  server: string;
  /** The context's namespace, or "default". */
  namespace: string;
  userName: string | undefined;
  inCluster: boolean;
  /** Kubeconfig files read (or ["in-cluster"]). */
  sources: string[];
}

export interface UnreadableKind {
  kind: string;
  resource: string;
  /** One line: why (the mapped 403 message). */
  message: string;
}

export interface ClusterLoad {
  snapshot: Snapshot;
  context: ClusterContext;
  /** The namespace read, or null for all namespaces. */
  namespace: string | null;
  /** Kinds left empty because the user may not list them (onForbidden 'skip'). */
  unreadable: UnreadableKind[];
  /** Kinds whose API is not served (CRD absent), as "resource.group". */
  absent: string[];
}

/**
 * Resolves the context without contacting the cluster and without loading
 * @kubernetes/client-node: context name, server URL and default namespace.
 * Missing kubeconfig or context: UsageError (exit 2).
 */
export function clusterContext(opts: { kubeconfig?: string; context?: string } = {}): ClusterContext {
  return toContext(resolveKubeconfig(withDefined(opts)));
}

/** Reads the live cluster into a Snapshot. Unreachable, 401, 403, timeouts: RuntimeError (exit 1). */
export async function readCluster(opts: ReadClusterOptions): Promise<Snapshot> {
  return (await loadCluster(opts)).snapshot;
}

/** Like readCluster, with the context and what could not be read. */
export async function loadCluster(opts: ReadClusterOptions): Promise<ClusterLoad> {
  const resolved = resolveKubeconfig(withDefined({ kubeconfig: opts.kubeconfig, context: opts.context }));
  const context = toContext(resolved);
  const namespace = opts.allNamespaces ? null : opts.namespace || resolved.namespace;
  const client = await createClient(
    resolved,
    opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {},
  );
  const snapshot = emptySnapshot({
    kind: 'cluster',
    description: `context "${context.contextName}" (${context.server})${namespace === null ? ', all namespaces' : `, namespace "${namespace}"`}`,
  });
  const load: ClusterLoad = { snapshot, context, namespace, unreadable: [], absent: [] };
  const kinds = opts.kinds ?? KINDS;
  const started = performance.now();

  // Objects per kind, put into the snapshot in table order once all lists are done, so
  // the snapshot's order does not depend on which answer came first.
  const results = new Map<KindInfo, KubeObject[]>();
  const setAside = new Map<KindInfo, KubeObject[]>();
  try {
    // First the Services, alone: fails fast and clearly when the cluster cannot be used at all.
    const [first, ...rest] = [...kinds].sort((a, b) => Number(b.kind === 'Service') - Number(a.kind === 'Service'));
    if (first) await readKind(client, first, namespace, load, results, setAside, null, opts.onWarning);
    // Then what the server serves: an absent CRD is absent (never asked for), even for users
    // the API server would answer 403 because it authorizes before it looks the resource up.
    const apis = await discoverApis(client).catch((err: unknown) => {
      debug(`cluster: discovery failed (${(err as Error).message}); trying every version of every kind`);
      return null;
    });
    await runBounded(rest, opts.concurrency ?? 8, (info) =>
      readKind(client, info, namespace, load, results, setAside, apis, opts.onWarning),
    );
  } finally {
    await client.close();
  }
  for (const info of kinds) for (const object of results.get(info) ?? []) info.add(snapshot, object);
  // ConfigMaps keepConfigMap left out that a controller names with --configmap: kept after all.
  for (const info of kinds)
    for (const object of namedConfigMaps(setAside.get(info) ?? [], snapshot.workloads as KubeObject[]))
      info.add(snapshot, object);

  debug(
    `cluster: read ${kinds.length} kinds from ${context.server} in ${Math.round(performance.now() - started)} ms` +
      `${load.absent.length ? `; not served: ${load.absent.join(', ')}` : ''}` +
      `${load.unreadable.length ? `; forbidden, left empty: ${load.unreadable.map((u) => u.resource).join(', ')}` : ''}`,
  );
  return load;
}

async function readKind(
  client: KubeClient,
  info: KindInfo,
  namespace: string | null,
  load: ClusterLoad,
  results: Map<KindInfo, KubeObject[]>,
  setAside: Map<KindInfo, KubeObject[]>,
  apis: ServedApis | null,
  onWarning?: (message: string) => void,
): Promise<void> {
  const ns = info.namespaced && !info.clusterWide && namespace !== null ? namespace : undefined;
  const kept: KubeObject[] = [];
  results.set(info, kept);
  const aside: KubeObject[] = [];
  if (info.kind === 'ConfigMap') setAside.set(info, aside);
  const add = (objects: KubeObject[]) => {
    for (const object of objects) {
      if (info.keep && !info.keep(object)) {
        // A ConfigMap a controller may name with --configmap: decided once the workloads are read.
        if (info.kind === 'ConfigMap') aside.push(info.strip ? info.strip(object) : object);
        continue;
      }
      kept.push(info.strip ? info.strip(object) : object);
    }
  };
  try {
    const result = await listKind(
      client,
      info,
      {
        ...(ns !== undefined ? { namespace: ns } : {}),
        ...(info.fieldSelector ? { fieldSelector: info.fieldSelector } : {}),
        ...(info.metadataOnly ? { metadataOnly: true } : {}),
        ...(info.pageSize ? { pageSize: info.pageSize } : {}),
        ...(apis ? { versions: info.versions.filter((v) => isServed(apis, info.group, v, info.plural)) } : {}),
      },
      add,
    );
    if (result.version === null) load.absent.push(resourceName(info));
  } catch (err) {
    if (isForbidden(err) && info.onForbidden === 'skip') {
      kept.length = 0;
      const message = (err as Error).message;
      load.unreadable.push({ kind: info.kind, resource: resourceName(info), message });
      debug(`cluster: ${message}; ${info.kind} left empty`);
      onWarning?.(`${message}: ${info.kind} objects are not shown`);
      return;
    }
    throw err;
  }
}

function isForbidden(err: unknown): boolean {
  return err instanceof ExposectlError && err.cause instanceof KubeApiError && err.cause.status === 403;
}

/** Runs task over items with at most `limit` at a time; the first failure stops new tasks and is thrown. */
function toContext(r: ResolvedKubeconfig): ClusterContext {
  return {
    contextName: r.contextName,
    server: r.server,
    namespace: r.namespace,
    userName: r.userName,
    inCluster: r.inCluster,
    sources: r.sources,
  };
}

function withDefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
