// What Cilium's agents write about their BGP sessions: a CiliumBGPNodeConfig per node
// (cilium.io/v2, v2alpha1; named after the node) whose status.bgpInstances[].peers[]
// give each peer's address and ASN, peeringState (BGP FSM: idle, connect, active,
// opensent, openconfirm, established), and routesAdvertised/routesReceived. Typed, once
// per snapshot. Pure.
import { arr, defineFacts, int, nameOf, rec, statusOf, str } from './context.js';

export interface CiliumBgpPeerState {
  /** "CiliumBGPNodeConfig node-1", for citing. */
  ref: string;
  node: string;
  instance: string;
  peer: string;
  peerAddress: string | undefined;
  peerASN: number | undefined;
  /** As written, lower-cased (absent when the agent has not reported yet). */
  peeringState: string | undefined;
  routesAdvertised: number | undefined;
  routesReceived: number | undefined;
}

/** Every peer of every BGP instance Cilium's agents report on, in input order. */
export const ciliumBgpPeerStates = defineFacts('cilium-bgp-status', (ctx): CiliumBgpPeerState[] =>
  ctx.snapshot.cilium.bgpNodeConfigs.flatMap((o) =>
    arr(statusOf(o).bgpInstances)
      .map(rec)
      .flatMap((inst) =>
        arr(inst.peers)
          .map(rec)
          .map((p) => ({
            ref: `CiliumBGPNodeConfig ${nameOf(o)}`,
            node: nameOf(o),
            instance: str(inst.name) ?? '',
            peer: str(p.name) ?? str(p.peerAddress) ?? '',
            peerAddress: str(p.peerAddress),
            peerASN: int(p.peerASN),
            peeringState: str(p.peeringState)?.toLowerCase(),
            routesAdvertised: int(p.routesAdvertised),
            routesReceived: int(p.routesReceived),
          })),
      ),
  ),
);

/** A session the agent reports as not established (a reported state other than established). */
export function peerDown(p: CiliumBgpPeerState): boolean {
  return p.peeringState !== undefined && p.peeringState !== 'established';
}
