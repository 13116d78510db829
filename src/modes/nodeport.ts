// Mode nodeport: a NodePort Service (a new `<svc>-nodeport`, or the user's patched with
// --in-place), optionally with a fixed nodePort checked against the cluster's range and
// the nodePorts other Services already hold.
import type { KubeObject } from '../model/kube-object.js';
import {
  commonProblems,
  isProblem,
  otherServices,
  pickPort,
  protocolOf,
  publishedService,
  publishedServiceName,
  selectorProblems,
  servicePorts,
  svcName,
  svcNamespace,
} from './common.js';
import { DEFAULT_NODE_PORT_RANGE, type ExposeFacts, type ExposeSpec, type Problem } from './spec.js';
import { kubeProxyStickyNote } from './sticky.js';

export function validateNodePort(spec: ExposeSpec, facts: ExposeFacts): Problem[] {
  const problems = commonProblems(spec);
  if (problems.some((p) => p.field === 'service')) return problems;
  problems.push(...selectorProblems(spec));
  if (spec.inPlace && spec.service.spec?.type === 'LoadBalancer') {
    problems.push({
      field: 'inPlace',
      message: `Service ${svcName(spec)} is a LoadBalancer, which already has nodePorts: --in-place would turn it into a NodePort Service and drop its address`,
    });
  }
  problems.push(...stickyNodePortProblems(spec, facts));
  if (spec.port !== undefined && spec.nodePort === undefined) {
    problems.push({
      field: 'port',
      message: '--port chooses which port gets the fixed --node-port: give --node-port too',
    });
  }
  if (spec.nodePort === undefined) return problems;

  const range = facts.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
  if (!Number.isInteger(spec.nodePort) || spec.nodePort < range.min || spec.nodePort > range.max) {
    problems.push({
      field: 'nodePort',
      message: `nodePort ${spec.nodePort} is outside the cluster's NodePort range ${range.min}-${range.max}`,
      code: 'nodeport/out-of-range',
    });
  }
  const port = pickPort(spec, 'that gets the fixed nodePort');
  if (isProblem(port)) {
    problems.push(port);
    return problems;
  }
  const ns = svcNamespace(spec);
  for (const other of otherServices(facts, ns, publishedServiceName(spec))) {
    // With a new Service the user's own (which keeps its nodePorts) is another Service too.
    const type = other.spec?.type;
    if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
    // kube-apiserver allocates nodePorts by number, whatever the protocol (src/discover/node-ports.ts).
    const hc = other.spec?.healthCheckNodePort;
    if (hc === spec.nodePort) {
      problems.push({
        field: 'nodePort',
        message: `nodePort ${spec.nodePort} is already allocated to ${other.metadata.namespace ?? 'default'}/${other.metadata.name} as its healthCheckNodePort`,
        code: 'nodeport/collision',
      });
    }
    for (const p of servicePorts(other)) {
      if (p.nodePort === spec.nodePort) {
        problems.push({
          field: 'nodePort',
          message: `nodePort ${spec.nodePort} is already allocated to ${other.metadata.namespace ?? 'default'}/${other.metadata.name} (port ${p.port}/${protocolOf(p)}; nodePorts are allocated by number, whatever the protocol)`,
          code: 'nodeport/collision',
        });
      }
    }
  }
  return problems;
}

/**
 * --sticky on a NodePort of several nodes: kube-proxy keeps ClientIP affinity per node
 * and the nodePort opens on every node, so one client entering by two nodes gets two Pods
 * (affinity/per-entry-node), whatever the traffic policy. No Service setting fixes that:
 * refuse, and name the modes that keep a client on one Pod.
 */
function stickyNodePortProblems(spec: ExposeSpec, facts: ExposeFacts): Problem[] {
  const nodes = facts.nodes ?? [];
  if (!spec.sticky || nodes.length <= 1) return [];
  const shown = nodes.slice(0, 3).map((n) => n.metadata.name);
  return [
    {
      field: 'sticky',
      code: 'affinity/per-entry-node',
      message: `--sticky in mode nodeport: the nodePort opens on all ${nodes.length} nodes (${shown.join(', ')}${nodes.length > 3 ? ', ...' : ''}) and each node's kube-proxy keeps its own ClientIP table, so a client that reaches two nodes lands on two Pods (affinity/per-entry-node). Keep each client on one entry node with --mode l2 (one node announces the address), or let one proxy key on the client: --mode hostnetwork (client-address hash over the Pods), --mode ingress or --mode gateway (a cookie)`,
    },
  ];
}

export function manifestsNodePort(spec: ExposeSpec, _facts: ExposeFacts): KubeObject[] {
  let nodePort: { port: number; protocol: string; nodePort: number } | undefined;
  if (spec.nodePort !== undefined) {
    const port = pickPort(spec, 'that gets the fixed nodePort');
    if (isProblem(port)) throw new Error(`invalid spec: ${port.message}`);
    nodePort = { port: port.port, protocol: protocolOf(port), nodePort: spec.nodePort };
  }
  return [publishedService(spec, { type: 'NodePort', ...(nodePort ? { nodePort } : {}) })];
}

export function notesNodePort(spec: ExposeSpec, facts: ExposeFacts): string[] {
  const notes: string[] = [];
  if (spec.nodePort !== undefined && facts.services === undefined)
    notes.push(`nodePort ${spec.nodePort} not checked against other Services (no cluster facts)`);
  if (spec.preserveSourceIP)
    notes.push('externalTrafficPolicy Local: only nodes with a ready endpoint answer on the nodePort');
  const sticky = kubeProxyStickyNote(spec);
  if (sticky) notes.push(sticky);
  if (spec.sticky && facts.nodes === undefined)
    notes.push('sticky: the nodes are not known here; with more than one node, --sticky in mode nodeport is refused');
  if (servicePorts(spec.service).length > 1 && !spec.inPlace)
    notes.push(`every port of ${svcName(spec)} gets a nodePort`);
  return notes;
}
