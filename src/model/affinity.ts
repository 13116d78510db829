// The stickiness summary of `diagnose affinity SERVICE -o json` (the `affinity` field of
// the DiagnosisReport, present only for that command): every way to the Service, hop by hop.

import type { Sticky } from './exposure.js';
import type { ObjectRef } from './kube-object.js';

export interface AffinityHopSummary {
  label: string;
  subject: ObjectRef;
  /** What the hop keys stickiness on. */
  key: 'client-ip' | 'cookie' | 'header' | 'hash' | 'none';
  setting: string;
  picksPod: boolean;
  /** The address this hop sees as the client's. */
  sees: 'client' | 'replaced';
}

export interface AffinityWaySummary {
  via: ObjectRef;
  entry: string;
  sticky: Sticky;
  hops: AffinityHopSummary[];
  breaks: Array<{ code: string; subject: ObjectRef; detail: string }>;
  notes: string[];
}

export interface AffinitySummary {
  service: { namespace: string; name: string };
  ways: AffinityWaySummary[];
}
