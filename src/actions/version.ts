// `exposectl version`: the client's versions; with a reachable cluster also the API
// server's /version and the exposure implementations found by their workloads' images.
import type { VersionInfo } from '../model/version.js';
import { type CommonFlags, missingKubeconfig, requestTimeoutMs } from '../sources/load.js';
import type { ExposectlError } from '../util/errors.js';
import type { CommandOutput } from './output.js';

export type VersionFlags = Pick<CommonFlags, 'kubeconfig' | 'context' | 'request-timeout'> & { client: boolean };

export async function versions(f: VersionFlags, clientVersion: string): Promise<CommandOutput> {
  const info: VersionInfo = {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: 'Version',
    clientVersion: { exposectl: clientVersion, node: process.version, platform: `${process.platform}-${process.arch}` },
  };
  const output = (notices: string[] = [], failure?: ExposectlError): CommandOutput => ({
    data: info,
    notices,
    ...(failure ? { failure } : {}),
    renderers: { text: async () => (await import('../render/version-text.js')).renderVersion(info) },
  });
  if (f.client) return output();
  const none = await missingKubeconfig(f);
  if (none) return output([`no server version: ${none}`]);
  const { connect } = await import('../kube/client.js');
  const client = await connect({ kubeconfig: f.kubeconfig, context: f.context, requestTimeoutMs: requestTimeoutMs(f) });
  try {
    info.serverVersion = await client.request<Record<string, unknown>>('/version');
  } catch (err) {
    const { mapKubeError } = await import('../kube/errors.js');
    const request = {
      verb: 'get',
      resource: 'version',
      server: client.server,
      contextName: client.contextName,
      userName: client.userName,
      timeoutMs: client.requestTimeoutMs,
    };
    return output([], mapKubeError(err, request));
  } finally {
    await client.close();
  }
  const [{ loadCluster }, { KINDS }, { findComponents }] = await Promise.all([
    import('../sources/cluster.js'),
    import('../kube/kinds.js'),
    import('../version/components.js'),
  ]);
  const warnings: string[] = [];
  const load = await loadCluster({
    kubeconfig: f.kubeconfig,
    context: f.context,
    allNamespaces: true,
    requestTimeoutMs: requestTimeoutMs(f),
    kinds: KINDS.filter((k) => k.group === 'apps' && (k.kind === 'Deployment' || k.kind === 'DaemonSet')),
    onWarning: (message) => warnings.push(`${message}: implementations there are not shown`),
  });
  info.implementations = findComponents(load.snapshot.workloads);
  return { ...output(), warnings };
}
