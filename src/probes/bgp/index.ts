// The BGP probe's public API: start a passive collector, snapshot what it saw, compare it
// with the cluster. The codec, framer and session are exported for tools and tests.
export { startBgpCollector } from './collector.js';
export type { BgpCollector, BgpCollectorOptions, BgpCollectorEvent, BgpObservation, BgpPeerObservation, BgpPeerSpec, BgpStateChange } from './collector.js';
export { compareBgp } from './compare.js';
export type { BgpExpectations } from './compare.js';
export { BgpSession, systemTimers, localCapabilities } from './session.js';
export type { BgpRoute, BgpState, BgpSessionInfo, BgpNotificationRecord, PeerCapabilities, SessionEvent, SessionOptions, SessionTransport, Timers } from './session.js';
export { decodeMessage, tryDecodeMessage, encodeMessage, checkHeader, mergeAsPath, formatAsPath, formatCommunity, formatLargeCommunity, shutdownCommunication, encodeRawAttribute } from './codec.js';
export type { CodecOptions, DecodedMessage } from './codec.js';
export { BgpFramer } from './framer.js';
export { BgpDecodeError } from './errors.js';
export type { ErrorAction } from './errors.js';
export * from './messages.js';
