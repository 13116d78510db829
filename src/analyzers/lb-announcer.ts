// lb/no-eligible-announcer: no node may announce a LoadBalancer address (advertisement
// or policy node selectors, excluded nodes, where the speaker/agent runs), or, with
// externalTrafficPolicy Local, none of the nodes that may holds a ready endpoint. The
// nodes come from src/discover/announcer-eligibility.ts, the same fact receiving-nodes,
// describe and topology read. Pure.
import { announcerGap, EXCLUDE_LB_LABEL, type ExcludedNode } from '../discover/announcer-eligibility.js';
import { reportedAnnouncer } from '../discover/announcers.js';
import { loadBalancerAddresses } from '../discover/implementation.js';
import { serviceFacts } from '../discover/services.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { list, subjectOf } from './util.js';

function exclusionsText(excluded: ExcludedNode[]): string {
  // Nodes excluded for the same reason are told together.
  const byWhy = new Map<string, string[]>();
  for (const e of excluded) byWhy.set(e.why, [...(byWhy.get(e.why) ?? []), e.node]);
  return [...byWhy.entries()].map(([why, nodes]) => `${list(nodes, 4)}: ${why}`).join('; ');
}

function fixFor(implementation: string | null, excluded: ExcludedNode[]): string {
  const whys = excluded.map((e) => e.why).join(' ');
  const steps: string[] = [];
  if (whys.includes(EXCLUDE_LB_LABEL))
    steps.push(
      `remove the label from a node that should announce (kubectl label node NODE ${EXCLUDE_LB_LABEL}-) or run the MetalLB speaker with --ignore-exclude-lb (Helm: speaker.ignoreExcludeLB=true)`,
    );
  if (whys.includes('nodeSelector'))
    steps.push(
      implementation === 'cilium'
        ? 'make the CiliumL2AnnouncementPolicy spec.nodeSelector match labels your nodes carry (kubectl get nodes --show-labels), or drop it to let every node announce'
        : 'make the advertisement spec.nodeSelectors match labels of the nodes that should announce (kubectl get nodes --show-labels), or drop them to let every node announce',
    );
  if (whys.includes('runs there'))
    steps.push(
      "let the speaker/agent run on the nodes that should announce (its DaemonSet's nodeSelector, affinity, tolerations)",
    );
  if (whys.includes('NetworkUnavailable')) steps.push("fix the nodes' network (NetworkUnavailable condition)");
  return steps.length > 0 ? `${steps.join('; or ')}.` : 'Let at least one node announce the address.';
}

const noEligibleAnnouncer: Analyzer = {
  name: 'lb-announcer',
  check: 'lb',
  codes: ['lb/no-eligible-announcer'],
  inputs: ['snapshot'],
  description:
    "Some node may announce each LoadBalancer address (advertisement/policy node selectors, excluded nodes, the speaker's placement), and with Local policy one of them holds a ready endpoint.",
  analyze(facts) {
    const out: Finding[] = [];
    for (const svc of serviceFacts(facts.ctx).latest) {
      if (svc.type !== 'LoadBalancer') continue;
      const gap = announcerGap(facts.ctx, svc.object);
      if (!gap) continue;
      const e = gap.eligibility;
      const { assigned, requested } = loadBalancerAddresses(svc.object);
      const addr = [...assigned, ...requested][0];
      const what = `${addr ? `address ${addr} of ` : 'the address of '}Service ${svc.key}`;
      const notes = e.notes.length > 0 ? ` (${e.notes.join('; ')})` : '';
      // What the implementation itself reports (ServiceL2Status, Cilium's Lease), quoted: it names the node users look at.
      const reported = reportedAnnouncer(facts.ctx, svc.object);
      const cite = reported.node && reported.source ? ` ${reported.source} names ${reported.node} as announcer.` : '';
      if (gap.kind === 'no-node') {
        out.push(
          finding(
            'lb/no-eligible-announcer',
            subjectOf(svc.object),
            `No node may announce ${what} with ${e.implementation}: ${exclusionsText(e.excluded)}${notes}. Nothing answers for the address, so clients cannot reach it.${cite}`,
            `${fixFor(e.implementation, e.excluded).replace(/^./, (c) => c.toUpperCase())}`,
          ),
        );
        continue;
      }
      const withEndpoint = gap.withEndpoint;
      const how = e.followsLocal
        ? `${e.implementation} announces a Local Service only from a node that may announce it and holds a ready endpoint, and there is none`
        : `${e.implementation}'s leader holds the address on one of them, and every one of them drops the traffic (no local endpoint)`;
      out.push(
        finding(
          'lb/no-eligible-announcer',
          subjectOf(svc.object),
          `${what.replace(/^./, (c) => c.toUpperCase())} has externalTrafficPolicy Local; the nodes that may announce it (${list(e.eligible, 4)}) run no ready endpoint, which runs on ${list(withEndpoint, 4)}${e.excluded.length > 0 ? ` (${exclusionsText(e.excluded.filter((x) => withEndpoint.includes(x.node)))})` : ''}: ${how}.${cite}`,
          `Run a ready Pod of ${svc.key} on a node that may announce (${list(e.eligible, 4)}), let the nodes with its Pods announce (${fixFor(
            e.implementation,
            e.excluded.filter((x) => withEndpoint.includes(x.node)),
          ).replace(/\.$/, '')}), or set spec.externalTrafficPolicy: Cluster (trade-off: the client IP is then lost).`,
        ),
      );
    }
    return out;
  },
};

export const lbAnnouncerAnalyzers: Analyzer[] = [noEligibleAnnouncer];
