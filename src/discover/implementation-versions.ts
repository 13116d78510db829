// The version of an implementation, read from the image of its workload in the input
// (MetalLB's controller, kube-vip-cloud-provider, ...), and the behaviour that changed between
// releases: annotation keys a release reads from a version on. Pure.
import type { Workload } from '../model/snapshot.js';
import { type DiscoveryContext, nameOf, nsOf } from './context.js';
import { imageVersion, type Version, versionAtLeast, versionText } from './image-version.js';
import { allWorkloadFacts } from './workload-facts.js';

export interface ImplementationVersion {
  version: Version;
  image: string;
  workload: Workload;
}

/** The version of the first workload whose image matches, when its tag carries one. */
export function implementationVersion(ctx: DiscoveryContext, image: RegExp): ImplementationVersion | undefined {
  for (const w of allWorkloadFacts(ctx)) {
    const img = w.images.find((i) => image.test(i));
    const version = img ? imageVersion(img) : undefined;
    if (img && version) return { version, image: img, workload: w.object };
  }
  return undefined;
}

/** An annotation key (or prefix) a component reads only from a release on. */
export interface AnnotationSince {
  owner: string;
  /** The key, or a prefix ending in "/". */
  key: string;
  image: RegExp;
  component: string;
  since: Version;
  /** What to write for the older release. */
  instead: (key: string) => string;
  source: string;
}

export const ANNOTATIONS_SINCE: AnnotationSince[] = [
  {
    owner: 'metallb',
    key: 'metallb.io/',
    image: /metallb\/controller/,
    component: 'MetalLB controller',
    since: [0, 14, 9],
    instead: (key) => key.replace(/^metallb\.io\//, 'metallb.universe.tf/'),
    source: 'MetalLB 0.14.9 release notes (#2495): the metallb.io/ prefix replaces metallb.universe.tf/',
  },
  {
    owner: 'kube-vip',
    key: 'kube-vip.io/loadbalancerIPs',
    image: /kube-vip-cloud-provider/,
    component: 'kube-vip-cloud-provider',
    since: [0, 0, 5],
    instead: () => 'spec.loadBalancerIP',
    source: 'kube-vip-cloud-provider v0.0.5 added the kube-vip.io/loadbalancerIPs annotation',
  },
];

/** The release gate a key falls under when the installed component is older than the release that reads it. */
export function unreadByVersion(
  ctx: DiscoveryContext,
  key: string,
): { gate: AnnotationSince; installed: ImplementationVersion } | undefined {
  for (const gate of ANNOTATIONS_SINCE) {
    const matches = gate.key.endsWith('/') ? key.startsWith(gate.key) : key === gate.key;
    if (!matches) continue;
    const installed = implementationVersion(ctx, gate.image);
    if (installed && !versionAtLeast(installed.version, gate.since)) return { gate, installed };
  }
  return undefined;
}

export const installedText = (i: ImplementationVersion): string =>
  `${i.workload.kind} ${nsOf(i.workload)}/${nameOf(i.workload)} runs ${i.image} (${versionText(i.version)})`;
