// Mode bgp through Calico, when Calico's BGP is what the cluster runs (calico-node with
// the bird backend, or Calico's BGPConfiguration/BGPPeer, and no MetalLB pool): instead
// of MetalLB objects,
//   1. an IPPool owned by exposectl with allowedUses [LoadBalancer] for --addresses, from
//      which Calico's kube-controllers assign the Service's address (Calico 3.29+), or the
//      existing Calico pool named by --pool;
//   2. the CIDR added to spec.serviceLoadBalancerIPs of the shared BGPConfiguration
//      `default` when it is not there yet (created when there is none). That list is
//      atomic in Calico's CRD, so it is never applied: a JSON patch guarded by the
//      resourceVersion appends only the missing entries and records them in an annotation
//      (calico-config.ts); the manifest in the plan is the object as it will be;
//   3. the LoadBalancer Service (as every LB mode publishes it), annotated with the ranges
//      it needs, so unexpose knows which entries another Service still needs, and removes
//      only entries exposectl added that no other exposure needs.
// Pure: validate/manifests/notes of (spec, facts).
import type { KubeObject } from '../model/kube-object.js';
import { commonProblems, meta, publishedService, svcName, svcNamespace } from './common.js';
import { isOwnedByExposectl } from './ownership.js';
import type { ExposeFacts, ExposeSpec, Problem } from './spec.js';

export type { CalicoFacts } from './spec.js';

import { parseRange, rangeContains } from '../discover/ip.js';
import { kubeProxyStickyNote } from './sticky.js';

export { CALICO_API, CALICO_DEFAULT_CONFIG } from '../discover/calico.js';

import { CALICO_API, CALICO_DEFAULT_CONFIG } from '../discover/calico.js';
import { CALICO_ADDED_ANNOTATION, calicoAddRanges } from './calico-config.js';

export {
  CALICO_ADDED_ANNOTATION,
  type CalicoConfigChange,
  calicoAddedRanges,
  calicoAddRanges,
  calicoRemoveRanges,
  type JsonPatchOp,
} from './calico-config.js';
/** On the published Service: the ranges of serviceLoadBalancerIPs it needs (comma-separated CIDRs). */
export const CALICO_RANGES_ANNOTATION = 'exposectl.dev/calico-service-lb-ips';
/** Calico's IPAM annotation on a LoadBalancer Service: the pools to assign from. */
export const CALICO_IPV4_POOLS_ANNOTATION = 'projectcalico.org/ipv4pools';
export const CALICO_IPV6_POOLS_ANNOTATION = 'projectcalico.org/ipv6pools';

/** The facts of Calico expose reads (undefined fields: not known). */

/** Does `expose --mode bgp` go through Calico? Calico's BGP runs and MetalLB has no pool. */
export function exposesThroughCalico(facts: ExposeFacts): boolean {
  return !!facts.calico?.running && (facts.pools ?? []).length === 0;
}

const poolName = (spec: ExposeSpec) => `exposectl-${svcNamespace(spec)}-${svcName(spec)}`.slice(0, 253);

/** A range given as a CIDR (Calico's IPPool and serviceLoadBalancerIPs take CIDRs, not a-b ranges). */
function cidrProblem(text: string): string | undefined {
  if (!text.includes('/'))
    return `${text} is not a CIDR: Calico's IPPool and serviceLoadBalancerIPs take CIDRs (e.g. 198.51.100.0/28, or ${text}/32)`;
  return parseRange(text) ? undefined : `${text} is not a CIDR`;
}

/** The CIDRs the Service's address comes from: --addresses, else the --pool's cidr. */
function rangesOf(spec: ExposeSpec, facts: ExposeFacts): string[] {
  if (spec.addresses && spec.addresses.length > 0) return [...spec.addresses];
  const pool = (facts.calico?.ipPools ?? []).find((p) => p.metadata.name === spec.pool);
  const cidr = pool?.spec?.cidr;
  return typeof cidr === 'string' ? [cidr] : [];
}

export function validateCalicoBGP(spec: ExposeSpec, facts: ExposeFacts): Problem[] {
  const problems = [...commonProblems(spec)];
  for (const [field, value] of [
    ['peer', spec.peer],
    ['communities', spec.communities?.length ? spec.communities : undefined],
    ['localPref', spec.localPref],
    ['aggregationLength', spec.aggregationLength],
    ['shareIP', spec.shareIP],
  ] as const) {
    if (value !== undefined)
      problems.push({
        field,
        message: `Calico runs BGP here: ${field} is MetalLB's; Calico's peers are its BGPPeer objects (crd.projectcalico.org/v1) and its ranges the default BGPConfiguration`,
      });
  }
  if (spec.addresses && spec.addresses.length > 0) {
    for (const a of spec.addresses) {
      const p = cidrProblem(a);
      if (p) problems.push({ field: 'addresses', message: p });
    }
    if (spec.pool !== undefined) problems.push({ field: 'pool', message: 'give --addresses or --pool, not both' });
  } else if (spec.pool !== undefined) {
    const pool = (facts.calico?.ipPools ?? []).find((p) => p.metadata.name === spec.pool);
    if (!pool)
      problems.push({
        field: 'pool',
        message: `no Calico IPPool ${spec.pool}${facts.calico?.ipPools ? ` (pools: ${facts.calico.ipPools.map((p) => p.metadata.name).join(', ') || 'none'})` : ''}`,
      });
    else if (!((pool.spec?.allowedUses as string[] | undefined) ?? []).includes('LoadBalancer')) {
      problems.push({
        field: 'pool',
        message: `Calico IPPool ${spec.pool} does not have LoadBalancer in spec.allowedUses: Calico assigns no Service address from it`,
      });
    }
  } else {
    problems.push({
      field: 'addresses',
      message:
        'Calico runs BGP here: give --addresses CIDR (an IPPool for LoadBalancer addresses is created and the range advertised) or --pool NAME (an existing Calico IPPool with allowedUses LoadBalancer)',
    });
  }
  if (
    spec.ip !== undefined &&
    !rangesOf(spec, facts).some((c) => {
      const r = parseRange(c);
      return !!r && rangeContains(r, spec.ip!);
    })
  ) {
    problems.push({ field: 'ip', message: `${spec.ip} is not in ${rangesOf(spec, facts).join(', ') || 'the pool'}` });
  }
  return problems;
}

/** The ranges exposectl's published Services need (but the one of `except`). */
export function calicoRangesInUse(
  services: readonly KubeObject[],
  except?: { namespace: string; name: string },
): string[] {
  const out = new Set<string>();
  for (const s of services) {
    if (!isOwnedByExposectl(s)) continue;
    if (
      except &&
      s.metadata.namespace === except.namespace &&
      s.metadata.labels?.['exposectl.dev/service'] === except.name
    )
      continue;
    for (const c of (s.metadata.annotations?.[CALICO_RANGES_ANNOTATION] ?? '').split(','))
      if (c.trim()) out.add(c.trim());
  }
  return [...out];
}

export function manifestsCalicoBGP(spec: ExposeSpec, facts: ExposeFacts): KubeObject[] {
  const ranges = rangesOf(spec, facts);
  const out: KubeObject[] = [];
  const v6 = ranges.some((c) => c.includes(':'));
  let pool = spec.pool;
  if (spec.addresses && spec.addresses.length > 0) {
    pool = poolName(spec);
    // One pool per CIDR would be Calico's shape; one CIDR is what --addresses takes here.
    out.push({
      apiVersion: CALICO_API,
      kind: 'IPPool',
      metadata: clusterScoped(meta(spec, pool)),
      spec: { cidr: ranges[0], allowedUses: ['LoadBalancer'], assignmentMode: 'Automatic', disabled: false },
    });
  }
  // The object as the change leaves it (the command re-reads it and patches the live one).
  out.push(asPlanned(calicoAddRanges(currentConfig(facts), ranges).result!));
  const annotations: Record<string, string> = { [CALICO_RANGES_ANNOTATION]: ranges.join(',') };
  if (pool) annotations[v6 ? CALICO_IPV6_POOLS_ANNOTATION : CALICO_IPV4_POOLS_ANNOTATION] = JSON.stringify([pool]);
  const svc = publishedService(spec, { type: 'LoadBalancer', annotations });
  if (spec.ip !== undefined) (svc.spec as Record<string, unknown>).loadBalancerIP = spec.ip;
  out.push(svc);
  return out;
}

export function notesCalicoBGP(spec: ExposeSpec, facts: ExposeFacts): string[] {
  const notes = [
    `through Calico: adds ${rangesOf(spec, facts).join(', ')} to serviceLoadBalancerIPs of BGPConfiguration ${CALICO_DEFAULT_CONFIG} unless listed already (a JSON patch of only the missing entries, guarded by the resourceVersion; annotation ${CALICO_ADDED_ANNOTATION} records what exposectl added, and unexpose removes only that)`,
  ];
  if (facts.calico && !currentConfig(facts))
    notes.push(
      `there is no BGPConfiguration ${CALICO_DEFAULT_CONFIG}: it is created with only serviceLoadBalancerIPs (Calico's defaults for the rest: AS 64512, node-to-node mesh on)`,
    );
  if (spec.preserveSourceIP)
    notes.push('externalTrafficPolicy Local: Calico advertises the /32 only from nodes with a ready endpoint');
  else notes.push('externalTrafficPolicy Cluster: every node advertises the range; nodes SNAT what they forward');
  const sticky = kubeProxyStickyNote(spec);
  if (sticky) notes.push(sticky);
  return notes;
}

function clusterScoped(m: KubeObject['metadata']): KubeObject['metadata'] {
  const { namespace: _, ...rest } = m;
  return rest;
}

/** The default BGPConfiguration of the facts (the last one read wins, as in discover). */
function currentConfig(facts: ExposeFacts): KubeObject | undefined {
  return (facts.calico?.bgpConfigurations ?? []).filter((c) => c.metadata.name === CALICO_DEFAULT_CONFIG).at(-1);
}

/** The planned object without what the server sets (uid, resourceVersion, managedFields, ...). */
function asPlanned(obj: KubeObject): KubeObject {
  const { name, labels, annotations } = obj.metadata;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: { name, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    ...(obj.spec ? { spec: obj.spec } : {}),
  };
}

/** The ranges a plan's published Service needs (its CALICO_RANGES_ANNOTATION): what expose adds. */
export function calicoWantedRanges(manifests: readonly KubeObject[]): string[] {
  const svc = manifests.find((m) => m.kind === 'Service' && m.metadata.annotations?.[CALICO_RANGES_ANNOTATION]);
  return (svc?.metadata.annotations?.[CALICO_RANGES_ANNOTATION] ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}

/**
 * On unexpose: the ranges of the deleted published Service that no other exposectl
 * Service needs. Only those exposectl added are then removed (calicoRemoveRanges).
 */
export function calicoRangesToRelease(
  deleted: readonly KubeObject[],
  services: readonly KubeObject[],
  target: { namespace: string; name: string },
): string[] {
  const inUse = new Set(calicoRangesInUse(services, target).map((c) => c.toLowerCase()));
  return calicoWantedRanges(deleted).filter((c) => !inUse.has(c.toLowerCase()));
}
