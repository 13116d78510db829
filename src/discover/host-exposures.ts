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
//   it can be scheduled on (when Nodes are known): nodeSelector, required node affinity,
//   NoSchedule/NoExecute taints it does not tolerate (and, except for DaemonSets,
//   cordoned nodes). A node's ExternalIPs when it has any, else its InternalIPs.
// - implementation: recognised from the container images (ingress-nginx, haproxy,
//   traefik, envoy, nginx, kube-vip, ...), else null. service: null.
// - endpoints: its Pods (ready/total), else its status counters.
import type { Exposure, ExposurePort } from '../model/exposure.js';
import type { Node, Workload } from '../model/snapshot.js';
import {
  arr,
  type DiscoveryContext,
  labelsOf,
  nameOf,
  nodeAddresses,
  nsOf,
  podSpecOf,
  rec,
  str,
  strMap,
  uniq,
} from './context.js';
import { workloadEndpoints } from './endpoints.js';
import { mapSelects } from './selectors.js';
import { judgeEndpoints, StatusBuilder } from './status.js';
import { placedPods, workloadFactOf } from './workload-facts.js';

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

/** A node label requirement of nodeAffinity (In, NotIn, Exists, DoesNotExist, Gt, Lt). */
function nodeRequirementMatches(req: Record<string, unknown>, labels: Record<string, string>): boolean {
  const key = str(req.key);
  if (!key) return false;
  const has = Object.hasOwn(labels, key);
  const value = labels[key];
  const values = arr(req.values).filter((v): v is string => typeof v === 'string');
  switch (req.operator) {
    case 'In':
      return has && values.includes(value!);
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && values.length === 1 && Number(value) > Number(values[0]);
    case 'Lt':
      return has && values.length === 1 && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

function tolerates(tolerations: Array<Record<string, unknown>>, taint: Record<string, unknown>): boolean {
  return tolerations.some((t) => {
    const op = str(t.operator) ?? 'Equal';
    const key = str(t.key) ?? '';
    if (key === '' && op !== 'Exists') return false;
    if (key !== '' && key !== taint.key) return false;
    if (op === 'Equal' && (str(t.value) ?? '') !== (str(taint.value) ?? '')) return false;
    const effect = str(t.effect) ?? '';
    return effect === '' || effect === taint.effect;
  });
}

/** The nodes a Pod with this spec can be scheduled on, and why none can when that is the case. */
export function schedulableNodes(
  nodes: Node[],
  podSpec: Record<string, unknown>,
  daemonSet: boolean,
): { nodes: Node[]; why: string } {
  const selector = strMap(podSpec.nodeSelector);
  const terms = arr(
    rec(rec(rec(podSpec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms,
  ).map(rec);
  const tolerations = arr(podSpec.tolerations).map(rec);
  const reasons = new Set<string>();
  const ok = nodes.filter((n) => {
    const labels = labelsOf(n);
    if (!mapSelects(selector, labels)) {
      reasons.add(`nodeSelector ${JSON.stringify(selector)} matches no Node`);
      return false;
    }
    if (
      terms.length > 0 &&
      !terms.some((t) =>
        arr(t.matchExpressions)
          .map(rec)
          .every((r) => nodeRequirementMatches(r, labels)),
      )
    ) {
      reasons.add('required node affinity matches no Node');
      return false;
    }
    const taints = arr(rec(n.spec).taints)
      .map(rec)
      .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    const blocking = taints.find((t) => !tolerates(tolerations, t));
    if (blocking) {
      reasons.add(`taint ${str(blocking.key) ?? ''}:${str(blocking.effect) ?? ''} not tolerated`);
      return false;
    }
    if (!daemonSet && rec(n.spec).unschedulable === true) {
      reasons.add('nodes cordoned');
      return false;
    }
    return true;
  });
  return { nodes: ok, why: [...reasons].join('; ') || 'no Nodes' };
}

export function imageImplementation(images: string[]): string | null {
  for (const [re, impl] of IMAGES) if (images.some((i) => re.test(i))) return impl;
  return null;
}

export function hostExposure(ctx: DiscoveryContext, w: Workload): Exposure | undefined {
  const fact = workloadFactOf(ctx, w);
  const ports: ExposurePort[] = [];
  // Regular containers only: a sidecar's port is its own business here.
  for (const p of fact.containerPorts) {
    if (fact.hostNetwork)
      ports.push({ port: p.hostPort ?? p.containerPort, protocol: p.protocol, targetPort: p.containerPort });
    else if (p.hostPort !== undefined)
      ports.push({ port: p.hostPort, protocol: p.protocol, targetPort: p.containerPort });
  }
  if (ports.length === 0) return undefined;
  const ns = nsOf(w);
  const b = new StatusBuilder();

  const placed = placedPods(ctx, w);
  let addresses: string[] = [];
  if (placed.length > 0) {
    for (const p of placed) {
      const node = ctx.nodes.find((n) => nameOf(n) === p.nodeName);
      addresses.push(...(node ? nodeAddresses(node) : p.hostIP ? [p.hostIP] : []));
    }
  } else if (ctx.nodesKnown) {
    const { nodes, why } = schedulableNodes(ctx.nodes, podSpecOf(w), w.kind === 'DaemonSet');
    if (nodes.length === 0) b.broken.push(`no Node can run it (${why})`);
    addresses = nodes.flatMap(nodeAddresses);
  }
  const facts = workloadEndpoints(ctx, w);
  judgeEndpoints(b, facts, undefined, ctx.live, 'Pods');
  return {
    namespace: ns,
    name: nameOf(w),
    kind: w.kind,
    service: null,
    mode: fact.hostNetwork ? 'hostnetwork' : 'hostport',
    implementation: imageImplementation(fact.images),
    addresses: uniq(addresses),
    ports,
    endpoints: facts.endpoints,
    sourceIP: 'preserved',
    ...b.result(),
  };
}
