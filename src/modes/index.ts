// The registry of expose modes: for each, pre-flight validation and manifest generation,
// both pure functions of (spec, facts). planExpose runs them in order and never returns
// manifests next to problems: the command turns problems into exit 2 before writing.

import { calicoNodeBackend } from '../discover/calico.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Snapshot, Workload } from '../model/snapshot.js';
import { manifestsBGP, notesBGP, validateBGP } from './bgp.js';
import { exposesThroughCalico, manifestsCalicoBGP, notesCalicoBGP, validateCalicoBGP } from './calico.js';
import { manifestsGateway, notesGateway, validateGateway } from './gateway.js';
import { hostPortClaims, manifestsHostNetwork, notesHostNetwork, validateHostNetwork } from './hostnetwork.js';
import { manifestsIngress, notesIngress, validateIngress } from './ingress.js';
import { manifestsL2, notesL2, validateL2 } from './l2.js';
import { manifestsNodePort, notesNodePort, validateNodePort } from './nodeport.js';
import {
  DEFAULT_NODE_PORT_RANGE,
  type ExposeFacts,
  type ExposeMode,
  type ExposePlan,
  type ExposeSpec,
  isExposeMode,
  type Problem,
} from './spec.js';

export interface ModeImpl {
  /** Pre-flight checks; an empty list means manifests() may be applied. */
  validate(spec: ExposeSpec, facts: ExposeFacts): Problem[];
  /** The objects to apply (server-side apply, field manager exposectl), in apply order. */
  manifests(spec: ExposeSpec, facts: ExposeFacts): KubeObject[];
  /** What the user should know that does not stop the exposure. */
  notes(spec: ExposeSpec, facts: ExposeFacts): string[];
}

export const MODES_REGISTRY: Record<ExposeMode, ModeImpl> = {
  nodeport: { validate: validateNodePort, manifests: manifestsNodePort, notes: notesNodePort },
  ingress: { validate: validateIngress, manifests: manifestsIngress, notes: notesIngress },
  l2: { validate: validateL2, manifests: manifestsL2, notes: notesL2 },
  bgp: {
    validate: (s, f) => (exposesThroughCalico(f) ? validateCalicoBGP(s, f) : validateBGP(s, f)),
    manifests: (s, f) => (exposesThroughCalico(f) ? manifestsCalicoBGP(s, f) : manifestsBGP(s, f)),
    notes: (s, f) => (exposesThroughCalico(f) ? notesCalicoBGP(s, f) : notesBGP(s, f)),
  },
  hostnetwork: { validate: validateHostNetwork, manifests: manifestsHostNetwork, notes: notesHostNetwork },
  gateway: { validate: validateGateway, manifests: manifestsGateway, notes: notesGateway },
};

/** Validate, then generate: manifests only when there is no problem. */
export function planExpose(spec: ExposeSpec, facts: ExposeFacts = {}): ExposePlan {
  if (!isExposeMode(spec.mode)) {
    return {
      problems: [
        {
          field: 'mode',
          message: `unknown mode ${String(spec.mode)} (modes: ${Object.keys(MODES_REGISTRY).join(', ')})`,
        },
      ],
      manifests: [],
      notes: [],
    };
  }
  const impl = MODES_REGISTRY[spec.mode];
  const problems = dedupe(impl.validate(spec, facts));
  if (problems.length > 0) return { problems, manifests: [], notes: [] };
  return { problems: [], manifests: impl.manifests(spec, facts), notes: [...new Set(impl.notes(spec, facts))] };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.field}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Does a workload bind ports on its nodes (hostNetwork or hostPort)? */
export function isHostWorkload(w: Workload): boolean {
  return hostPortClaims(w).length > 0;
}

/**
 * The facts of a live cluster's snapshot (every list known). For `--dry-run=client -f`
 * without a cluster, pass `{}` (or only what the files hold) instead: unknown facts skip
 * their checks rather than failing them.
 */
export function factsFromSnapshot(snapshot: Snapshot, nodePortRange = DEFAULT_NODE_PORT_RANGE): ExposeFacts {
  return {
    services: snapshot.services,
    nodes: snapshot.nodes,
    ingressClasses: snapshot.ingressClasses,
    secrets: snapshot.secrets,
    gatewayClasses: snapshot.gatewayClasses,
    gateways: snapshot.gateways,
    pools: snapshot.metallb.ipAddressPools,
    l2Advertisements: snapshot.metallb.l2Advertisements,
    bgpAdvertisements: snapshot.metallb.bgpAdvertisements,
    bgpPeers: snapshot.metallb.bgpPeers,
    hostWorkloads: snapshot.workloads.filter(isHostWorkload),
    calico: {
      running:
        snapshot.workloads.some((w) => calicoNodeBackend(w) === 'bird') ||
        snapshot.calico.bgpConfigurations.length > 0 ||
        snapshot.calico.bgpPeers.length > 0,
      bgpConfigurations: snapshot.calico.bgpConfigurations,
      ipPools: snapshot.calico.ipPools,
    },
    nodePortRange: { ...nodePortRange },
  };
}

export { fitName, names } from './common.js';
export { type GatewayConfigInput, type GatewayListener, haproxyConfig } from './haproxy-config.js';
export { gatewayConfigInput } from './hostnetwork.js';
export { nginxConfig } from './nginx-config.js';
export { optionProblems } from './options.js';
export {
  FIELD_MANAGER,
  IN_PLACE_ANNOTATION,
  isOwnedByExposectl,
  isOwnedFor,
  isSharedPatch,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  MODE_LABEL,
  ownedFor,
  planUnexpose,
  SERVICE_LABEL,
  SERVICE_NAMESPACE_LABEL,
  takeoverProblems,
  type UnexposeContext,
  type UnexposePlan,
} from './ownership.js';
export * from './spec.js';
