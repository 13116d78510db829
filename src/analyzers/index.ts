// The analyzers' public API: run them over a snapshot (and probe facts), the codes
// catalogue, and the registry. Used by `diagnose` and by `describe`'s findings section.

export { affinityPath, affinitySummary } from './affinity-path.js';
export type { CodeInfo } from './codes.js';
export { CODES, codeInfo, finding, isKnownCode, SEVERITY_RANK } from './codes.js';
export type { IgnoreRule, RunOptions, RunResult, SkippedAnalyzer } from './registry.js';
export {
  ANALYZERS,
  analyzersFor,
  availableInputs,
  ignores,
  parseIgnore,
  relatedSubjects,
  runAnalyzers,
  sortFindings,
} from './registry.js';
export { sourceIpPath } from './source-ip-path.js';
export type { Analyzer, AnalyzerInput, Check, Clock, Facts } from './types.js';
export { CHECKS, INPUTS } from './types.js';
