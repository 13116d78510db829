// Mode bgp: a LoadBalancer Service whose address MetalLB announces over BGP: the pool
// (reused or created), a BGPAdvertisement (communities, local preference, aggregation
// length) and a BGPPeer (reused when one with the same address exists).

import { parseIP as parseAddress, rangeToCidrs } from '../discover/ip.js';
import { advertisementSelectsPool as advertisementCovers } from '../discover/metallb.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Custom } from '../model/snapshot.js';
import { commonProblems, meta, names, svcName, svcNamespace } from './common.js';
import { nodeSelectorProblems } from './l2.js';
import {
  advertisement,
  isValidASN,
  isValidCommunity,
  loadBalancerObjects,
  MAX_ASN,
  METALLB_PEER_API,
  nodeSelectorsField,
} from './metallb.js';
import { type LBPlan, planLoadBalancer, poolRangesOf as poolRanges } from './metallb-plan.js';
import { isOwnedFor } from './ownership.js';
import {
  type ExposeFacts,
  type ExposeOptions,
  type ExposeSpec,
  type Labels,
  METALLB_NAMESPACE,
  type Problem,
} from './spec.js';
import { kubeProxyStickyNote } from './sticky.js';

/**
 * The existing BGPPeer with the same address that this exposure reuses, if any. exposectl's
 * own peer for this very Service (an earlier run) is not "existing": it is generated again,
 * so re-running expose gives the same objects.
 */
export function existingPeer(spec: ExposeSpec, facts: ExposeFacts): Custom | undefined {
  if (spec.peer === undefined) return undefined;
  const want = parseAddress(spec.peer)?.toNormalizedString();
  return (facts.bgpPeers ?? []).find((p) => {
    const addr = p.spec?.peerAddress;
    return (
      typeof addr === 'string' &&
      parseAddress(addr)?.toNormalizedString() === want &&
      !isOwnedFor(p, svcName(spec), svcNamespace(spec))
    );
  });
}

/** BGP values alone: communities, local preference, ASNs, the peer's address (no Service or cluster needed). */
export function bgpOptionProblems(spec: ExposeOptions): Problem[] {
  const problems = nodeSelectorProblems(spec);
  for (const c of spec.communities ?? []) {
    // Without a colon MetalLB reads the name of a Community resource (an alias).
    if (c.includes(':') ? !isValidCommunity(c) : !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(c)) {
      problems.push({
        field: 'communities',
        message: `"${c}" is not a BGP community (write 65000:100, each half 0..65535, large:A:B:C, or the name of a Community alias)`,
      });
    }
  }
  if (
    spec.localPref !== undefined &&
    !(Number.isInteger(spec.localPref) && spec.localPref >= 0 && spec.localPref <= MAX_ASN)
  ) {
    problems.push({
      field: 'localPref',
      message: `local preference must be an integer in 0..${MAX_ASN}, got ${spec.localPref}`,
    });
  }
  for (const [field, value] of [
    ['peerASN', spec.peerASN],
    ['myASN', spec.myASN],
  ] as const) {
    if (value !== undefined && !isValidASN(value))
      problems.push({ field, message: `${field} must be an integer in 1..${MAX_ASN}, got ${value}` });
  }
  if (spec.peer !== undefined && !parseAddress(spec.peer))
    problems.push({ field: 'peer', message: `${spec.peer} is not an IP address` });
  if (spec.peer === undefined && (spec.peerASN !== undefined || spec.myASN !== undefined)) {
    problems.push({ field: 'peer', message: '--peer-asn and --my-asn describe a peer: give --peer too' });
  }
  return problems;
}

export function validateBGP(spec: ExposeSpec, facts: ExposeFacts): Problem[] {
  const problems = [...commonProblems(spec), ...bgpOptionProblems(spec)];

  // The peer: a new one needs both ASNs; an existing one must agree with them.
  if (spec.peer !== undefined) {
    if (parseAddress(spec.peer)) {
      const found = existingPeer(spec, facts);
      if (found) {
        for (const [field, key] of [
          ['peerASN', 'peerASN'],
          ['myASN', 'myASN'],
        ] as const) {
          const have = found.spec?.[key];
          if (spec[field] !== undefined && have !== undefined && have !== spec[field]) {
            problems.push({
              field,
              message: `BGPPeer ${found.metadata.name} for ${spec.peer} already exists with ${key} ${String(have)}, not ${spec[field]}`,
            });
          }
        }
      } else {
        if (spec.peerASN === undefined)
          problems.push({ field: 'peerASN', message: `a new BGP peer ${spec.peer} needs --peer-asn` });
        if (spec.myASN === undefined)
          problems.push({ field: 'myASN', message: `a new BGP peer ${spec.peer} needs --my-asn` });
      }
    }
  } else {
    if (facts.bgpPeers !== undefined && facts.bgpPeers.length === 0) {
      problems.push({ field: 'peer', message: 'no BGPPeer exists: give --peer, --peer-asn and --my-asn' });
    }
  }
  if (problems.some((p) => p.field === 'service')) return problems;

  const plan = planLoadBalancer(spec, facts);
  problems.push(...plan.problems);

  // Aggregation length: within the family, and not shorter than any CIDR of the pool
  // (MetalLB refuses a pool prefix more specific than the aggregation length).
  if (spec.aggregationLength !== undefined) {
    const ranges = plan.pool ? poolRanges(plan.pool) : [];
    const family = ranges[0]?.family ?? 4;
    const max = family === 4 ? 32 : 128;
    if (!Number.isInteger(spec.aggregationLength) || spec.aggregationLength < 0 || spec.aggregationLength > max) {
      problems.push({
        field: 'aggregationLength',
        message: `aggregation length must be an integer in 0..${max} for ${family === 4 ? 'IPv4' : 'IPv6'}, got ${spec.aggregationLength}`,
      });
    } else {
      if (new Set(ranges.map((r) => r.family)).size > 1) {
        problems.push({
          field: 'aggregationLength',
          message: `pool ${plan.poolName} mixes IPv4 and IPv6: one aggregation length cannot serve both`,
        });
      }
      // MetalLB (validateBGPAdvPerPool): per pool entry, the least specific of its CIDRs
      // must not be more specific than the aggregation length.
      for (const r of ranges) {
        const lowest = Math.min(...rangeToCidrs(r).map((c) => c.prefix));
        if (spec.aggregationLength < lowest) {
          problems.push({
            field: 'aggregationLength',
            message: `aggregation length ${spec.aggregationLength} is shorter than prefix /${lowest} of pool entry ${r.text}: MetalLB refuses it (use ${lowest} or more)`,
          });
          break;
        }
      }
    }
  }
  // MetalLB refuses two advertisements of one pool that set different local preferences
  // for the same BGP update (same aggregation length, common peers, common nodes).
  if (spec.localPref !== undefined && plan.pool && plan.advertise) {
    const v6 = poolRanges(plan.pool)[0]?.family === 6;
    const aggKey = v6 ? 'aggregationLengthV6' : 'aggregationLength';
    const ourAgg = spec.aggregationLength ?? (v6 ? 128 : 32);
    const found = existingPeer(spec, facts);
    const ourPeers = spec.peer === undefined ? [] : [found ? found.metadata.name! : names.bgpPeer(spec.peer)];
    for (const ad of facts.bgpAdvertisements ?? []) {
      if (isOwnedFor(ad, svcName(spec), svcNamespace(spec)) || !advertisementCovers(ad, plan.pool)) continue;
      const theirPref = (ad.spec?.localPref as number | undefined) ?? 0;
      const theirAgg = (ad.spec?.[aggKey] as number | undefined) ?? (v6 ? 128 : 32);
      const theirPeers = (ad.spec?.peers as string[] | undefined) ?? [];
      const peersDisjoint =
        ourPeers.length > 0 && theirPeers.length > 0 && !ourPeers.some((p) => theirPeers.includes(p));
      const nodesDisjoint = selectorsDisjoint(
        spec.nodeSelectors,
        ad.spec?.nodeSelectors as Array<{ matchLabels?: Labels }> | undefined,
      );
      if (theirPref !== spec.localPref && theirAgg === ourAgg && !peersDisjoint && !nodesDisjoint) {
        problems.push({
          field: 'localPref',
          message: `BGPAdvertisement ${ad.metadata.name} already announces pool ${plan.poolName} with local preference ${theirPref}: MetalLB refuses a different one for the same update (use the same value, another aggregation length, or other peers/nodes)`,
        });
      }
    }
  }
  return problems;
}

/** True when every pair of the two selector lists demands different values for some label. */
function selectorsDisjoint(ours: Labels[] | undefined, theirs: Array<{ matchLabels?: Labels }> | undefined): boolean {
  if (!ours || ours.length === 0 || !theirs || theirs.length === 0) return false;
  return ours.every((a) =>
    theirs.every((t) => Object.entries(a).some(([k, v]) => t.matchLabels?.[k] !== undefined && t.matchLabels[k] !== v)),
  );
}

export function bgpPeer(spec: ExposeSpec): KubeObject {
  return {
    apiVersion: METALLB_PEER_API,
    kind: 'BGPPeer',
    metadata: meta(spec, names.bgpPeer(spec.peer!), METALLB_NAMESPACE),
    spec: { myASN: spec.myASN, peerASN: spec.peerASN, peerAddress: spec.peer },
  };
}

export function bgpAdvertisement(spec: ExposeSpec, plan: LBPlan, peerName: string | undefined): KubeObject {
  const adSpec: Record<string, unknown> = { ipAddressPools: [plan.poolName] };
  if (spec.aggregationLength !== undefined) {
    const v6 = plan.pool ? poolRanges(plan.pool)[0]?.family === 6 : false;
    adSpec[v6 ? 'aggregationLengthV6' : 'aggregationLength'] = spec.aggregationLength;
  }
  if (spec.communities && spec.communities.length > 0) adSpec.communities = [...spec.communities];
  if (spec.localPref !== undefined) adSpec.localPref = spec.localPref;
  const sel = nodeSelectorsField(spec.nodeSelectors);
  if (sel) adSpec.nodeSelectors = sel;
  if (peerName !== undefined) adSpec.peers = [peerName];
  return advertisement('BGPAdvertisement', spec, adSpec);
}

export function manifestsBGP(spec: ExposeSpec, facts: ExposeFacts): KubeObject[] {
  const plan = planLoadBalancer(spec, facts);
  const found = existingPeer(spec, facts);
  const peerName = spec.peer === undefined ? undefined : found ? found.metadata.name : names.bgpPeer(spec.peer);
  const extra: KubeObject[] = [];
  if (spec.peer !== undefined && !found) extra.push(bgpPeer(spec));
  if (plan.advertise && plan.poolName !== undefined) extra.push(bgpAdvertisement(spec, plan, peerName));
  return loadBalancerObjects(spec, plan, extra);
}

export function notesBGP(spec: ExposeSpec, facts: ExposeFacts): string[] {
  const notes = planLoadBalancer(spec, facts).notes;
  const found = existingPeer(spec, facts);
  if (found) notes.push(`reuses BGPPeer ${found.metadata.name} for ${spec.peer}`);
  if (spec.peer === undefined && facts.bgpPeers === undefined)
    notes.push('no --peer: the existing BGPPeers are not checked (no cluster facts)');
  const myASNs = new Set((facts.bgpPeers ?? []).map((p) => p.spec?.myASN).filter((x) => x !== undefined));
  if (spec.myASN !== undefined && myASNs.size > 0 && !myASNs.has(spec.myASN)) {
    notes.push(`other BGPPeers use myASN ${[...myASNs].join(', ')}: MetalLB's FRR mode wants one local ASN per VRF`);
  }
  if (
    spec.localPref !== undefined &&
    spec.peerASN !== undefined &&
    spec.myASN !== undefined &&
    spec.peerASN !== spec.myASN
  ) {
    notes.push('local preference only matters on iBGP sessions (peer ASN = my ASN); this peer is eBGP');
  }
  const sticky = kubeProxyStickyNote(spec);
  if (sticky) notes.push(sticky);
  if (spec.preserveSourceIP)
    notes.push('externalTrafficPolicy Local: MetalLB announces the address only from nodes with a ready endpoint');
  return notes;
}
