// `probe bgp` for people: each peer's session and the routes it advertises, then findings.
// In pieces of about 1 MiB, never one string: a full table is 3 million lines.

import type { BgpObservation, BgpRoute } from '../model/bgp-observation.js';
import type { Finding } from '../model/finding.js';
import { terminalSafe, terminalText } from '../util/terminal-text.js';
import { batched } from './json-chunks.js';
import { tableLines } from './table-stream.js';

const routeCells = (r: BgpRoute) => [
  r.prefix,
  r.nextHop,
  r.asPath || '<none>',
  [...r.communities, ...r.largeCommunities].join(' ') || '<none>',
];

export function renderBgpObservation(observation: BgpObservation, findings: readonly Finding[]): Generator<string> {
  return batched(observationPieces(observation, findings));
}

function* observationPieces(o: BgpObservation, unsafeFindings: readonly Finding[]): Generator<string> {
  // Escaped field by field (the routes are escaped as their lines are made): no copy of a full table.
  const t = terminalText;
  if (o.peers.length === 0) yield 'No BGP peer connected.\n';
  for (const p of o.peers) {
    yield `Peer ${t(p.address)}${p.remoteAs !== null ? ` AS ${p.remoteAs}` : ''}: ${t(p.state)}${p.expected ? '' : ' (not expected)'}, ${p.routes.length} route(s)\n`;
    if (p.routes.length > 0)
      yield* tableLines(['PREFIX', 'NEXT-HOP', 'AS-PATH', 'COMMUNITIES'], p.routes, routeCells, '  ');
  }
  for (const r of o.rejected) yield `Refused ${t(r.address)}: ${t(r.reason)}\n`;
  const findings = terminalSafe(unsafeFindings);
  if (findings.length > 0) {
    yield '\nFindings:\n';
    for (const f of findings)
      yield `  ${f.severity.padEnd(7)} ${f.code} ${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}\n    ${f.message}\n    fix: ${f.fix}\n`;
  }
}
