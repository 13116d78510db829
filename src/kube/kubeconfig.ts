// Finds and merges kubeconfig files with kubectl's rules, and resolves the context
// to use. Pure file reading with the `yaml` package: it never loads
// @kubernetes/client-node, so commands that only need the context's name or
// namespace (e.g. -f with the context's default namespace) stay fast.
//
// Rules (as kubectl / client-go):
// - `--kubeconfig FILE`: only that file; it must exist.
// - else `KUBECONFIG`: a path-delimiter separated list; empty entries and files that
//   do not exist are ignored; the files are merged, the first file to define a
//   cluster, user or context name (or current-context) wins.
// - else `~/.kube/config` when it exists.
// - else, inside a Pod (KUBERNETES_SERVICE_HOST and a service account token), the
//   in-cluster configuration.
// - `--context` overrides current-context; the namespace of the context (or
//   "default") is the default namespace.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { formatBytes, MAX_KUBECONFIG_BYTES, readFileBounded, TooLargeError } from '../util/bounded-read.js';
import { isPlainObject } from '../util/data-shape.js';
import { UsageError } from '../util/errors.js';
import { redactUrl } from './server-url.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Entry<K extends string> = { name: string } & { [key in K]?: Record<string, unknown> };

/** A kubeconfig in its file format (kebab-case keys), merged, with absolute file paths. */
export interface RawKubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: Array<Entry<'cluster'>>;
  users: Array<Entry<'user'>>;
  contexts: Array<Entry<'context'>>;
  'current-context'?: string;
}

export interface KubeconfigOptions {
  /** --kubeconfig */
  kubeconfig?: string;
  /** --context */
  context?: string;
  /** For tests: the environment (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST) and the service account folder. */
  env?: NodeJS.ProcessEnv;
  serviceAccountDir?: string;
}

export interface ResolvedKubeconfig {
  contextName: string;
  clusterName: string;
  /** The API server URL, for messages: a password in it is replaced by "xxxxx" (the real one is in config). */
  server: string;
  /** The kubeconfig user (auth info) of the context; undefined when the context names none. */
  userName: string | undefined;
  /** The namespace of the context, or "default". */
  namespace: string;
  /** Where the configuration came from: the kubeconfig files read, or ["in-cluster"]. */
  sources: string[];
  inCluster: boolean;
  /** The merged configuration (absent for in-cluster), to build a client from. */
  config?: RawKubeconfig;
}

/** Resolves the kubeconfig and context. Missing files, contexts or clusters: UsageError (exit 2). */
export function resolveKubeconfig(opts: KubeconfigOptions = {}): ResolvedKubeconfig {
  const env = opts.env ?? process.env;
  const files = kubeconfigFiles(opts.kubeconfig, env);
  if (files.length === 0) {
    const inCluster = inClusterConfig(env, opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, opts.context);
    if (inCluster) return inCluster;
    const tried = env.KUBECONFIG
      ? `KUBECONFIG=${env.KUBECONFIG} names no existing file`
      : `${defaultKubeconfigPath(env) ?? '~/.kube/config'} does not exist`;
    throw new UsageError(
      `no kubeconfig found: ${tried}`,
      'pass --kubeconfig FILE or set KUBECONFIG to reach a cluster, or read manifests with -f FILE',
    );
  }
  const config = mergeKubeconfigs(files);
  const contextName = opts.context || config['current-context'];
  const available = config.contexts.map((c) => c.name);
  const list = available.length > 0 ? ` (contexts: ${available.join(', ')})` : ' (it defines no context)';
  if (!contextName) {
    throw new UsageError(
      `no current context is set in ${files.join(', ')}${list}`,
      'pass --context NAME, or run kubectl config use-context NAME',
    );
  }
  const context = config.contexts.find((c) => c.name === contextName)?.context;
  if (!context) {
    throw new UsageError(
      `context "${contextName}" does not exist in ${files.join(', ')}${list}`,
      'pass --context with one of the contexts above',
    );
  }
  const clusterName = str(context.cluster);
  const cluster = config.clusters.find((c) => c.name === clusterName)?.cluster;
  if (!clusterName || !cluster) {
    throw new UsageError(
      `context "${contextName}" names cluster "${clusterName ?? ''}", which is not defined in ${files.join(', ')}`,
    );
  }
  const server = str(cluster.server);
  if (!server) throw new UsageError(`cluster "${clusterName}" of context "${contextName}" has no server URL`);
  return {
    contextName,
    clusterName,
    server: redactUrl(server),
    userName: str(context.user) || undefined,
    namespace: str(context.namespace) || 'default',
    sources: files,
    inCluster: false,
    config: { ...config, 'current-context': contextName },
  };
}

/**
 * The default namespace for manifests read with -f (what `kubectl apply -f` would
 * use): the namespace of the context, or "default" when there is no usable
 * kubeconfig at all, since -f works without any cluster. An explicit --kubeconfig
 * or --context that cannot be honoured is still a UsageError.
 */
export function contextNamespace(opts: KubeconfigOptions = {}): string {
  try {
    return resolveKubeconfig(opts).namespace;
  } catch (err) {
    if (err instanceof UsageError && !opts.kubeconfig && !opts.context) return 'default';
    throw err;
  }
}

/** The kubeconfig files to read, in precedence order (existing files only, except --kubeconfig which must exist). */
export function kubeconfigFiles(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (flag) {
    if (!existsSync(flag)) throw new UsageError(`the kubeconfig "${flag}" given with --kubeconfig does not exist`);
    return [flag];
  }
  const fromEnv = env.KUBECONFIG;
  if (fromEnv) {
    const seen = new Set<string>();
    return fromEnv.split(path.delimiter).filter((f) => {
      if (!f || seen.has(f)) return false;
      seen.add(f);
      return existsSync(f);
    });
  }
  const home = defaultKubeconfigPath(env);
  return home && existsSync(home) ? [home] : [];
}

function defaultKubeconfigPath(env: NodeJS.ProcessEnv): string | undefined {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  return home ? path.join(home, '.kube', 'config') : undefined;
}

/** Merges kubeconfig files: the first file to define a name (or current-context) wins. */
export function mergeKubeconfigs(files: string[]): RawKubeconfig {
  const merged: RawKubeconfig = { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
  for (const file of files) {
    const doc = readKubeconfig(file);
    const dir = path.dirname(path.resolve(file));
    mergeNamed(merged.clusters, doc.clusters, 'cluster', file, (c) => absolutize(c, dir, ['certificate-authority']));
    mergeNamed(merged.users, doc.users, 'user', file, (u) => {
      const user = absolutize(u, dir, ['client-certificate', 'client-key', 'tokenFile', 'token-file']);
      const exec = user.exec;
      if (
        isPlainObject(exec) &&
        typeof exec.command === 'string' &&
        exec.command.includes('/') &&
        !path.isAbsolute(exec.command)
      ) {
        user.exec = { ...exec, command: path.join(dir, exec.command) };
      }
      return user;
    });
    mergeNamed(merged.contexts, doc.contexts, 'context', file, (c) => c);
    const current = doc['current-context'];
    if (!merged['current-context'] && typeof current === 'string' && current) merged['current-context'] = current;
  }
  return merged;
}

function readKubeconfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileBounded(file, MAX_KUBECONFIG_BYTES).toString('utf8');
  } catch (err) {
    const reason =
      err instanceof TooLargeError
        ? `it is larger than ${formatBytes(err.limitBytes)}, the limit for a kubeconfig`
        : (err as Error).message;
    throw new UsageError(`cannot read the kubeconfig "${file}": ${reason}`, undefined, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch (err) {
    const first = ((err as Error).message.split('\n', 1)[0] ?? '').trim();
    throw new UsageError(`the kubeconfig "${file}" is not valid YAML: ${first}`, undefined, { cause: err });
  }
  if (doc == null) return {}; // an empty file is an empty config, as for kubectl
  if (!isPlainObject(doc)) throw new UsageError(`the kubeconfig "${file}" is not a kubeconfig (not a mapping)`);
  return doc;
}

function mergeNamed<K extends 'cluster' | 'user' | 'context'>(
  into: Array<Entry<K>>,
  list: unknown,
  key: K,
  file: string,
  fix: (v: Record<string, unknown>) => Record<string, unknown>,
): void {
  if (list == null) return;
  if (!Array.isArray(list)) throw new UsageError(`the kubeconfig "${file}" is not valid: ${key}s must be a list`);
  for (const entry of list) {
    if (!isPlainObject(entry) || typeof entry.name !== 'string') continue;
    if (into.some((e) => e.name === entry.name)) continue; // first definition wins
    const value = isPlainObject(entry[key]) ? fix({ ...(entry[key] as Record<string, unknown>) }) : {};
    into.push({ name: entry.name, [key]: value } as Entry<K>);
  }
}

function absolutize(obj: Record<string, unknown>, dir: string, keys: string[]): Record<string, unknown> {
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string' && v && !path.isAbsolute(v)) obj[k] = path.join(dir, v);
  }
  return obj;
}

function inClusterConfig(
  env: NodeJS.ProcessEnv,
  saDir: string,
  context: string | undefined,
): ResolvedKubeconfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port || !existsSync(path.join(saDir, 'token'))) return undefined;
  if (context)
    throw new UsageError(
      `context "${context}" does not exist: there is no kubeconfig, only the in-cluster service account`,
    );
  let namespace = 'default';
  try {
    namespace = readFileSync(path.join(saDir, 'namespace'), 'utf8').trim() || 'default';
  } catch {
    /* no namespace file: default */
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    contextName: 'in-cluster',
    clusterName: 'in-cluster',
    server: `https://${hostPart}:${port}`,
    userName: 'service-account',
    namespace,
    sources: ['in-cluster'],
    inCluster: true,
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
