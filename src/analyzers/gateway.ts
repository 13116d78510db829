// gateway/route-not-attached: a route whose parentRefs name no existing Gateway, no
// listener of it, or a listener that does not admit the route (namespace, kind,
// protocol); in a live cluster also a parent that reports Accepted=False. Pure.
import { arr, nameOf, nsOf, portNumber, rec, specOf, statusOf, str } from '../discover/context.js';
import type { Finding } from '../model/finding.js';
import type { Custom } from '../model/snapshot.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { absenceProves, subjectOf } from './util.js';

const GROUP = 'gateway.networking.k8s.io';

/** The listener protocols each route kind attaches to when the listener does not list kinds. */
const ROUTE_PROTOCOLS: Record<string, string[]> = {
  HTTPRoute: ['HTTP', 'HTTPS'],
  GRPCRoute: ['HTTP', 'HTTPS'],
  TLSRoute: ['TLS'],
  TCPRoute: ['TCP', 'TLS'],
  UDPRoute: ['UDP'],
};

interface Listener { name?: string; port?: number; protocol?: string; from: string; kinds?: Array<{ kind?: string; group?: string }> }

function listeners(gw: Custom): Listener[] {
  return arr(specOf(gw)['listeners']).map(rec).map((l) => {
    const allowed = rec(l['allowedRoutes']);
    const kinds = Array.isArray(allowed['kinds']) ? arr(allowed['kinds']).map(rec).map((k) => ({ kind: str(k['kind']), group: str(k['group']) })) : undefined;
    return { name: str(l['name']), port: portNumber(l['port']), protocol: str(l['protocol']), from: str(rec(allowed['namespaces'])['from']) ?? 'Same', ...(kinds ? { kinds } : {}) };
  });
}

/** Why a listener does not admit a route, or undefined when it does. Selector namespaces cannot be judged (no Namespace labels) and admit. */
function refusal(l: Listener, kind: string, routeNs: string, gwNs: string): string | undefined {
  const id = `listener ${l.name ?? l.port ?? '?'}`;
  if (l.from === 'Same' && routeNs !== gwNs) return `${id} admits routes from namespace ${gwNs} only (allowedRoutes.namespaces.from: Same)`;
  if (l.from === 'None') return `${id} admits no routes (allowedRoutes.namespaces.from: None)`;
  if (l.kinds && l.kinds.length > 0) {
    return l.kinds.some((k) => k.kind === kind && (k.group ?? GROUP) === GROUP) ? undefined : `${id} admits only ${l.kinds.map((k) => k.kind).join(', ')}`;
  }
  const protocols = ROUTE_PROTOCOLS[kind];
  if (protocols && l.protocol && /^[A-Z]+$/.test(l.protocol) && !protocols.includes(l.protocol)) return `${id} speaks ${l.protocol}, which does not carry ${kind}`;
  return undefined;
}

const attached: Analyzer = {
  name: 'gateway-route-attachment',
  check: 'gateway',
  codes: ['gateway/route-not-attached'],
  inputs: ['snapshot'],
  description: "Routes attach to an existing Gateway listener that admits them.",
  analyze(facts) {
    const out: Finding[] = [];
    for (const route of facts.snapshot.routes) {
      const ns = nsOf(route);
      const rref = `${route.kind} ${ns}/${nameOf(route)}`;
      const reasons: string[] = [];
      for (const p of arr(specOf(route)['parentRefs']).map(rec)) {
        if ((str(p['group']) ?? GROUP) !== GROUP || (str(p['kind']) ?? 'Gateway') !== 'Gateway' || !str(p['name'])) continue;
        const gwNs = str(p['namespace']) ?? ns;
        const gwName = str(p['name'])!;
        const versions = facts.snapshot.gateways.filter((g) => nsOf(g) === gwNs && nameOf(g) === gwName);
        if (versions.length === 0) {
          if (absenceProves(facts, 'Gateway', gwNs)) reasons.push(`parentRef names Gateway ${gwNs}/${gwName}, which does not exist`);
          continue;
        }
        const section = str(p['sectionName']);
        const port = portNumber(p['port']);
        let why = '';
        const ok = versions.some((gw) => {
          let cands = listeners(gw);
          if (section) cands = cands.filter((l) => l.name === section);
          if (port !== undefined) cands = cands.filter((l) => l.port === port);
          if (cands.length === 0) {
            why ||= `Gateway ${gwNs}/${gwName} has no listener ${[section, port !== undefined ? `port ${port}` : ''].filter(Boolean).join(' ')}`.trim() + ` (listeners: ${listeners(gw).map((l) => l.name ?? l.port).join(', ') || 'none'})`;
            return false;
          }
          const refusals = cands.map((l) => refusal(l, route.kind, ns, gwNs));
          if (refusals.some((r) => r === undefined)) return true;
          why ||= `Gateway ${gwNs}/${gwName}: ${refusals.join('; ')}`;
          return false;
        });
        if (!ok) reasons.push(why);
      }
      for (const p of arr(statusOf(route)['parents']).map(rec)) {
        const c = arr(p['conditions']).map(rec).find((x) => x['type'] === 'Accepted' && x['status'] === 'False');
        if (c && reasons.length === 0) reasons.push(`Gateway ${str(rec(p['parentRef'])['name']) ?? '?'} reports Accepted=False (${str(c['reason']) ?? ''}${str(c['message']) ? `: ${str(c['message'])}` : ''})`);
      }
      if (reasons.length === 0) continue;
      out.push(finding('gateway/route-not-attached', subjectOf(route),
        `${rref} is not attached: ${reasons.join('; ')}; the Gateway does not route its traffic, so its hostnames and rules are not served there.`,
        `Set spec.parentRefs of ${rref} to an existing Gateway (and sectionName to one of its listeners), and make that listener admit it (allowedRoutes.namespaces.from: All or Selector for other namespaces; allowedRoutes.kinds including ${route.kind}; a listener protocol that carries ${route.kind}).`));
    }
    return out;
  },
};

export const gatewayAnalyzers: Analyzer[] = [attached];
