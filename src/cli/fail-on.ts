// --fail-on: the severity at or above which findings make a command exit 3.
import { Flags } from '@oclif/core';
import type { Finding, Severity } from '../model/finding.js';

export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Does any finding reach the --fail-on level? `none` never does. */
export function meetsFailOn(findings: readonly Pick<Finding, 'severity'>[], failOn: string): boolean {
  return failOn !== 'none' && findings.some((f) => RANK[f.severity] >= RANK[failOn as Severity]);
}

/** The --fail-on flag of a command whose action returns findings; the base command applies it (cli/runtime.ts printOutput). */
export function failOnFlag(defaultLevel: FailOn, note?: string) {
  return Flags.string({ summary: `Exit 3 when a finding has this severity or a worse one${note ? ` (${note})` : ''}.`, options: [...FAIL_ON], default: defaultLevel });
}
