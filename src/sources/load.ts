// Where a command's objects come from, told by the common flags: the -f files when
// given, else the cluster of the kubeconfig. Commands and actions both read through here.

import type { InputCompleteness, Snapshot } from '../model/snapshot.js';
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../util/errors.js';

/** The flags every command that reads objects has (see BaseCommand.baseFlags); others have some of them. */
export interface CommonFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  'all-namespaces': boolean;
  filename?: string[];
  /** --input-complete: how much of the world the -f files stand for (default auto). */
  'input-complete'?: string;
  'no-color': boolean;
  'request-timeout': string;
}

export function requestTimeoutMs(flags: Pick<CommonFlags, 'request-timeout'>): number {
  return parseDuration(flags['request-timeout'], 'request-timeout');
}

/** The objects to work on: from -f files when given, else from the cluster. */
export async function loadSnapshot(flags: CommonFlags): Promise<Snapshot> {
  const files = flags.filename ?? [];
  if (files.length > 0) {
    const { readManifests } = await import('./files.js');
    return readManifests(files, {
      defaultNamespace: flags.namespace ?? 'default',
      ...(flags['input-complete'] ? { completeness: flags['input-complete'] as InputCompleteness } : {}),
    });
  }
  const { readCluster } = await import('./cluster.js');
  return readCluster({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    namespace: flags.namespace,
    allNamespaces: flags['all-namespaces'],
    requestTimeoutMs: requestTimeoutMs(flags),
    // Kinds the user may not list (nodes, secrets, CRDs for a read-only user) stay empty: say so.
    onWarning: (message) => process.stderr.write(`Warning: ${message}\n`),
  });
}

/**
 * Why there is no cluster, when nothing names one (no -f, --kubeconfig or --context) and no
 * kubeconfig exists ($KUBECONFIG, ~/.kube/config, in-cluster): for commands that work
 * without a cluster (probe bgp records, version prints the client's). A kubeconfig that
 * exists but is broken or unreachable stays an error.
 */
export async function missingKubeconfig(
  flags: Pick<CommonFlags, 'filename' | 'kubeconfig' | 'context'>,
): Promise<string | undefined> {
  if ((flags.filename ?? []).length > 0 || flags.kubeconfig !== undefined || flags.context !== undefined)
    return undefined;
  const { kubeconfigFiles, resolveKubeconfig } = await import('../kube/kubeconfig.js');
  if (kubeconfigFiles(undefined).length > 0) return undefined;
  try {
    resolveKubeconfig(); // in-cluster
    return undefined;
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
}
