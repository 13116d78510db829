// Which exposure implementations run in a cluster, and their versions, told by the images
// of their Deployments and DaemonSets (what `exposectl version` reports). Pure.
import type { KubeObject } from '../model/kube-object.js';

export type { Component } from '../model/version.js';

import type { Component } from '../model/version.js';

/** Image repositories (the path without registry host and tag) of each implementation. */
const IMPLEMENTATIONS: ReadonlyArray<{ name: string; repository: RegExp }> = [
  { name: 'MetalLB', repository: /(^|\/)metallb\/(controller|speaker)$/ },
  { name: 'Cilium', repository: /(^|\/)cilium\/(cilium|operator(-generic|-aws|-azure|-alibabacloud)?)$/ },
  { name: 'kube-vip', repository: /(^|\/)kube-vip\/kube-vip(-cloud-provider|-iptables)?$/ },
  { name: 'ingress-nginx', repository: /(^|\/)ingress-nginx\/controller(-chroot)?$/ },
  { name: 'NGINX Ingress Controller', repository: /(^|\/)nginx\/nginx-(plus-)?ingress$/ },
  { name: 'HAProxy Kubernetes Ingress', repository: /(^|\/)haproxytech\/kubernetes-ingress$/ },
  { name: 'HAProxy Ingress', repository: /(^|\/)(jcmoraisjr|haproxy-ingress)\/haproxy-ingress$/ },
  { name: 'Traefik', repository: /(^|\/)traefik$/ },
  { name: 'Contour', repository: /(^|\/)projectcontour\/contour$/ },
  { name: 'Envoy Gateway', repository: /(^|\/)envoyproxy\/gateway$/ },
  { name: 'Kong Ingress Controller', repository: /(^|\/)kong\/kubernetes-ingress-controller$/ },
];

/** registry/path/name:tag@digest -> the repository path (registry host dropped) and the tag. */
export function parseImage(image: string): { repository: string; tag: string | null } {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
  const tag = colon < 0 ? null : withoutDigest.slice(colon + 1);
  const parts = name.split('/');
  // The first part is a registry host when it has a dot or a port, or is localhost.
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) parts.shift();
  return { repository: parts.join('/'), tag: tag === '' || tag === 'latest' ? null : tag };
}

/** The implementations among the workloads' containers, one line per workload and implementation, sorted by name. */
export function findComponents(workloads: readonly KubeObject<unknown, unknown>[]): Component[] {
  const found = new Map<string, Component>();
  for (const w of workloads) {
    const spec = (
      w as { spec?: { template?: { spec?: { containers?: Array<{ image?: unknown }>; initContainers?: unknown } } } }
    ).spec;
    for (const container of spec?.template?.spec?.containers ?? []) {
      if (typeof container.image !== 'string') continue;
      const { repository, tag } = parseImage(container.image);
      const impl = IMPLEMENTATIONS.find((i) => i.repository.test(repository));
      if (!impl) continue;
      const workload = `${w.metadata.namespace ?? ''}/${w.kind.toLowerCase()}/${w.metadata.name}`;
      const key = `${impl.name}|${workload}`;
      if (!found.has(key)) found.set(key, { name: impl.name, version: tag, workload, image: container.image });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.workload.localeCompare(b.workload));
}
