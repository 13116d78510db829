// The BGP probe's public API: start a passive collector, snapshot what it saw, compare it
// with the cluster. The codec, framer and session are exported for tools and tests.

export type { CodecOptions, DecodedMessage } from './codec.js';
export {
  checkHeader,
  decodeMessage,
  encodeMessage,
  encodeRawAttribute,
  formatAsPath,
  formatCommunity,
  formatLargeCommunity,
  mergeAsPath,
  shutdownCommunication,
  tryDecodeMessage,
} from './codec.js';
export type {
  BgpCollector,
  BgpCollectorEvent,
  BgpCollectorOptions,
  BgpObservation,
  BgpPeerObservation,
  BgpPeerSpec,
  BgpStateChange,
} from './collector.js';
export { startBgpCollector } from './collector.js';
export type { ErrorAction } from './errors.js';
export { BgpDecodeError } from './errors.js';
export { BgpFramer } from './framer.js';
export * from './messages.js';
export type {
  BgpNotificationRecord,
  BgpRoute,
  BgpSessionInfo,
  BgpState,
  PeerCapabilities,
  SessionEvent,
  SessionOptions,
  SessionTransport,
  Timers,
} from './session.js';
export { BgpSession, localCapabilities, systemTimers } from './session.js';
