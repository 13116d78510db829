// What a source-IP probe proved, shared by the probe's report and the analyzer that names
// the hop (which may not import the probe). Pure.
import type { SourceIpProbe } from './probe-facts.js';

export type SourceIpVerdict = 'preserved' | 'lost' | 'failed';

/** Whether the request went through an L7 proxy (Ingress, HTTPRoute): its TCP peer is the proxy, the header tells. */
export function isL7Probe(p: SourceIpProbe): boolean {
  return p.forwardedFor !== undefined;
}

/**
 * The client address as the Pod can know it: on an L7 path the forwarded header's (the TCP
 * peer is always the proxy there), else the PROXY protocol header's, else the TCP peer.
 */
export function addressSeen(p: SourceIpProbe): string | null {
  if (p.seenAddress === null) return null;
  if (isL7Probe(p)) return p.forwardedFor ?? null;
  return p.proxyProtocolAddress ?? p.seenAddress;
}

export function sourceIpVerdict(p: SourceIpProbe): SourceIpVerdict {
  if (p.seenAddress === null) return 'failed';
  return addressSeen(p) === p.clientAddress ? 'preserved' : 'lost';
}
