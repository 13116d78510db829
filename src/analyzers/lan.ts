// Pods on the LAN (Multus): a Pod whose networks annotation Multus cannot follow never gets
// its LAN interface (Multus fails the Pod's sandbox: ContainerCreating), so the LAN address
// clients use answers nothing. The same facts give `list` its broken `lan` rows. Pure.
import { nameOf, nsOf } from '../discover/context.js';
import { MULTUS_GROUP, multusFacts, NETWORKS_ANNOTATION } from '../discover/multus.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { absenceProves, absentText, subjectOf } from './util.js';

const NAD = `${MULTUS_GROUP}/NetworkAttachmentDefinition` as const;

const lanNetworks: Analyzer = {
  name: 'lan-networks',
  check: 'lan',
  codes: ['lan/network-missing', 'lan/networks-invalid'],
  inputs: ['snapshot'],
  description: 'The networks a Pod asks Multus for (k8s.v1.cni.cncf.io/networks) can be read and exist.',
  analyze(facts) {
    // A LAN Pod is reached at its own address, not through a Service: not on any Service's path.
    if (facts.service) return [];
    const out: Finding[] = [];
    for (const fact of multusFacts(facts.ctx).lanPods) {
      const pod = `Pod ${nsOf(fact.pod)}/${nameOf(fact.pod)}`;
      if (fact.problem) {
        out.push(
          finding(
            'lan/networks-invalid',
            subjectOf(fact.pod),
            `${pod}: ${fact.problem}: Multus refuses to wire the Pod, which stays in ContainerCreating and gets no LAN address.`,
            `Write ${NETWORKS_ANNOTATION} as a comma list (NAME, NAMESPACE/NAME, NAME@INTERFACE) or as a JSON list of {"name": ..., "namespace": ..., "interface": ...}.`,
          ),
        );
      }
      for (const a of fact.attachments) {
        if (a.definition !== undefined || !absenceProves(facts, NAD, a.selection.namespace)) continue;
        const ref = `${a.selection.namespace}/${a.selection.name}`;
        out.push(
          finding(
            'lan/network-missing',
            subjectOf(fact.pod),
            `${pod} asks for network ${ref} (${NETWORKS_ANNOTATION}), whose NetworkAttachmentDefinition ${absentText(facts).doesNotExist}: Multus cannot wire the Pod, which stays in ContainerCreating and gets no LAN address.`,
            `Create NetworkAttachmentDefinition ${ref} (spec.config: a macvlan or ipvlan CNI configuration with the node's LAN interface as master), or fix the name in the Pod's ${NETWORKS_ANNOTATION} (without a namespace it means the Pod's own).`,
          ),
        );
      }
    }
    return out;
  },
};

export const lanAnalyzers: Analyzer[] = [lanNetworks];
