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
import {
  arr, type DiscoveryContext, labelsOf, nameOf, nodeAddresses, nsOf, podSpecOf, portNumber, rec, specOf, statusOf, str, strMap, uniq,
} from './context.js';
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

export function imageImplementation(images: string[]): string | null {
  for (const [re, impl] of IMAGES) if (images.some((i) => re.test(i))) return impl;
  return null;
}

export function hostExposure(ctx: DiscoveryContext, w: Workload): Exposure | undefined {
  const spec = podSpecOf(w);
  const containers = arr(spec['containers']).map(rec);
  const hostNetwork = spec['hostNetwork'] === true;
  const ports: ExposurePort[] = [];
  for (const c of containers) {
    for (const p of arr(c['ports']).map(rec)) {
      const containerPort = portNumber(p['containerPort']);
      const hostPort = portNumber(p['hostPort']);
      const protocol = str(p['protocol']) || 'TCP';
      if (containerPort === undefined) continue;
      if (hostNetwork) ports.push({ port: hostPort ?? containerPort, protocol, targetPort: containerPort });
      else if (hostPort !== undefined) ports.push({ port: hostPort, protocol, targetPort: containerPort });
    }
  }
  if (ports.length === 0) return undefined;
  const ns = nsOf(w);
  const b = new StatusBuilder();

  const placed = workloadPods(ctx, w)
    .map((p) => ({ nodeName: str(specOf(p)['nodeName']), hostIP: str(statusOf(p)['hostIP']) }))
    .filter((p) => p.nodeName || p.hostIP);
  let addresses: string[] = [];
  if (placed.length > 0) {
    for (const p of placed) {
      const node = ctx.nodes.find((n) => nameOf(n) === p.nodeName);
      addresses.push(...(node ? nodeAddresses(node) : p.hostIP ? [p.hostIP] : []));
    }
  } else if (ctx.nodesKnown) {
    const selector = strMap(spec['nodeSelector']);
    const nodes = ctx.nodes.filter((n) => mapSelects(selector, labelsOf(n)));
    if (nodes.length === 0) b.broken.push(`nodeSelector ${JSON.stringify(selector)} matches no Node`);
    addresses = nodes.flatMap(nodeAddresses);
  }
  const facts = workloadEndpoints(ctx, w);
  judgeEndpoints(b, facts, undefined, ctx.live, 'Pods');
  return {
    namespace: ns, name: nameOf(w), kind: w.kind, service: null,
    mode: hostNetwork ? 'hostnetwork' : 'hostport',
    implementation: imageImplementation(containers.map((c) => str(c['image']) ?? '')),
    addresses: uniq(addresses), ports, endpoints: facts.endpoints, sourceIP: 'preserved', ...b.result(),
  };
}
