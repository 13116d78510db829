// What the snapshot (or a fresh read) says about one Pod: where it runs, its address, its
// phase and readiness. The topology, the source-ip probe and the analyzers read Pods
// through these facts. Pure; memoized per snapshot.
import type { Pod } from '../model/snapshot.js';
import { type DiscoveryContext, defineFacts, nameOf, nsOf, rec, str } from './context.js';
import { conditionTrue } from './object-status.js';

export interface PodFact {
  namespace: string;
  name: string;
  nodeName?: string;
  podIP?: string;
  phase?: string;
  /** The object carries a status (a live Pod; manifests have none). */
  hasStatus: boolean;
  /** Ready condition True; undefined when the Pod carries no status. */
  ready?: boolean;
}

/** Reads one Pod (also one read live, outside any snapshot). */
export function readPod(pod: { metadata?: unknown; spec?: unknown; status?: unknown }): PodFact {
  const status = rec(pod.status);
  const hasStatus = Object.keys(status).length > 0;
  const nodeName = str(rec(pod.spec).nodeName);
  const podIP = str(status.podIP);
  const phase = str(status.phase);
  return {
    namespace: nsOf(pod),
    name: nameOf(pod),
    ...(nodeName ? { nodeName } : {}),
    ...(podIP ? { podIP } : {}),
    ...(phase ? { phase } : {}),
    hasStatus,
    ...(hasStatus ? { ready: conditionTrue(pod, 'Ready') } : {}),
  };
}

const perPod = defineFacts('pods', () => new Map<Pod, PodFact>());

/** The facts of one Pod of the snapshot. */
export function podFact(ctx: DiscoveryContext, pod: Pod): PodFact {
  const memo = perPod(ctx);
  let f = memo.get(pod);
  if (!f) memo.set(pod, (f = readPod(pod)));
  return f;
}
