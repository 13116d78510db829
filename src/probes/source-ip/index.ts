// The source-IP proof's public API: plan the echo mirror of an exposure (pure), run it
// against a live cluster (creates, asks, always deletes), and judge what the echo saw.
export { planSourceIpEcho, echoPod, mirrorService, echoClusterService, echoHost, mirroredAnnotations, ECHO_IMAGE, ECHO_PORT, PROBE_LABEL, CLIENT_IP_PATH } from './mirror.js';
export type { EchoPlan, EchoOptions, ServiceMirrorPlan, L7MirrorPlan } from './mirror.js';
export { parseClientIp, normaliseAddress, sourceIpVerdict, firstForwardedFor, describeSourceIpProbe } from './compare.js';
export type { SourceIpVerdict } from './compare.js';
export { getEcho } from './echo.js';
export type { EchoAnswer } from './echo.js';
export { runSourceIpEcho } from './run.js';
export type { EchoRunOptions, EchoRunResult } from './run.js';
