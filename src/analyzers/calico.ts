// bgp/not-advertised from the snapshot, for Calico in BGP mode: Service addresses that
// Calico's BIRD does not advertise (outside the default BGPConfiguration's Service ranges)
// or advertises to nobody outside the cluster (no BGPPeer with a peerIP). Pure; the same
// judgement for files and a live cluster. See src/discover/calico.ts for Calico's rules.
import {
  CALICO_DEFAULT_CONFIG,
  CALICO_RANGE_FIELD,
  type CalicoAddress,
  type CalicoBgp,
  calicoBgp,
  calicoServiceAddresses,
} from '../discover/calico.js';
import { nameOf, nsOf } from '../discover/context.js';
import { serviceEndpoints } from '../discover/endpoints.js';
import { classifyLoadBalancer } from '../discover/implementation.js';
import { serviceFact } from '../discover/services.js';
import type { BgpExpectations } from '../model/bgp-expectations.js';
import type { Finding } from '../model/finding.js';
import type { Service } from '../model/snapshot.js';
import { shellCommand } from '../util/shell-quote.js';
import { finding } from './codes.js';
import type { Analyzer, Facts } from './types.js';
import { isTarget, list, subjectOf } from './util.js';

const svcRef = (s: Service) => `${nsOf(s)}/${nameOf(s)}`;
const hostPrefix = (a: string) => `${a}/${a.includes(':') ? 128 : 32}`;

/**
 * The addresses a user means to publish over Calico's BGP but Calico leaves out: every
 * LoadBalancer address that no other implementation announces, and the external IPs when
 * serviceExternalIPs is in use (external IPs may be routed otherwise, e.g. static routes).
 * Cluster IPs are internal unless advertised on purpose: never reported.
 */
function missed(facts: Facts, bgp: CalicoBgp, svc: Service, addrs: CalicoAddress[]): CalicoAddress[] {
  return addrs.filter((a) => {
    if (a.cidr) return false;
    if (a.kind === 'external') return bgp.ranges.external.length > 0;
    if (a.kind !== 'loadbalancer') return false;
    // MetalLB, Cilium or kube-vip announcing it in L2 or BGP: not Calico's job.
    const mode = classifyLoadBalancer(facts.ctx, svc).mode;
    return mode !== 'l2' && mode !== 'bgp';
  });
}

function notInRange(bgp: CalicoBgp, svc: Service, miss: CalicoAddress[]): Finding {
  const byKind = (k: CalicoAddress['kind']) => miss.filter((a) => a.kind === k);
  const parts = (['loadbalancer', 'external'] as const)
    .filter((k) => byKind(k).length > 0)
    .map((k) => {
      const ranges = bgp.ranges[k];
      return `${k === 'loadbalancer' ? 'LoadBalancer' : 'external'} address ${list(byKind(k).map((a) => a.address))} is outside ${CALICO_RANGE_FIELD[k]} (${ranges.length > 0 ? ranges.join(', ') : 'empty'})`;
    });
  const config = bgp.config
    ? `BGPConfiguration ${CALICO_DEFAULT_CONFIG}`
    : `BGPConfiguration ${CALICO_DEFAULT_CONFIG} (there is none)`;
  const field = (k: CalicoAddress['kind']) => CALICO_RANGE_FIELD[k];
  const lb = byKind('loadbalancer');
  const ext = byKind('external');
  const fixes: string[] = [];
  if (lb.length > 0) {
    fixes.push(
      `add ${lb.map((a) => `{cidr: ${hostPrefix(a.address)}}`).join(', ')} (or the pool's range) to spec.${field('loadbalancer')} of ${config}; ${shellCommand(['exposectl', 'expose', svcRef(svc), '--mode', 'bgp', '--addresses', lb.map((a) => hostPrefix(a.address)).join(',')])} does it when Calico runs`,
    );
  }
  if (ext.length > 0)
    fixes.push(
      `add ${ext.map((a) => `{cidr: ${hostPrefix(a.address)}}`).join(', ')} to spec.${field('external')} of ${config}`,
    );
  return finding(
    'bgp/not-advertised',
    subjectOf(svc),
    `Calico runs BGP (${list(bgp.evidence, 3)}) but does not advertise Service ${svcRef(svc)}: ${parts.join('; ')} of ${config}. Calico advertises only addresses inside those ranges, so routers get no route and clients cannot reach ${list(miss.map((a) => a.address))}.`,
    `${fixes.map((f, i) => (i === 0 ? f[0]!.toUpperCase() + f.slice(1) : f)).join('; ')}. Only the BGPConfiguration named ${CALICO_DEFAULT_CONFIG} carries Service ranges.`,
  );
}

function noPeer(bgp: CalicoBgp, svc: Service, advertised: CalicoAddress[]): Finding {
  const where = [...new Set(advertised.map((a) => `${CALICO_RANGE_FIELD[a.kind]} ${a.cidr}`))].join(', ');
  return finding(
    'bgp/not-advertised',
    subjectOf(svc),
    `Calico advertises ${list(advertised.map((a) => a.address))} of Service ${svcRef(svc)} (${where}) only inside the cluster: no Calico BGPPeer has a peerIP${bgp.nodeToNodeMesh ? ' (the node-to-node mesh reaches only other nodes)' : ''}, so no router outside learns a route and clients cannot reach it.`,
    `Create a BGPPeer (crd.projectcalico.org/v1) with spec.peerIP set to your router and spec.asNumber to its AS (the nodes use AS ${bgp.asNumber}), and configure the router to peer with every node (or the nodes of spec.nodeSelector).`,
  );
}

const calicoAdvertisement: Analyzer = {
  name: 'bgp-calico-advertisement',
  check: 'bgp',
  codes: ['bgp/not-advertised'],
  inputs: ['snapshot'],
  description:
    "With Calico in BGP mode, LoadBalancer (and external) addresses lie in the default BGPConfiguration's Service ranges and a BGPPeer takes them to a router.",
  analyze(facts) {
    const bgp = calicoBgp(facts.ctx);
    if (!bgp) return [];
    const peersKnown = bgp.peersKnown && !(facts.unreadableKinds ?? []).includes('BGPPeer');
    const out: Finding[] = [];
    const clusterIPServices: Service[] = [];
    for (const svc of facts.snapshot.services) {
      if (!isTarget(facts, nsOf(svc), nameOf(svc))) continue;
      const addrs = calicoServiceAddresses(bgp, svc);
      const miss = missed(facts, bgp, svc, addrs);
      if (miss.length > 0) out.push(notInRange(bgp, svc, miss));
      const advertised = addrs.filter((a) => a.cidr && a.kind !== 'cluster');
      if (advertised.length > 0 && peersKnown && bgp.routerPeers.length === 0) out.push(noPeer(bgp, svc, advertised));
      if (addrs.some((a) => a.cidr && a.kind === 'cluster')) clusterIPServices.push(svc);
    }
    // Advertised cluster IPs reaching nobody: one finding for the range, not one per Service.
    if (!facts.service && bgp.config && clusterIPServices.length > 0 && peersKnown && bgp.routerPeers.length === 0) {
      out.push(
        finding(
          'bgp/not-advertised',
          { kind: 'BGPConfiguration', namespace: null, name: CALICO_DEFAULT_CONFIG },
          `BGPConfiguration ${CALICO_DEFAULT_CONFIG} advertises the cluster IPs of ${clusterIPServices.length} Service(s) (${list(clusterIPServices.map(svcRef), 4)}; serviceClusterIPs ${bgp.ranges.cluster.join(', ')}) but no Calico BGPPeer has a peerIP, so no router outside the cluster learns them.`,
          `Create a BGPPeer (crd.projectcalico.org/v1) with spec.peerIP set to your router and spec.asNumber to its AS (the nodes use AS ${bgp.asNumber}), or remove serviceClusterIPs if the cluster IPs are not meant to be reachable from outside.`,
        ),
      );
    }
    return out;
  },
};

export const calicoAnalyzers: Analyzer[] = [calicoAdvertisement];

/** What Calico should advertise, for `probe bgp` to hold against what its BIRD sends. */
export function calicoBgpExpectations(facts: Facts): BgpExpectations['loadBalancerAddresses'] {
  const bgp = calicoBgp(facts.ctx);
  if (!bgp) return [];
  const out: BgpExpectations['loadBalancerAddresses'] = [];
  for (const svc of facts.snapshot.services) {
    const advertised = calicoServiceAddresses(bgp, svc).filter((a) => a.cidr);
    if (advertised.length === 0) continue;
    const ready = [...serviceEndpoints(facts.ctx, svc).readyNodes].sort();
    const localPolicy = serviceFact(facts.ctx, svc).externalTrafficPolicy === 'Local';
    for (const a of advertised) {
      out.push({
        address: a.address,
        service: { namespace: nsOf(svc), name: nameOf(svc) },
        localPolicy,
        nodesWithReadyEndpoints: ready,
        implementation: 'calico',
        range: `${CALICO_RANGE_FIELD[a.kind]} ${a.cidr}`,
      });
    }
  }
  return out;
}
