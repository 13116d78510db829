// A Finding: one problem an analyzer found (the DiagnosisReport contract).
import type { AffinitySummary } from './affinity.js';
import type { ObjectRef } from './kube-object.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  code: string;
  severity: Severity;
  check: string;
  subject: ObjectRef;
  message: string;
  fix: string;
}

/** Why a finding is not reported as one: the manifest silenced it (SARIF's suppression kind "inSource"). */
export interface Suppression {
  kind: 'inSource';
  /** Where and how, e.g. `annotation exposectl.dev/ignore: "lb/pool-overlap" on IPAddressPool metallb-system/b`. */
  justification: string;
}

export interface SuppressedFinding extends Finding {
  suppression: Suppression;
}

export interface DiagnosisReport {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'DiagnosisReport';
  findings: Finding[];
  /** `diagnose affinity SERVICE` only: the ways to the Service and their stickiness. */
  affinity?: AffinitySummary;
  /** Findings silenced in the manifests (the `exposectl.dev/ignore` annotation); present only when there are some. */
  suppressed?: SuppressedFinding[];
}
