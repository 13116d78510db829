// Text rendering of `probe reach`: one row per way in (what happened, latency, HTTP status,
// TLS, which Pods answered), which echo Pods answered through the mirror, the ways that could
// not be tried, the findings. Pure.
import type { Finding } from '../model/finding.js';
import type { ReachMirror, ReachProbe, ReachResult } from '../model/reach.js';
import { probeFindingsText } from './probe-findings.js';
import { renderTable } from './table.js';

function result(r: ReachResult): string {
  const parts = Object.entries(r.outcomes).map(([k, n]) =>
    Object.keys(r.outcomes).length > 1 || (n ?? 0) > 1 ? `${k} ${n}` : k,
  );
  return parts.join(', ') || '-';
}

function tls(r: ReachResult): string {
  const t = r.first.tls;
  if (!t) return '-';
  const problems = [
    ...(t.nameMatches === false ? ['wrong name'] : []),
    ...(!t.trusted ? [t.trustError === 'CERT_HAS_EXPIRED' ? 'expired' : 'untrusted'] : []),
  ];
  return `${t.protocol ?? 'TLS'} ${t.subject ?? '?'}${problems.length > 0 ? ` (${problems.join(', ')})` : ''}`;
}

function pods(r: ReachResult): string {
  const named = Object.entries(r.pods).map(([p, n]) => (n > 1 ? `${p} x${n}` : p));
  if (r.unnamed > 0 && named.length > 0) named.push(`${r.unnamed} unnamed`);
  return named.join(', ') || '-';
}

/** Which echo Pods answered through the mirror, or why none could be named. */
function mirrorLine(m: ReachMirror): string {
  if (m.error !== null) return `Pods through an echo mirror: none (${m.error})`;
  const named = Object.entries(m.pods)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([p, n]) => `${p} x${n}`);
  if (m.unanswered > 0) named.push(`${m.unanswered} unanswered`);
  const answering = Object.keys(m.pods).length;
  return `Pods through an echo mirror (${m.mirrors}; ${m.replicas} echo Pods at ${m.target}): ${m.requests} requests, ${answering} of ${m.replicas} Pods answered: ${named.join(', ') || '-'}`;
}

export function renderReachProbe(p: ReachProbe, findings: readonly Finding[]): string {
  const out: string[] = [];
  const what = p.service ? `Service ${p.service.namespace}/${p.service.name}` : 'Targets';
  out.push(
    `${what}: ${p.results.length} way(s) in, ${p.count} ${p.count === 1 ? 'try' : 'tries'} each, timeout ${p.timeoutMs} ms${p.sticky ? ', sessionAffinity ClientIP' : ''}\n\n`,
  );
  if (p.results.length > 0) {
    const statuses = (r: ReachResult) =>
      Object.entries(r.statuses)
        .map(([s, n]) => (p.count > 1 ? `${s} x${n}` : s))
        .join(', ') || '-';
    out.push(
      renderTable(
        ['WAY IN', 'RESULT', 'CONNECT', 'HTTP', 'TLS', 'PODS'],
        p.results.map((r) => [
          r.target.label,
          result(r),
          r.connectMs
            ? p.count > 1
              ? `${r.connectMs.median} ms (max ${r.connectMs.max})`
              : `${r.connectMs.median} ms`
            : '-',
          statuses(r),
          tls(r),
          pods(r),
        ]),
      ),
    );
  }
  if (p.mirror) out.push(`\n${mirrorLine(p.mirror)}\n`);
  if (p.skipped.length > 0) out.push(`\nNot tried:\n${p.skipped.map((s) => `  ${s}\n`).join('')}`);
  out.push('\n');
  out.push(probeFindingsText(findings));
  return out.join('');
}
