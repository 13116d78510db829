// The analyzer framework's types: each analyzer declares the facts it needs, and is a
// pure function from those facts (and a clock) to findings. No I/O, no printing.
import type { DiscoveryContext } from '../discover/context.js';
import type { Finding } from '../model/finding.js';
import type { ProbeFacts } from '../model/probe-facts.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Code } from './codes.js';

export const INPUTS = ['snapshot', 'arp', 'bgp', 'endpointsProbe', 'sourceIpProbe', 'reachProbe'] as const;
export type AnalyzerInput = (typeof INPUTS)[number];

export { CHECKS, type Check } from '../model/checks.js';

import type { Check } from '../model/checks.js';

/** What the analyzers read: the snapshot (always, with its lookups) and the probe facts that were gathered. */
export interface Facts {
  snapshot: Snapshot;
  ctx: DiscoveryContext;
  probes: ProbeFacts;
  /** When set, analyzers report only about this Service (and the objects on its path). */
  service?: { namespace: string; name: string };
  /** Kinds the user could not list in a live cluster (left empty): their absence proves nothing. */
  unreadableKinds?: string[];
  /** The namespace a live read was limited to (namespaced objects elsewhere were not read); undefined for all namespaces. */
  readNamespace?: string;
}

/** The time, passed in so analyzers stay pure (durations, ages). */
export interface Clock {
  now(): Date;
}

export interface Analyzer {
  /** Unique, kebab-case. */
  name: string;
  check: Check;
  /** Every code this analyzer can report. */
  codes: Code[];
  /** Inputs it cannot run without; the analyzer is skipped when one is absent. */
  inputs: AnalyzerInput[];
  /** Inputs it reads when present (e.g. probe results that refine a snapshot judgement). */
  optionalInputs?: AnalyzerInput[];
  /** One line for verbose output and docs. */
  description: string;
  analyze(facts: Facts, clock: Clock): Finding[];
}
