// nodeport/*: requested nodePorts inside the cluster's range, and allocatable as the API
// server allocates them (src/discover/node-ports.ts). Pure.
import { nodePortFacts } from '../discover/node-ports.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { subjectOf } from './util.js';

const range: Analyzer = {
  name: 'nodeport-range',
  check: 'nodeport',
  codes: ['nodeport/out-of-range'],
  inputs: ['snapshot'],
  description: "Requested nodePorts lie inside the cluster's NodePort range.",
  analyze(facts) {
    const { range: r, services } = nodePortFacts(facts.ctx);
    const out: Finding[] = [];
    for (const svc of services) {
      // The raw values: 99999, -1 or "30080" in a manifest are not ports at all, and just as rejected.
      for (const p of svc.declaredPorts) {
        const np = p.nodePort;
        if (
          np === undefined ||
          np === null ||
          (typeof np === 'number' && np >= r.first && np <= r.last && Number.isInteger(np))
        )
          continue;
        const which = p.port !== undefined ? `port ${p.port}/${p.protocol}` : `spec.ports[${p.index}]`;
        const value = typeof np === 'number' ? String(np) : `${JSON.stringify(np)} (a ${typeof np}, not a number)`;
        out.push(
          finding(
            'nodeport/out-of-range',
            subjectOf(svc.object),
            `Service ${svc.key} asks for nodePort ${value} (${which}), outside the NodePort range ${r.first}-${r.last} (${r.from}): the API server rejects the Service, so it is never exposed.`,
            `Set spec.ports[${p.port !== undefined ? `port=${p.port}` : p.index}].nodePort to a free port within ${r.first}-${r.last}, or remove nodePort and let Kubernetes pick one.`,
          ),
        );
      }
    }
    return out;
  },
};

const collision: Analyzer = {
  name: 'nodeport-collision',
  check: 'nodeport',
  codes: ['nodeport/collision'],
  inputs: ['snapshot'],
  description:
    'No nodePort is asked for by two Services (whatever their protocols: the API server allocates port numbers), nor twice for one protocol within one Service.',
  analyze(facts) {
    const { collisions, duplicates } = nodePortFacts(facts.ctx);
    const out: Finding[] = [];
    for (const d of duplicates) {
      out.push(
        finding(
          'nodeport/collision',
          subjectOf(d.service.object),
          `Service ${d.service.key} asks for nodePort ${d.nodePort}/${d.protocol} on ${d.ports.length} ports (${d.ports.join(', ')}): the API server rejects the Service (spec.ports[].nodePort: Duplicate value), so it is never exposed.`,
          `Give each port of ${d.service.key} its own nodePort, or remove nodePort from all but one so Kubernetes picks free ones (one nodePort may serve a TCP and a UDP port of the same Service).`,
        ),
      );
    }
    for (const c of collisions) {
      const held = c.heldAs === 'healthCheckNodePort' ? 'as its healthCheckNodePort' : `for port ${c.heldAs}`;
      const fix =
        c.as === 'healthCheckNodePort'
          ? `Set spec.healthCheckNodePort of ${c.service.key} to a free port, or remove it so Kubernetes picks one.`
          : `Give spec.ports[port=${c.as.split('/')[0]}].nodePort of ${c.service.key} another value, or remove it so Kubernetes picks a free port.`;
      out.push(
        finding(
          'nodeport/collision',
          subjectOf(c.service.object),
          `Service ${c.service.key} asks for nodePort ${c.nodePort} (${c.as === 'healthCheckNodePort' ? 'healthCheckNodePort' : `port ${c.as}`}), which Service ${c.holder.key} already holds ${held}: the API server allocates nodePorts by number whatever the protocol, so it rejects whichever is applied second ("provided port is already allocated").`,
          fix,
        ),
      );
    }
    return out;
  },
};

export const nodeportAnalyzers: Analyzer[] = [range, collision];
