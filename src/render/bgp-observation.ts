// `probe bgp` for people: each peer's session and the routes it advertises, then findings.
import type { Finding } from '../model/finding.js';
import type { BgpObservation } from '../probes/bgp/index.js';
import { renderTable } from './table.js';
import { terminalSafe } from './terminal-text.js';

export function renderBgpObservation(unsafeObservation: BgpObservation, unsafeFindings: readonly Finding[]): string {
  const o = terminalSafe(unsafeObservation);
  const findings = terminalSafe(unsafeFindings);
  const out: string[] = [];
  if (o.peers.length === 0) out.push('No BGP peer connected.\n');
  for (const p of o.peers) {
    out.push(`Peer ${p.address}${p.remoteAs !== null ? ` AS ${p.remoteAs}` : ''}: ${p.state}${p.expected ? '' : ' (not expected)'}, ${p.routes.length} route(s)\n`);
    if (p.routes.length > 0) {
      const rows = p.routes.map((r) => [r.prefix, r.nextHop, r.asPath || '<none>', [...r.communities, ...r.largeCommunities].join(' ') || '<none>']);
      out.push(renderTable(['PREFIX', 'NEXT-HOP', 'AS-PATH', 'COMMUNITIES'], rows).replace(/^/gm, '  '));
    }
  }
  for (const r of o.rejected) out.push(`Refused ${r.address}: ${r.reason}\n`);
  if (findings.length > 0) {
    out.push('\nFindings:\n');
    for (const f of findings) out.push(`  ${f.severity.padEnd(7)} ${f.code} ${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}\n    ${f.message}\n    fix: ${f.fix}\n`);
  }
  return out.join('');
}
