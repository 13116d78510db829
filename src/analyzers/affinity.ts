// affinity/*: where the stickiness set on a way in is undone before it reaches the Pod.
// Consumes only the facts of src/discover/affinity.ts (the hops of every way and what
// each keys on); this file says what that does to clients and what to change. Pure.
import { type AffinityProblem, type AffinityProblemKind, affinityWays } from '../discover/affinity.js';
import type { Finding } from '../model/finding.js';
import { type Code, finding } from './codes.js';
import type { Analyzer } from './types.js';

/** What each kind of problem does to clients: appended to the fact the discovery states. */
const CONSEQUENCE: Record<AffinityProblemKind, string> = {
  'client-ip-hidden':
    'so every client behind that hop shares one key and they all stick to one Pod (one Pod takes the load)',
  'bypassed-by-proxy':
    "so the Service's affinity has no effect and clients are balanced per request or connection as the proxy sees fit",
  'per-entry-node':
    'so connections of one client that arrive through different entries land on different Pods (a cart that empties, a websocket that reconnects elsewhere)',
  'annotation-ignored': 'so the stickiness it asks for is not configured and clients move between Pods',
  'proxy-sticks-to-service': 'so its stickiness pins nothing and clients move between Pods',
  'session-persistence-ignored':
    'so the route is accepted but no cookie is set or read, and each request may land on another Pod',
};

/** The finding code of each way stickiness breaks (also named in `describe`'s affinity lines). */
export const AFFINITY_CODE: Record<AffinityProblemKind, Code> = {
  'client-ip-hidden': 'affinity/client-ip-hidden',
  'bypassed-by-proxy': 'affinity/bypassed-by-proxy',
  'per-entry-node': 'affinity/per-entry-node',
  'annotation-ignored': 'affinity/annotation-ignored',
  'proxy-sticks-to-service': 'affinity/proxy-sticks-to-service',
  'session-persistence-ignored': 'affinity/session-persistence-ignored',
};

function toFinding(p: AffinityProblem): Finding {
  const fix = `${p.remedy[0]!.toUpperCase()}${p.remedy.slice(1)}.`;
  return finding(AFFINITY_CODE[p.kind], p.subject, `${p.detail}; ${CONSEQUENCE[p.kind]}.`, fix);
}

function analyzerOf(kind: AffinityProblemKind, description: string): Analyzer {
  return {
    name: `affinity-${kind}`,
    check: 'affinity',
    codes: [AFFINITY_CODE[kind]],
    inputs: ['snapshot'],
    description,
    analyze(facts) {
      return affinityWays(facts.ctx)
        .flatMap((w) => w.problems)
        .filter((p) => p.kind === kind)
        .map(toFinding);
    },
  };
}

export const affinityAnalyzers: Analyzer[] = [
  analyzerOf(
    'client-ip-hidden',
    'ClientIP stickiness keys on the client address, not on a proxy or node that replaced it.',
  ),
  analyzerOf(
    'bypassed-by-proxy',
    'Service sessionAffinity is not set where an L7 controller or gateway sends to the endpoints directly.',
  ),
  analyzerOf(
    'per-entry-node',
    'ClientIP stickiness and per-process stick tables hold across the entry nodes and gateway replicas a client may use.',
  ),
  analyzerOf('annotation-ignored', 'Stickiness annotations are the keys, values and objects the controller reads.'),
  analyzerOf('proxy-sticks-to-service', 'A sticky gateway chooses among Pods, not among one Service address.'),
  analyzerOf(
    'session-persistence-ignored',
    "A route's sessionPersistence is served by an implementation that applies it (known exceptions only).",
  ),
];
