// TLS verification of the API server stays on unless the kubeconfig's cluster entry says
// `insecure-skip-tls-verify: true`; then the user is told, once per run and cluster
// (expose builds several clients), that the server's identity is not checked.
import type { ResolvedKubeconfig } from './kubeconfig.js';

const warned = new Set<string>();

/** The warning for a context whose cluster skips TLS verification, or undefined. */
export function insecureTlsWarning(
  resolved: Pick<ResolvedKubeconfig, 'clusterName' | 'server' | 'config' | 'inCluster'>,
): string | undefined {
  if (resolved.inCluster || !resolved.server.startsWith('https:')) return undefined;
  const cluster = resolved.config?.clusters.find((c) => c.name === resolved.clusterName)?.cluster;
  // Only a YAML boolean true turns verification off (as @kubernetes/client-node reads it).
  if (cluster?.['insecure-skip-tls-verify'] !== true) return undefined;
  return `TLS verification is off for cluster "${resolved.clusterName}" (${resolved.server}): insecure-skip-tls-verify is set in the kubeconfig, so the API server's identity is not checked`;
}

/** Writes the warning to stderr the first time a cluster is used in this process. */
export function warnIfInsecureTls(
  resolved: Parameters<typeof insecureTlsWarning>[0],
  write: (line: string) => void = (l) => process.stderr.write(l),
): void {
  const warning = insecureTlsWarning(resolved);
  if (warning === undefined || warned.has(resolved.clusterName)) return;
  warned.add(resolved.clusterName);
  write(`Warning: ${warning}\n`);
}
