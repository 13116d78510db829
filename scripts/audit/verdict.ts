// What `npm audit --omit=dev --json` printed means for CI: pass, fail (high or critical
// advisories in production dependencies), or unknown (the advisory endpoint could not be
// asked: offline, a proxy that refuses POST, a registry without the audit API). Pure.

export type Verdict =
  | { kind: 'pass'; counts: Record<string, number> }
  | {
      kind: 'fail';
      counts: Record<string, number>;
      packages: Array<{ name: string; severity: string; advisories: string[] }>;
    }
  | { kind: 'unknown'; reason: string };

const BLOCKING = new Set(['high', 'critical']);

interface AuditJson {
  auditReportVersion?: number;
  vulnerabilities?: Record<
    string,
    { name?: string; severity?: string; via?: Array<string | { title?: string; url?: string; severity?: string }> }
  >;
  metadata?: { vulnerabilities?: Record<string, number> };
  error?: { code?: string; summary?: string; detail?: string };
  message?: string;
  statusCode?: number;
}

export function auditVerdict(stdout: string): Verdict {
  let doc: AuditJson;
  try {
    doc = JSON.parse(stdout) as AuditJson;
  } catch {
    return {
      kind: 'unknown',
      reason: `npm audit printed no JSON report (${stdout.trim().split('\n')[0]?.slice(0, 120) || 'no output'})`,
    };
  }
  const counts = doc.metadata?.vulnerabilities;
  if (doc.error || doc.statusCode !== undefined || counts === undefined) {
    const why = doc.message || doc.error?.summary || doc.error?.code || 'no report';
    return { kind: 'unknown', reason: `the advisory endpoint could not be asked: ${why}` };
  }
  const packages = Object.entries(doc.vulnerabilities ?? {})
    .filter(([, v]) => BLOCKING.has(v.severity ?? ''))
    .map(([name, v]) => ({
      name,
      severity: v.severity!,
      advisories: (v.via ?? []).map((via) =>
        typeof via === 'string' ? `via ${via}` : `${via.title ?? 'advisory'}${via.url ? ` (${via.url})` : ''}`,
      ),
    }));
  return packages.length > 0 || (counts.high ?? 0) + (counts.critical ?? 0) > 0
    ? { kind: 'fail', counts, packages }
    : { kind: 'pass', counts };
}
