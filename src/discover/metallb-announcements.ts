// What MetalLB's speakers report about their announcements (ServiceL2Status: the node
// answering ARP/NDP and its interfaces; ServiceBGPStatus: the node and its peers), and the
// BGP peers it is configured with. MetalLB writes the Service in the status and in labels
// (metallb.io/service-name, -namespace, metallb.io/node): the status wins, the labels fill
// in. Pure; memoized per snapshot.
import type { Custom, Service } from '../model/snapshot.js';
import {
  arr,
  type DiscoveryContext,
  defineFacts,
  labelsOf,
  nameOf,
  nsOf,
  rec,
  specOf,
  statusOf,
  str,
} from './context.js';

export interface AnnouncementStatusFact {
  /** The status object's namespace/name, for citing it. */
  namespace: string;
  name: string;
  serviceName?: string;
  /** Absent when neither the status nor the labels say: then it matches the Service's own namespace. */
  serviceNamespace?: string;
  node?: string;
  /** ServiceL2Status: the interfaces the node answers on. */
  interfaces: string[];
  /** ServiceBGPStatus: the peers the node advertises to. */
  peers: string[];
}

function readStatus(s: Custom): AnnouncementStatusFact {
  const st = statusOf(s);
  const labels = labelsOf(s);
  const serviceName = str(st.serviceName) ?? labels['metallb.io/service-name'];
  const serviceNamespace = str(st.serviceNamespace) ?? labels['metallb.io/service-namespace'];
  const node = str(st.node) ?? labels['metallb.io/node'];
  return {
    namespace: nsOf(s),
    name: nameOf(s),
    ...(serviceName ? { serviceName } : {}),
    ...(serviceNamespace ? { serviceNamespace } : {}),
    ...(node ? { node } : {}),
    interfaces: arr(st.interfaces)
      .map((i) => str(rec(i).name))
      .filter((x): x is string => !!x),
    peers: arr(st.peers).filter((p): p is string => typeof p === 'string'),
  };
}

// One family per kind: a consumer of the L2 statuses reads no BGP object (the analyzers
// declare the kinds they read).
const l2Statuses = defineFacts('metallb-l2-statuses', (ctx: DiscoveryContext) =>
  ctx.snapshot.metallb.serviceL2Statuses.map(readStatus),
);
const bgpStatuses = defineFacts('metallb-bgp-statuses', (ctx: DiscoveryContext) =>
  ctx.snapshot.metallb.serviceBGPStatuses.map(readStatus),
);

/** MetalLB's BGPPeers as "address (AS n)". */
export const metallbPeerTexts = defineFacts('metallb-peer-texts', (ctx: DiscoveryContext): string[] =>
  ctx.snapshot.metallb.bgpPeers.map((p) => {
    const spec = specOf(p);
    const addr = str(spec.peerAddress) ?? nameOf(p);
    const asn = spec.peerASN;
    return `${addr}${typeof asn === 'number' ? ` (AS ${asn})` : ''}`;
  }),
);

/** The statuses MetalLB reports for one Service (L2 or BGP). */
export function announcementStatusesOf(
  ctx: DiscoveryContext,
  kind: 'l2' | 'bgp',
  svc: Service,
): AnnouncementStatusFact[] {
  const ns = nsOf(svc);
  const name = nameOf(svc);
  return (kind === 'l2' ? l2Statuses : bgpStatuses)(ctx).filter(
    (s) => s.serviceName === name && (s.serviceNamespace ?? ns) === ns,
  );
}
