// hostnetwork/*: gateways on the node's network (hostNetwork or hostPort workloads):
// two of them claiming a port on the same node, and node selectors that match no node. Pure.
import { arr, cmp, labelsOf, nameOf, nsOf, podSpecOf, portNumber, rec, specOf, str, strMap } from '../discover/context.js';
import { workloadPods } from '../discover/endpoints.js';
import { mapSelects } from '../discover/selectors.js';
import type { Finding } from '../model/finding.js';
import type { Workload } from '../model/snapshot.js';
import { finding } from './codes.js';
import type { Analyzer, Facts } from './types.js';
import { list, subjectOf } from './util.js';
import { shellCommand } from '../util/shell-quote.js';

interface HostPorts { workload: Workload; ports: string[]; hostNetwork: boolean }

/** The ports a workload takes on its nodes: every container port with hostNetwork, else those with a hostPort. */
export function hostPortsOf(w: Workload): HostPorts {
  const spec = podSpecOf(w);
  const hostNetwork = spec['hostNetwork'] === true;
  const ports = new Set<string>();
  for (const c of [...arr(spec['initContainers']).filter((c) => rec(c)['restartPolicy'] === 'Always'), ...arr(spec['containers'])].map(rec)) {
    for (const p of arr(c['ports']).map(rec)) {
      const hp = portNumber(p['hostPort']) ?? (hostNetwork ? portNumber(p['containerPort']) : undefined);
      if (hp !== undefined) ports.add(`${hp}/${str(p['protocol']) || 'TCP'}`);
    }
  }
  return { workload: w, ports: [...ports], hostNetwork };
}

/** The last version of each workload (files may hold several), with the ports it takes. */
function hostWorkloads(facts: Facts): HostPorts[] {
  const byKey = new Map<string, Workload>();
  for (const w of facts.snapshot.workloads) {
    const k = `${w.kind}/${nsOf(w)}/${nameOf(w)}`;
    byKey.delete(k);
    byKey.set(k, w);
  }
  return [...byKey.values()].map(hostPortsOf).filter((h) => h.ports.length > 0);
}

const nodeSelectorOf = (w: Workload) => strMap(podSpecOf(w)['nodeSelector']);

/** The nodes a workload runs on (its Pods), or may run on (nodeSelector against known Nodes); undefined when not known. */
function nodesOf(facts: Facts, w: Workload): string[] | undefined {
  const placed = workloadPods(facts.ctx, w).map((p) => str(specOf(p)['nodeName'])).filter((n): n is string => !!n);
  if (placed.length > 0) return [...new Set(placed)].sort();
  if (facts.ctx.nodes.length === 0) return undefined;
  const selector = nodeSelectorOf(w);
  const nodes = facts.ctx.nodes.filter((n) => mapSelects(selector, labelsOf(n))).map(nameOf);
  // A Deployment/StatefulSet with one replica runs on one of them, not all; still a possible clash.
  return nodes;
}

/** Two nodeSelectors can both match one node unless a key needs different values. */
function selectorsCompatible(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v);
}

const describeW = (w: Workload) => `${w.kind} ${nsOf(w)}/${nameOf(w)}`;

const portConflict: Analyzer = {
  name: 'hostnetwork-port-conflict',
  check: 'hostnetwork',
  codes: ['hostnetwork/port-conflict'],
  inputs: ['snapshot'],
  description: 'No two hostNetwork/hostPort workloads claim the same port on the same node.',
  analyze(facts) {
    const out: Finding[] = [];
    const hw = hostWorkloads(facts).sort((x, y) => cmp(nsOf(x.workload), nsOf(y.workload)) || cmp(nameOf(x.workload), nameOf(y.workload)) || cmp(x.workload.kind, y.workload.kind));
    for (let i = 0; i < hw.length; i++) {
      for (let j = i + 1; j < hw.length; j++) {
        const a = hw[i]!;
        const b = hw[j]!;
        const common = a.ports.filter((p) => b.ports.includes(p));
        if (common.length === 0) continue;
        const na = nodesOf(facts, a.workload);
        const nb = nodesOf(facts, b.workload);
        let where: string;
        if (na && nb) {
          const shared = na.filter((n) => nb.includes(n));
          if (shared.length === 0) continue;
          where = `on node${shared.length === 1 ? '' : 's'} ${list(shared)}`;
        } else {
          if (!selectorsCompatible(nodeSelectorOf(a.workload), nodeSelectorOf(b.workload))) continue;
          where = 'on any node both node selectors match (the nodes are not in the input)';
        }
        out.push(finding('hostnetwork/port-conflict', subjectOf(b.workload),
          `${describeW(b.workload)} and ${describeW(a.workload)} both take port ${common.join(', ')} on the node's network ${where}: only one can bind it, the other's Pod stays Pending (hostPort) or fails to listen (hostNetwork), so traffic reaches only one of them.`,
          `Run them on different nodes (disjoint spec.template.spec.nodeSelector, e.g. node-role.kubernetes.io/edge for one) or change the port of ${describeW(b.workload)}.`));
      }
    }
    return out;
  },
};

const noNodes: Analyzer = {
  name: 'hostnetwork-gateway-nodes',
  check: 'hostnetwork',
  codes: ['hostnetwork/no-gateway-nodes'],
  inputs: ['snapshot'],
  description: "A gateway's node selector matches at least one node.",
  analyze(facts) {
    const out: Finding[] = [];
    if (facts.ctx.nodes.length === 0 && !facts.ctx.live) return out;
    for (const h of hostWorkloads(facts)) {
      const selector = nodeSelectorOf(h.workload);
      if (facts.ctx.nodes.some((n) => mapSelects(selector, labelsOf(n)))) continue;
      const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
      out.push(finding('hostnetwork/no-gateway-nodes', subjectOf(h.workload),
        `${describeW(h.workload)} listens on ${h.ports.join(', ')} of its nodes, but its nodeSelector ${sel || '{}'} matches none of the ${facts.ctx.nodes.length} node(s): no gateway Pod runs, so those ports are open nowhere.`,
        sel
          ? `Label the gateway nodes (${shellCommand(['kubectl', 'label', 'node', 'NODE', ...Object.entries(selector).map(([k, v]) => `${k}=${v}`)])}) or change spec.template.spec.nodeSelector of ${describeW(h.workload)} to labels the nodes have.`
          : 'Add Nodes to the cluster.'));
    }
    return out;
  },
};

export const hostnetworkAnalyzers: Analyzer[] = [portConflict, noNodes];
