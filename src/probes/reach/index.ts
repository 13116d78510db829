// The reach probe's public API: command-line targets, the ways into a Service (planned from
// discovery's facts), one try, and the run over all of them. The judgement is
// src/analyzers/probe-reach.ts.
export { type AttemptOptions, attemptReach, serverName } from './attempt.js';
export { gatherReach, reachProbeOf } from './gather.js';
export { type MirrorPodsOptions, mirrorPods, noMirror, withReplicas } from './mirror-pods.js';
export { type PlanOptions, planReach, type ReachPlan, schemeOfPort } from './plan.js';
export { podOfAnswer } from './pod-name.js';
export { type RunOptions, runReach, summarise } from './run.js';
export { parseReachTarget, ReachTargetError } from './target.js';
