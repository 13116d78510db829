// MetalLB's configured BGPPeers, as the topology names them. Pure; memoized per snapshot.
import { type DiscoveryContext, defineFacts, nameOf, specOf, str } from './context.js';

/** MetalLB's BGPPeers as "address (AS n)". */
export const metallbPeerTexts = defineFacts('metallb-peer-texts', (ctx: DiscoveryContext): string[] =>
  ctx.snapshot.metallb.bgpPeers.map((p) => {
    const spec = specOf(p);
    const addr = str(spec.peerAddress) ?? nameOf(p);
    const asn = spec.peerASN;
    return `${addr}${typeof asn === 'number' ? ` (AS ${asn})` : ''}`;
  }),
);
