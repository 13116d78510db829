// nodeport/*: requested nodePorts inside the cluster's range, and not taken twice. Pure.
import { arr, nameOf, nsOf, portNumber, rec, specOf, str } from '../discover/context.js';
import type { Finding } from '../model/finding.js';
import type { Service } from '../model/snapshot.js';
import { finding } from './codes.js';
import type { Analyzer, Facts } from './types.js';
import { portsOf, serviceType, subjectOf } from './util.js';

export const DEFAULT_NODE_PORT_RANGE = { first: 30000, last: 32767 };

/** The NodePort range: kube-apiserver's --service-node-port-range when its Pod is in the snapshot, else the default. */
export function nodePortRange(facts: Facts): { first: number; last: number; from: string } {
  for (const p of facts.snapshot.pods) {
    for (const c of arr(specOf(p)['containers']).map(rec)) {
      for (const a of [...arr(c['command']), ...arr(c['args'])]) {
        const m = typeof a === 'string' ? /^--service-node-port-range=(\d+)-(\d+)$/.exec(a) : null;
        if (m) return { first: Number(m[1]), last: Number(m[2]), from: `--service-node-port-range of Pod ${nsOf(p)}/${nameOf(p)}` };
      }
    }
  }
  return { ...DEFAULT_NODE_PORT_RANGE, from: 'the default range; kube-apiserver --service-node-port-range may differ' };
}

/** Services that open nodePorts, the last version of each when files hold several. */
function nodePortServices(facts: Facts): Service[] {
  const byKey = new Map<string, Service>();
  for (const s of facts.snapshot.services) {
    const t = serviceType(s);
    if (t !== 'NodePort' && t !== 'LoadBalancer') continue;
    const k = `${nsOf(s)}/${nameOf(s)}`;
    byKey.delete(k);
    byKey.set(k, s);
  }
  return [...byKey.values()];
}

const range: Analyzer = {
  name: 'nodeport-range',
  check: 'nodeport',
  codes: ['nodeport/out-of-range'],
  inputs: ['snapshot'],
  description: "Requested nodePorts lie inside the cluster's NodePort range.",
  analyze(facts) {
    const r = nodePortRange(facts);
    const out: Finding[] = [];
    for (const svc of nodePortServices(facts)) {
      // The raw values: 99999, -1 or "30080" in a manifest are not ports at all, and just as rejected.
      arr(specOf(svc)['ports']).map(rec).forEach((p, i) => {
        const np: unknown = p['nodePort'];
        if (np === undefined || np === null || (typeof np === 'number' && np >= r.first && np <= r.last && Number.isInteger(np))) return;
        const port = portNumber(p['port']);
        const which = port !== undefined ? `port ${port}/${str(p['protocol']) || 'TCP'}` : `spec.ports[${i}]`;
        const value = typeof np === 'number' ? String(np) : `${JSON.stringify(np)} (a ${typeof np}, not a number)`;
        out.push(finding('nodeport/out-of-range', subjectOf(svc),
          `Service ${nsOf(svc)}/${nameOf(svc)} asks for nodePort ${value} (${which}), outside the NodePort range ${r.first}-${r.last} (${r.from}): the API server rejects the Service, so it is never exposed.`,
          `Set spec.ports[${port !== undefined ? `port=${port}` : i}].nodePort to a free port within ${r.first}-${r.last}, or remove nodePort and let Kubernetes pick one.`));
      });
    }
    return out;
  },
};

const collision: Analyzer = {
  name: 'nodeport-collision',
  check: 'nodeport',
  codes: ['nodeport/collision'],
  inputs: ['snapshot'],
  description: 'No two Services ask for the same nodePort and protocol.',
  analyze(facts) {
    const out: Finding[] = [];
    const owner = new Map<string, Service>();
    for (const svc of nodePortServices(facts)) {
      for (const p of portsOf(svc)) {
        if (p.nodePort === undefined) continue;
        const key = `${p.nodePort}/${p.protocol}`;
        const first = owner.get(key);
        if (!first) { owner.set(key, svc); continue; }
        if (first === svc) continue;
        out.push(finding('nodeport/collision', subjectOf(svc),
          `Service ${nsOf(svc)}/${nameOf(svc)} asks for nodePort ${key}, which Service ${nsOf(first)}/${nameOf(first)} already uses: the API server rejects whichever is applied second ("provided port is already allocated").`,
          `Give spec.ports[port=${p.port}].nodePort of ${nsOf(svc)}/${nameOf(svc)} another value, or remove it so Kubernetes picks a free port.`));
      }
    }
    return out;
  },
};

export const nodeportAnalyzers: Analyzer[] = [range, collision];
