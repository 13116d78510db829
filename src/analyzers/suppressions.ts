// Silencing a finding in the manifest: the annotation `exposectl.dev/ignore: "CODE[,CODE]"`
// (a code, or CHECK/* for a whole check) on the object a finding is about. Such findings are
// not dropped: they are returned apart, with the reason, so reports count them and SARIF
// carries them as suppressed results (kind "inSource"), as linters' in-source suppressions.
// A code the catalogue does not know is reported, with the closest known one. Pure.
import { annotationsOf, nameOf, nsOf, splitList } from '../discover/context.js';
import type { Finding, SuppressedFinding } from '../model/finding.js';
import type { ObjectRef } from '../model/kube-object.js';
import { type Snapshot, snapshotObjects } from '../model/snapshot.js';
import { closestCode } from './catalogue/index.js';
import { isKnownCode } from './codes.js';
import { CHECKS } from './types.js';

export const IGNORE_ANNOTATION = 'exposectl.dev/ignore';

export interface SuppressionResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Annotation values that name no known code or check, one line each. */
  problems: string[];
}

const refKey = (r: ObjectRef) => `${r.kind}|${r.namespace ?? ''}|${r.name}`;
const refText = (r: ObjectRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** The codes (or CHECK/* patterns) each annotated object silences, keyed by subject; and the entries that name nothing known. */
function annotatedRules(snapshot: Snapshot): {
  rules: Map<string, { values: string[]; text: string }>;
  problems: string[];
} {
  const rules = new Map<string, { values: string[]; text: string }>();
  const problems: string[] = [];
  for (const o of snapshotObjects(snapshot)) {
    const value = annotationsOf(o)[IGNORE_ANNOTATION];
    if (value === undefined) continue;
    // Cluster-scoped subjects carry a null namespace; an object's namespace decides nothing there, so both keys are kept.
    const ref: ObjectRef = { kind: o.kind, namespace: nsOf(o), name: nameOf(o) };
    const values: string[] = [];
    for (const entry of splitList(value)) {
      const family = entry.endsWith('/*') ? entry.slice(0, -2) : undefined;
      if (family !== undefined ? (CHECKS as readonly string[]).includes(family) : isKnownCode(entry)) {
        values.push(entry);
        continue;
      }
      const best = family === undefined ? closestCode(entry) : undefined;
      problems.push(
        `${refText(ref)}: annotation ${IGNORE_ANNOTATION} names unknown ${family !== undefined ? 'check' : 'code'} ${JSON.stringify(entry)}${best ? ` (did you mean ${best}?)` : ''}; it silences nothing`,
      );
    }
    const entry = { values, text: value };
    rules.set(refKey(ref), entry);
    rules.set(refKey({ ...ref, namespace: null }), entry);
  }
  return { rules, problems };
}

/** Splits findings into those reported and those their subject's annotation silences. */
export function applyIgnoreAnnotations(findings: readonly Finding[], snapshot: Snapshot): SuppressionResult {
  const { rules, problems } = annotatedRules(snapshot);
  const out: SuppressionResult = { findings: [], suppressed: [], problems };
  for (const f of findings) {
    const rule = rules.get(refKey(f.subject));
    const hit = rule?.values.some((v) => (v.endsWith('/*') ? f.code.startsWith(v.slice(0, -1)) : v === f.code));
    if (!rule || !hit) {
      out.findings.push(f);
      continue;
    }
    out.suppressed.push({
      ...f,
      suppression: {
        kind: 'inSource',
        justification: `annotation ${IGNORE_ANNOTATION}: ${JSON.stringify(rule.text)} on ${refText(f.subject)}`,
      },
    });
  }
  return out;
}
