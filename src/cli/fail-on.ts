// --fail-on: the severity at or above which findings make a command exit 3.
import type { Finding, Severity } from '../model/finding.js';

export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Does any finding reach the --fail-on level? `none` never does. */
export function meetsFailOn(findings: readonly Pick<Finding, 'severity'>[], failOn: string): boolean {
  return failOn !== 'none' && findings.some((f) => RANK[f.severity] >= RANK[failOn as Severity]);
}
