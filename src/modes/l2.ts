// Mode l2: a LoadBalancer Service whose address MetalLB announces with ARP/NDP, from an
// existing IPAddressPool (--pool) or one created from --addresses, plus an L2Advertisement.

import { advertisementSelectsPool as advertisementCovers } from '../discover/metallb.js';
import type { KubeObject } from '../model/kube-object.js';
import { commonProblems, svcName, svcNamespace } from './common.js';
import { advertisement, loadBalancerObjects, nodeSelectorsField } from './metallb.js';
import { type LBPlan, planLoadBalancer } from './metallb-plan.js';
import { isOwnedFor } from './ownership.js';
import type { ExposeFacts, ExposeOptions, ExposeSpec, Problem } from './spec.js';
import { kubeProxyStickyNote } from './sticky.js';

const IFACE = /^[A-Za-z0-9_.:@-]{1,15}$/;

export function validateL2(spec: ExposeSpec, facts: ExposeFacts): Problem[] {
  const problems = [...commonProblems(spec), ...l2OptionProblems(spec)];
  if (problems.length > 0 && problems.some((p) => p.field === 'service')) return problems;
  return [...problems, ...planLoadBalancer(spec, facts).problems];
}

/** Interface names and node selectors (no Service or cluster needed). */
export function l2OptionProblems(spec: ExposeOptions): Problem[] {
  const problems: Problem[] = [];
  for (const i of spec.interfaces ?? []) {
    if (!IFACE.test(i))
      problems.push({
        field: 'interfaces',
        message: `"${i}" is not a network interface name (at most 15 characters, no spaces or slashes)`,
      });
  }
  return [...problems, ...nodeSelectorProblems(spec)];
}

export function nodeSelectorProblems(spec: ExposeOptions): Problem[] {
  return (spec.nodeSelectors ?? []).flatMap((s, i) =>
    Object.keys(s).length === 0 ? [{ field: 'nodeSelectors', message: `node selector #${i + 1} is empty` }] : [],
  );
}

export function l2Advertisement(spec: ExposeSpec, plan: LBPlan): KubeObject {
  const adSpec: Record<string, unknown> = { ipAddressPools: [plan.poolName] };
  if (spec.interfaces && spec.interfaces.length > 0) adSpec.interfaces = [...spec.interfaces];
  const sel = nodeSelectorsField(spec.nodeSelectors);
  if (sel) adSpec.nodeSelectors = sel;
  return advertisement('L2Advertisement', spec, adSpec);
}

export function manifestsL2(spec: ExposeSpec, facts: ExposeFacts): KubeObject[] {
  const plan = planLoadBalancer(spec, facts);
  return loadBalancerObjects(
    spec,
    plan,
    plan.advertise && plan.poolName !== undefined ? [l2Advertisement(spec, plan)] : [],
  );
}

export function notesL2(spec: ExposeSpec, facts: ExposeFacts): string[] {
  const plan = planLoadBalancer(spec, facts);
  const notes = plan.notes;
  // MetalLB announces from the union of the advertisements of a pool: restricting one
  // adds nothing while another announces the pool everywhere.
  const restricted = (spec.interfaces?.length ?? 0) > 0 || (spec.nodeSelectors?.length ?? 0) > 0;
  if (restricted && plan.pool) {
    const wide = (facts.l2Advertisements ?? []).filter(
      (a) =>
        !isOwnedFor(a, svcName(spec), svcNamespace(spec)) &&
        advertisementCovers(a, plan.pool!) &&
        !(a.spec?.interfaces as unknown[] | undefined)?.length &&
        !(a.spec?.nodeSelectors as unknown[] | undefined)?.length,
    );
    if (wide.length > 0) {
      notes.push(
        `L2Advertisement ${wide.map((a) => a.metadata.name).join(', ')} already announces pool ${plan.poolName} from every node and interface: the --interfaces/--advertise-node-selector restriction adds nothing while it exists`,
      );
    }
  }
  const sticky = kubeProxyStickyNote(spec);
  if (sticky) notes.push(sticky);
  if (spec.preserveSourceIP)
    notes.push(
      'externalTrafficPolicy Local: in L2 mode only the announcing node receives traffic, and it must have a ready endpoint',
    );
  return notes;
}
