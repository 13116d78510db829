// The ARP probe's public API: ask who answers for an address, watch it, map MACs to
// nodes. The judgement is src/analyzers/probe-arp.ts.

export type { ArpProbeErrorKind } from './errors.js';
export { ArpProbeError } from './errors.js';
export type { Announcer, NodeAddress, NodeMac } from './nodes.js';
export {
  announcerOf,
  KUBE_VIP_HOST,
  KUBE_VIP_HWADDR,
  mapMacsToNodes,
  nodeIPv4Addresses,
  serviceArpAddress,
  toArpObservation,
} from './nodes.js';
export { arpingFlavor, classifyArpingError, parseArpingLine, parseArpingOutput, parseTcpdumpArpLine } from './parse.js';
export type { ArpProbeOptions, ArpProbeResult, ArpReply } from './run.js';
export { arpingCommand, DEFAULT_COUNT, DEFAULT_TIMEOUT_MS, detectArping, probeArp, resolveNodeMacs } from './run.js';
export { normalizeMac, validateInterface, validateIPv4, validateNetns } from './validate.js';
export type { ArpFailover, ArpRound, ArpWatchEvent, ArpWatchOptions, ArpWatchSummary } from './watch.js';
export { ArpWatchTracker, gratuitousFilter, watchArp } from './watch.js';
