// hostnetwork/*: gateways on the node's network (hostNetwork or hostPort workloads):
// two of them claiming a port on the same node, and node selectors that match no node. Pure.
import { cmp, labelsOf, nameOf, nsOf } from '../discover/context.js';
import { mapSelects } from '../discover/selectors.js';
import { podNodes, type WorkloadFact, workloadFactOf } from '../discover/workload-facts.js';
import type { Finding } from '../model/finding.js';
import type { Workload } from '../model/snapshot.js';
import { shellCommand } from '../util/shell-quote.js';
import { finding } from './codes.js';
import type { Analyzer, Facts } from './types.js';
import { latest, list, subjectOf } from './util.js';

/** The last version of each workload (files may hold several) that takes ports on its nodes. */
function hostWorkloads(facts: Facts): WorkloadFact[] {
  return latest(facts.snapshot.workloads)
    .map((w) => workloadFactOf(facts.ctx, w))
    .filter((h) => h.hostPorts.length > 0);
}

/** The nodes a workload runs on (its Pods), or may run on (nodeSelector against known Nodes); undefined when not known. */
function nodesOf(facts: Facts, w: WorkloadFact): string[] | undefined {
  const placed = podNodes(facts.ctx, w.object);
  if (placed.length > 0) return placed;
  if (facts.ctx.nodes.length === 0) return undefined;
  // A Deployment/StatefulSet with one replica runs on one of them, not all; still a possible clash.
  return facts.ctx.nodes.filter((n) => mapSelects(w.nodeSelector, labelsOf(n))).map(nameOf);
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
    const hw = hostWorkloads(facts).sort(
      (x, y) =>
        cmp(nsOf(x.object), nsOf(y.object)) ||
        cmp(nameOf(x.object), nameOf(y.object)) ||
        cmp(x.object.kind, y.object.kind),
    );
    for (let i = 0; i < hw.length; i++) {
      for (let j = i + 1; j < hw.length; j++) {
        const a = hw[i]!;
        const b = hw[j]!;
        const common = a.hostPorts.filter((p) => b.hostPorts.includes(p));
        if (common.length === 0) continue;
        const na = nodesOf(facts, a);
        const nb = nodesOf(facts, b);
        let where: string;
        if (na && nb) {
          const shared = na.filter((n) => nb.includes(n));
          if (shared.length === 0) continue;
          where = `on node${shared.length === 1 ? '' : 's'} ${list(shared)}`;
        } else {
          if (!selectorsCompatible(a.nodeSelector, b.nodeSelector)) continue;
          where = 'on any node both node selectors match (the nodes are not in the input)';
        }
        out.push(
          finding(
            'hostnetwork/port-conflict',
            subjectOf(b.object),
            `${describeW(b.object)} and ${describeW(a.object)} both take port ${common.join(', ')} on the node's network ${where}: only one can bind it, the other's Pod stays Pending (hostPort) or fails to listen (hostNetwork), so traffic reaches only one of them.`,
            `Run them on different nodes (disjoint spec.template.spec.nodeSelector, e.g. node-role.kubernetes.io/edge for one) or change the port of ${describeW(b.object)}.`,
          ),
        );
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
      const selector = h.nodeSelector;
      if (facts.ctx.nodes.some((n) => mapSelects(selector, labelsOf(n)))) continue;
      const sel = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      out.push(
        finding(
          'hostnetwork/no-gateway-nodes',
          subjectOf(h.object),
          `${describeW(h.object)} listens on ${h.hostPorts.join(', ')} of its nodes, but its nodeSelector ${sel || '{}'} matches none of the ${facts.ctx.nodes.length} node(s): no gateway Pod runs, so those ports are open nowhere.`,
          sel
            ? `Label the gateway nodes (${shellCommand(['kubectl', 'label', 'node', 'NODE', ...Object.entries(selector).map(([k, v]) => `${k}=${v}`)])}) or change spec.template.spec.nodeSelector of ${describeW(h.object)} to labels the nodes have.`
            : 'Add Nodes to the cluster.',
        ),
      );
    }
    return out;
  },
};

export const hostnetworkAnalyzers: Analyzer[] = [portConflict, noNodes];
