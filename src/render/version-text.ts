// `exposectl version` as text: kubectl's "Client Version:" / "Server Version:" lines,
// then the implementations found, one per line. Pure.
import type { VersionInfo } from '../model/version.js';
import { maxOf } from '../util/arrays.js';

export function renderVersion(info: VersionInfo): string {
  const c = info.clientVersion;
  const lines = [`Client Version: exposectl ${c.exposectl} (Node.js ${c.node}, ${c.platform})`];
  if (info.serverVersion) lines.push(`Server Version: ${String(info.serverVersion.gitVersion ?? 'unknown')}`);
  if (info.implementations) {
    if (info.implementations.length === 0)
      lines.push('Implementations: none found (no MetalLB, Cilium, kube-vip or ingress controller workload)');
    else {
      lines.push('Implementations:');
      const width = maxOf(info.implementations.map((i) => i.name.length));
      const versionWidth = maxOf(info.implementations.map((i) => (i.version ?? 'unknown').length));
      for (const i of info.implementations)
        lines.push(`  ${i.name.padEnd(width)}  ${(i.version ?? 'unknown').padEnd(versionWidth)}  ${i.workload}`);
    }
  }
  return lines.join('\n');
}
