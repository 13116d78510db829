// The findings block under a probe's text report (probe arp, endpoints, reach). Pure.
import type { Finding } from '../model/finding.js';

export function probeFindingsText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  return findings.map((f) => `${f.severity.toUpperCase()} ${f.code}: ${f.message}\n  fix: ${f.fix}\n`).join('');
}
