// Who should answer and who did: the node the implementation reports as announcer
// (MetalLB ServiceL2Status, kube-vip's vipHost), the MAC it reports where it does
// (kube-vip's hwaddr), the IPv4 addresses of the nodes (the probe asks them for their
// MACs), and the mapping of each answering MAC to a node. Pure.
import { reportedAnnouncer } from '../../discover/announcers.js';
import type { DiscoveryContext } from '../../discover/context.js';
import { loadBalancerAddresses } from '../../discover/implementation.js';
import type { ArpObservation } from '../../model/probe-facts.js';
import type { Service } from '../../model/snapshot.js';
import type { ArpProbeResult } from './run.js';
import { normalizeMac } from './validate.js';

export interface Announcer {
  implementation: 'metallb' | 'cilium' | 'kube-vip' | null;
  /** The node the implementation reports as the holder of the address, when it reports one. */
  node: string | null;
  /** The MAC the implementation reports for the address, when it reports one. */
  mac: string | null;
  /** Where `node`/`mac` come from (e.g. "ServiceL2Status metallb-system/l2-abc"). */
  source: string | null;
}

export { KUBE_VIP_HOST, KUBE_VIP_HWADDR } from '../../discover/announcers.js';

/** The announcer the cluster reports for a LoadBalancer Service (src/discover/announcers.ts), its MAC normalized. */
export function announcerOf(ctx: DiscoveryContext, svc: Service): Announcer {
  const a = reportedAnnouncer(ctx, svc);
  return { ...a, mac: a.mac === null ? null : normalizeMac(a.mac) };
}

/** The IPv4 address the probe asks for: the Service's first assigned IPv4 LoadBalancer address. */
export function serviceArpAddress(svc: Service): string | undefined {
  const { assigned } = loadBalancerAddresses(svc);
  return assigned.find((a) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a));
}

export { type NodeAddress, nodeIPv4Addresses } from '../../discover/nodes.js';

export interface NodeMac {
  node: string;
  address: string;
  /** The MACs that answered ARP for the node's address (usually one); empty when none did. */
  macs: string[];
}

/**
 * MAC -> node name, for the answering MACs that belong to a node: a node whose own
 * address is answered by that MAC, else the announcer node when the implementation
 * reports that MAC. A MAC that two nodes claim (a router answering proxy ARP) is left out.
 */
export function mapMacsToNodes(
  answering: readonly string[],
  nodeMacs: readonly NodeMac[],
  announcer?: Announcer,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of answering) {
    const mac = normalizeMac(raw) ?? raw.toLowerCase();
    const owners = [...new Set(nodeMacs.filter((n) => n.macs.includes(mac)).map((n) => n.node))];
    if (owners.length === 1) out[mac] = owners[0]!;
    else if (owners.length === 0 && announcer?.mac === mac && announcer.node) out[mac] = announcer.node;
  }
  return out;
}

/** The analyzers' fact (src/model/probe-facts.ts) from one probe and its mapping. */
export function toArpObservation(
  r: ArpProbeResult,
  m: {
    nodeOfMac: Record<string, string>;
    expectedHolder?: string | null;
    service?: { namespace: string; name: string };
    at?: Date;
  },
): ArpObservation {
  return {
    ip: r.ip,
    interface: r.interface,
    ...(m.service ? { service: m.service } : {}),
    macs: r.replies.map((x) => x.mac),
    nodeOfMac: m.nodeOfMac,
    ...(m.expectedHolder ? { expectedHolder: m.expectedHolder } : {}),
    requests: r.requests,
    durationMs: r.durationMs,
    at: (m.at ?? new Date(Date.parse(r.startedAt) + r.durationMs)).toISOString(),
  };
}
