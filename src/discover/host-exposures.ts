// Exposures made by workloads on the node's network: DaemonSets, Deployments and
// StatefulSets with hostNetwork: true (`hostnetwork`) or with hostPort on container
// ports (`hostport`). Pure.
//
// - hostnetwork: ports are every container port (they are the node's ports); a
//   hostNetwork workload that declares no port is not listed: networking agents
//   (kube-vip, CNI agents, kube-proxy) run on the host network for its privileges, not
//   to publish a port, and nothing says what they would publish.
// - hostport: ports are the container ports with a hostPort (port = hostPort,
//   targetPort = containerPort); the others stay inside the pod network.
// - addresses: the nodes its Pods run on when the snapshot has the Pods, else the nodes
//   its nodeSelector matches (when Nodes are known); a node's ExternalIPs when it has
//   any, else its InternalIPs. Taints, tolerations and affinity are not evaluated.
// - implementation: recognised from the container images (ingress-nginx, haproxy,
//   traefik, envoy, nginx, kube-vip, ...), else null. service: null.
// - endpoints: its Pods (ready/total), else its status counters.
import type { Exposure, ExposurePort } from '../model/exposure.js';
import type { Workload } from '../model/snapshot.js';
import { type DiscoveryContext, nameOf, nodeAddresses, nsOf, podSpecOf, uniq } from './context.js';
import { workloadEndpoints, workloadPods } from './endpoints.js';
import { mapSelects } from './selectors.js';
import { judgeEndpoints, StatusBuilder } from './status.js';

const IMAGES: Array<[RegExp, string]> = [
  [/ingress-nginx\/controller|nginx-ingress-controller/, 'ingress-nginx'],
  [/haproxy/, 'haproxy'],
  [/traefik/, 'traefik'],
  [/kube-vip/, 'kube-vip'],
  [/envoy/, 'envoy'],
  [/contour/, 'contour'],
  [/(^|\/)kong/, 'kong'],
  [/nginx/, 'nginx'],
];

interface ContainerPort { containerPort?: number; hostPort?: number; protocol?: string; name?: string }
interface Container { image?: string; ports?: ContainerPort[] }

export function imageImplementation(images: string[]): string | null {
  for (const [re, impl] of IMAGES) if (images.some((i) => re.test(i))) return impl;
  return null;
}

export function hostExposure(ctx: DiscoveryContext, w: Workload): Exposure | undefined {
  const spec = podSpecOf(w);
  if (!spec) return undefined;
  const containers = (spec['containers'] ?? []) as Container[];
  const hostNetwork = spec['hostNetwork'] === true;
  const ports: ExposurePort[] = [];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (typeof p.containerPort !== 'number') continue;
      if (hostNetwork) ports.push({ port: p.hostPort ?? p.containerPort, protocol: p.protocol ?? 'TCP', targetPort: p.containerPort });
      else if (typeof p.hostPort === 'number' && p.hostPort > 0) ports.push({ port: p.hostPort, protocol: p.protocol ?? 'TCP', targetPort: p.containerPort });
    }
  }
  if (ports.length === 0) return undefined;
  const ns = nsOf(w);
  const b = new StatusBuilder();

  const pods = workloadPods(ctx, w).filter((p) => p.spec?.nodeName || p.status?.hostIP);
  let addresses: string[] = [];
  if (pods.length > 0) {
    for (const p of pods) {
      const node = ctx.nodes.find((n) => nameOf(n) === p.spec?.nodeName);
      addresses.push(...(node ? nodeAddresses(node) : p.status?.hostIP ? [p.status.hostIP] : []));
    }
  } else if (ctx.nodesKnown) {
    const selector = (spec['nodeSelector'] ?? {}) as Record<string, string>;
    const nodes = ctx.nodes.filter((n) => mapSelects(selector, n.metadata.labels));
    if (nodes.length === 0) b.broken.push(`nodeSelector ${JSON.stringify(selector)} matches no Node`);
    addresses = nodes.flatMap(nodeAddresses);
  }
  const facts = workloadEndpoints(ctx, w);
  judgeEndpoints(b, facts, undefined, ctx.live, 'Pods');
  return {
    namespace: ns, name: nameOf(w), kind: w.kind, service: null,
    mode: hostNetwork ? 'hostnetwork' : 'hostport',
    implementation: imageImplementation(containers.map((c) => c.image ?? '')),
    addresses: uniq(addresses), ports, endpoints: facts.endpoints, sourceIP: 'preserved', ...b.result(),
  };
}
