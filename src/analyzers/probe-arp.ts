// Judgement over one ARP observation (the ARP probe only observes): arp/no-reply,
// arp/multiple-replies and arp/holder-mismatch (the contract's codes). Pure; the arp
// analyzer (probes.ts) and the `probe arp` action both judge with it.

import type { Finding } from '../model/finding.js';
import type { ObjectRef } from '../model/kube-object.js';
import type { ArpObservation } from '../model/probe-facts.js';
import { finding } from './codes.js';

export interface ArpFindingContext {
  /** What the findings are about: the Service, or `{kind: 'IPAddress', namespace: null, name: ip}`. */
  subject: ObjectRef;
  /** The implementation that announces the address (metallb, kube-vip, ...), for the messages. */
  implementation?: string | null;
  /** externalTrafficPolicy Local: a wrong holder may have no local endpoint. */
  localPolicy?: boolean;
  /**
   * How the cluster announces the address: in BGP mode nobody is expected to answer ARP
   * for it (routers route it), so silence is no finding; an answer still is a conflict.
   */
  mode?: 'l2' | 'bgp' | 'loadbalancer';
}

/** The subject of findings about a bare address (`probe arp --ip`). */
export function addressSubject(ip: string): ObjectRef {
  return { kind: 'IPAddress', namespace: null, name: ip };
}

export function arpFindings(o: ArpObservation, c: ArpFindingContext): Finding[] {
  const macs = [...new Set(o.macs.map((m) => m.toLowerCase()))].sort();
  const who = (m: string) => (o.nodeOfMac[m] ? `${m} (node ${o.nodeOfMac[m]})` : `${m} (no known node)`);
  const ann = c.implementation ?? 'the announcer';
  if (macs.length === 0) {
    if (c.mode === 'bgp') return [];
    return [
      finding(
        'arp/no-reply',
        c.subject,
        `Nobody answered ${o.requests} ARP request(s) for ${o.ip} on ${o.interface} within ${o.durationMs} ms: clients on this segment cannot reach the address.`,
        `Check that ${ann} runs on a node attached to this segment and announces ${o.ip} (MetalLB: an L2Advertisement that selects the pool, with nodeSelectors and interfaces matching that node; kubectl logs of the speaker), that ${o.ip} is inside the segment's subnet, and that ${o.interface} is the interface on that segment.`,
      ),
    ];
  }
  if (macs.length > 1) {
    return [
      finding(
        'arp/multiple-replies',
        c.subject,
        `${macs.length} MACs answered ARP for ${o.ip} on ${o.interface}: ${macs.map(who).join(', ')}: clients' ARP caches flip between them and connections break.`,
        `Keep one announcer for ${o.ip}: remove the address from the other hosts (a static address, a second MetalLB or kube-vip, another cluster), and keep the address pools of different systems disjoint.`,
      ),
    ];
  }
  const mac = macs[0]!;
  const node = o.nodeOfMac[mac];
  if (o.expectedHolder && node !== o.expectedHolder) {
    return [
      finding(
        'arp/holder-mismatch',
        c.subject,
        `${o.ip} is answered by ${who(mac)}, but ${ann} reports node ${o.expectedHolder} as its announcer: traffic goes to ${node ? `node ${node}` : 'an unknown host'}${c.localPolicy ? ', which may have no local endpoint (externalTrafficPolicy Local)' : ''}.`,
        `Find the host with MAC ${mac}${node ? ` (node ${node})` : " (ip neigh on a host of the segment, the switch's MAC table)"}; if it is a stale holder (a former leader, a host with the address configured), remove the address there or restart its announcer; check that the speakers see the nodes' MACs as the probe does.`,
      ),
    ];
  }
  return [];
}
