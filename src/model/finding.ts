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

export interface DiagnosisReport {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'DiagnosisReport';
  findings: Finding[];
  /** `diagnose affinity SERVICE` only: the ways to the Service and their stickiness. */
  affinity?: AffinitySummary;
}
