// Workload facts, read once per snapshot: what a DaemonSet/Deployment/StatefulSet's pod
// template says about the node's network (hostNetwork, hostPorts), its images and
// arguments, its node selector, template labels and mounted ConfigMaps. host-exposures,
// the hostnetwork and source-ip analyzers, paths.ts and source-ip.ts read these. Pure.
import type { Workload } from '../model/snapshot.js';
import {
  arr,
  type DiscoveryContext,
  labelsOf,
  podSpecOf,
  portNumber,
  rec,
  specOf,
  statusOf,
  str,
  strMap,
} from './context.js';
import { workloadPods } from './endpoints.js';
import { perSnapshot } from './memo.js';

export interface ContainerPort {
  containerPort: number;
  hostPort?: number;
  protocol: string;
}

export interface WorkloadFact {
  object: Workload;
  hostNetwork: boolean;
  /** Ports of the regular containers with a valid containerPort: what a hostNetwork/hostPort row lists. */
  containerPorts: ContainerPort[];
  /** The ports the workload takes on its nodes, as `port/PROTOCOL`: every container port with hostNetwork, else those with a hostPort. */
  hostPorts: string[];
  /** Some container port asks for a hostPort. */
  usesHostPort: boolean;
  images: string[];
  /** command and args of every container, in order. */
  args: string[];
  nodeSelector: Record<string, string>;
  templateLabels: Record<string, string>;
  /** Names of the ConfigMaps the pod mounts (volumes and projected sources). */
  configMaps: string[];
}

function mountedConfigMaps(podSpec: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const v of arr(podSpec.volumes).map(rec)) {
    const cm = str(rec(v.configMap).name);
    if (cm) names.push(cm);
    for (const src of arr(rec(v.projected).sources).map(rec)) {
      const p = str(rec(src.configMap).name);
      if (p) names.push(p);
    }
  }
  return names;
}

interface RawPort {
  containerPort?: number;
  hostPort?: number;
  protocol: string;
}

function portsOfContainer(c: Record<string, unknown>): RawPort[] {
  return arr(c.ports)
    .map(rec)
    .map((p) => {
      const containerPort = portNumber(p.containerPort);
      const hostPort = portNumber(p.hostPort);
      return {
        ...(containerPort !== undefined ? { containerPort } : {}),
        ...(hostPort !== undefined ? { hostPort } : {}),
        protocol: str(p.protocol) || 'TCP',
      };
    });
}

export function workloadFact(w: Workload): WorkloadFact {
  const spec = podSpecOf(w);
  const hostNetwork = spec.hostNetwork === true;
  const containers = arr(spec.containers).map(rec);
  const sidecars = arr(spec.initContainers)
    .map(rec)
    .filter((c) => c.restartPolicy === 'Always');
  // Sidecar init containers (restartPolicy Always) run alongside and take their host ports too.
  const ports = [...sidecars, ...containers].flatMap(portsOfContainer);
  const hostPorts = new Set<string>();
  for (const p of ports) {
    const hp = p.hostPort ?? (hostNetwork ? p.containerPort : undefined);
    if (hp !== undefined) hostPorts.add(`${hp}/${p.protocol}`);
  }
  return {
    object: w,
    hostNetwork,
    hostPorts: [...hostPorts],
    usesHostPort: ports.some((p) => p.hostPort !== undefined),
    containerPorts: containers
      .flatMap(portsOfContainer)
      .filter((p): p is ContainerPort => p.containerPort !== undefined),
    images: containers.map((c) => str(c.image) ?? ''),
    args: containers
      .flatMap((c) => [...arr(c.command), ...arr(c.args)])
      .filter((a): a is string => typeof a === 'string'),
    nodeSelector: strMap(spec.nodeSelector),
    templateLabels: labelsOf(rec(specOf(w).template)),
    configMaps: mountedConfigMaps(spec),
  };
}

const workloadFacts = perSnapshot(
  (ctx: DiscoveryContext): Map<Workload, WorkloadFact> =>
    new Map(ctx.snapshot.workloads.map((w) => [w, workloadFact(w)])),
);

/** The facts of a workload of the snapshot (read on the spot for one that is not in it). */
export function workloadFactOf(ctx: DiscoveryContext, w: Workload): WorkloadFact {
  return workloadFacts(ctx).get(w) ?? workloadFact(w);
}

/** Every workload of the snapshot with its facts, in input order. */
export function allWorkloadFacts(ctx: DiscoveryContext): WorkloadFact[] {
  return [...workloadFacts(ctx).values()];
}

/** The value of `--flag=value` or `--flag value` in a command line. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag) return args[i + 1];
  }
  return undefined;
}

/** Where a workload's Pods run: the node name and host IP of each Pod the snapshot holds that is placed. */
export function placedPods(ctx: DiscoveryContext, w: Workload): Array<{ nodeName?: string; hostIP?: string }> {
  return workloadPods(ctx, w).flatMap((p) => {
    const nodeName = str(specOf(p).nodeName);
    const hostIP = str(statusOf(p).hostIP);
    return nodeName || hostIP ? [{ ...(nodeName ? { nodeName } : {}), ...(hostIP ? { hostIP } : {}) }] : [];
  });
}

/** The names of the nodes a workload's Pods run on, sorted, once each. */
export function podNodes(ctx: DiscoveryContext, w: Workload): string[] {
  return [
    ...new Set(
      placedPods(ctx, w)
        .map((p) => p.nodeName)
        .filter((n): n is string => !!n),
    ),
  ].sort();
}
