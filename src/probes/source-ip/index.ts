// The source-IP proof's public API: plan the echo mirror of an exposure (pure), run it
// against a live cluster (creates, asks, always deletes), and judge what the echo saw.

export type { SourceIpVerdict } from './compare.js';
export {
  addressSeen,
  describeSourceIpProbe,
  firstForwardedFor,
  forwardedClient,
  isL7Probe,
  normaliseAddress,
  parseClientIp,
  sourceIpVerdict,
} from './compare.js';
export type { EchoAnswer } from './echo.js';
export { getEcho } from './echo.js';
export type { EchoOptions, EchoPlan, L7MirrorPlan, ServiceMirrorPlan } from './mirror.js';
export {
  CLIENT_IP_PATH,
  ECHO_IMAGE,
  ECHO_PORT,
  echoClusterService,
  echoHost,
  echoPod,
  HOSTNAME_PATH,
  mirroredAnnotations,
  mirrorRouteHost,
  mirrorService,
  PROBE_HEADER,
  PROBE_LABEL,
  planSourceIpEcho,
} from './mirror.js';
export type { EchoRunOptions, EchoRunResult } from './run.js';
// probe reach --count runs its own requests through the same mirror: where to send them, and the clean-up.
export { cleanup as deleteMirror, reach as mirrorEntry, runSourceIpEcho } from './run.js';
