// The ARP probe's public API: ask who answers for an address, watch it, map MACs to
// nodes. The judgement is src/analyzers/probe-arp.ts.
export { probeArp, detectArping, arpingCommand, resolveNodeMacs, DEFAULT_COUNT, DEFAULT_TIMEOUT_MS } from './run.js';
export type { ArpProbeOptions, ArpProbeResult, ArpReply } from './run.js';
export { watchArp, ArpWatchTracker, gratuitousFilter } from './watch.js';
export type { ArpWatchEvent, ArpWatchOptions, ArpWatchSummary, ArpFailover, ArpRound } from './watch.js';
export { announcerOf, mapMacsToNodes, nodeIPv4Addresses, serviceArpAddress, toArpObservation, KUBE_VIP_HOST, KUBE_VIP_HWADDR } from './nodes.js';
export type { Announcer, NodeAddress, NodeMac } from './nodes.js';
export { parseArpingLine, parseArpingOutput, parseTcpdumpArpLine, arpingFlavor, classifyArpingError } from './parse.js';
export { validateIPv4, validateInterface, validateNetns, normalizeMac } from './validate.js';
export { ArpProbeError } from './errors.js';
export type { ArpProbeErrorKind } from './errors.js';
export { buildArpReport, renderArpReport, renderWatchEvent, renderWatchSummary } from './report.js';
export type { ArpProbeReport, ArpWatchReport } from './report.js';
