// Analyzers over probe facts: arp/* (who answers ARP for an address), bgp/* (through
// compareBgp of the BGP probe), and the source-ip probe's proof of which hop rewrote
// the client address. Pure: the probes gathered the facts, these only judge them.
import { reportedAnnouncer } from '../discover/announcers.js';
import { nameOf, nodeAddresses, nsOf } from '../discover/context.js';
import { serviceEndpoints } from '../discover/endpoints.js';
import { classifyLoadBalancer, loadBalancerAddresses } from '../discover/implementation.js';
import { nodeAddressFacts } from '../discover/nodes.js';
import { proxyGateways, resolveTarget } from '../discover/paths.js';
import type { BgpExpectations } from '../model/bgp-expectations.js';
import type { Finding } from '../model/finding.js';
import type { ObjectRef } from '../model/kube-object.js';
import type { ArpObservation, SourceIpProbe } from '../model/probe-facts.js';
import type { Service } from '../model/snapshot.js';
import { addressSeen, isL7Probe, sourceIpVerdict } from '../model/source-ip-verdict.js';

import { appendAll } from '../util/arrays.js';
import { compareBgp } from './bgp-compare.js';
import { calicoBgpExpectations } from './calico.js';
import { finding } from './codes.js';
import { arpFindings } from './probe-arp.js';
import type { Analyzer, Facts } from './types.js';
import { serviceType, subjectOf, trafficPolicy } from './util.js';

function serviceByAddress(facts: Facts, ip: string): Service | undefined {
  return facts.snapshot.services.find(
    (s) => serviceType(s) === 'LoadBalancer' && loadBalancerAddresses(s).assigned.includes(ip),
  );
}

function arpSubject(facts: Facts, o: ArpObservation): { subject: ObjectRef; svc: Service | undefined } {
  const svc = o.service
    ? facts.snapshot.services.find((s) => nsOf(s) === o.service!.namespace && nameOf(s) === o.service!.name)
    : serviceByAddress(facts, o.ip);
  if (svc) return { subject: subjectOf(svc), svc };
  if (o.service) return { subject: { kind: 'Service', namespace: o.service.namespace, name: o.service.name }, svc };
  return { subject: { kind: 'IPAddress', namespace: null, name: o.ip }, svc };
}

/** The node the implementation reports as announcer: the probe's, else the snapshot's (ServiceL2Status, Cilium's Lease, kube-vip's vipHost). */
function expectedHolder(facts: Facts, o: ArpObservation, svc: Service | undefined): string | undefined {
  if (o.expectedHolder) return o.expectedHolder;
  return svc ? (reportedAnnouncer(facts.ctx, svc).node ?? undefined) : undefined;
}

const arp: Analyzer = {
  name: 'arp-replies',
  check: 'arp',
  codes: ['arp/no-reply', 'arp/multiple-replies', 'arp/holder-mismatch'],
  inputs: ['snapshot', 'arp'],
  description:
    'Exactly one MAC answers ARP for an L2 address, and it is the node the implementation reports as announcer.',
  analyze(facts) {
    // One judgement for `probe arp` and diagnose: arpFindings, with the announcer the snapshot reports.
    return (facts.probes.arp ?? []).flatMap((o) => {
      const { subject, svc } = arpSubject(facts, o);
      const lb = svc && serviceType(svc) === 'LoadBalancer' ? classifyLoadBalancer(facts.ctx, svc) : undefined;
      const expected = expectedHolder(facts, o, svc);
      return arpFindings(
        { ...o, ...(expected ? { expectedHolder: expected } : {}) },
        {
          subject,
          implementation: lb?.implementation ?? null,
          localPolicy: !!svc && trafficPolicy(svc) === 'Local',
          ...(lb?.mode ? { mode: lb.mode } : {}),
        },
      );
    });
  },
};

/** What the cluster says BGP should carry: LoadBalancer addresses announced in BGP mode, peers, node addresses. */
export function bgpExpectations(facts: Facts): BgpExpectations {
  const lbs: BgpExpectations['loadBalancerAddresses'] = [];
  for (const svc of facts.snapshot.services) {
    if (serviceType(svc) !== 'LoadBalancer') continue;
    if (classifyLoadBalancer(facts.ctx, svc).mode !== 'bgp') continue;
    const ep = serviceEndpoints(facts.ctx, svc);
    for (const address of loadBalancerAddresses(svc).assigned.filter((a) => /^[0-9a-f:.]+$/i.test(a))) {
      lbs.push({
        address,
        service: { namespace: nsOf(svc), name: nameOf(svc) },
        localPolicy: trafficPolicy(svc) === 'Local',
        nodesWithReadyEndpoints: [...ep.readyNodes].sort(),
      });
    }
  }
  appendAll(
    lbs,
    calicoBgpExpectations(facts).filter((c) => !lbs.some((l) => l.address === c.address)),
  );
  const nodeAddrs = Object.fromEntries([...nodeAddressFacts(facts.ctx)].map(([node, a]) => [node, a.all]));
  const expectedPeers =
    facts.probes.bgpExpectedPeers ?? (facts.probes.bgp?.peers ?? []).filter((p) => p.expected).map((p) => p.address);
  return { loadBalancerAddresses: lbs, expectedPeers, nodeAddresses: nodeAddrs };
}

const bgp: Analyzer = {
  name: 'bgp-routes',
  check: 'bgp',
  codes: ['bgp/session-down', 'bgp/not-advertised', 'bgp/nexthop-without-endpoints'],
  inputs: ['snapshot', 'bgp'],
  description:
    'Expected BGP peers are established and advertise every BGP LoadBalancer address, with next hops that have endpoints under Local policy.',
  analyze(facts) {
    return facts.probes.bgp ? compareBgp(facts.probes.bgp, bgpExpectations(facts)) : [];
  },
};

/**
 * An L7 path lost the client address: the proxy forwarded another address (its own front
 * SNATed, e.g. the controller's LoadBalancer Service under Cluster policy, or a proxy before
 * it) or no header at all.
 */
function l7ProbeFinding(facts: Facts, p: SourceIpProbe, subject: ObjectRef): Finding {
  const proof = `a request from ${p.clientAddress} to ${p.target} reached the echo endpoint of Service ${p.service.namespace}/${p.service.name} through an L7 proxy (TCP peer ${p.seenAddress})`;
  if (p.forwardedFor === null || p.forwardedFor === undefined)
    return finding(
      'source-ip/proxy-protocol-missing',
      subject,
      `Probe: ${proof} with neither X-Forwarded-For nor X-Real-IP: the proxy does not pass the client address on.`,
      'Make the Ingress controller or Gateway add X-Forwarded-For (most do by default; check a config that strips or replaces it); trade-off: the backend must trust the header only from the proxy.',
    );
  const node = facts.ctx.nodes.find((n) => nodeAddresses(n).includes(p.forwardedFor!));
  return finding(
    'source-ip/proxy-protocol-missing',
    subject,
    `Probe: ${proof} with ${p.forwardedFor}${node ? `, the address of node ${nameOf(node)},` : ''} in ${p.forwardedHeader ?? 'X-Forwarded-For'}: the proxy itself did not see the client (a hop in front of it rewrote the address).`,
    "Keep the client address up to the proxy: externalTrafficPolicy Local on the controller's LoadBalancer/NodePort Service, or PROXY protocol from the load balancer in front of it (both ends agreeing); trade-off: Local sends traffic only to nodes with a controller Pod.",
  );
}

const sourceIpProbe: Analyzer = {
  name: 'source-ip-probe',
  check: 'source-ip',
  codes: ['source-ip/etp-cluster', 'source-ip/proxy-protocol-missing'],
  inputs: ['snapshot', 'sourceIpProbe'],
  description:
    'A request through the exposure reached the echo endpoint with the client address; otherwise the hop that rewrote it is named.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const p of facts.probes.sourceIpProbe ?? []) {
      if (sourceIpVerdict(p) !== 'lost') continue;
      const svc = facts.snapshot.services.find((s) => nsOf(s) === p.service.namespace && nameOf(s) === p.service.name);
      const subject: ObjectRef = svc
        ? subjectOf(svc)
        : { kind: 'Service', namespace: p.service.namespace, name: p.service.name };
      if (isL7Probe(p)) {
        out.push(l7ProbeFinding(facts, p, subject));
        continue;
      }
      const seen = addressSeen(p)!;
      const node = facts.ctx.nodes.find(
        (n) =>
          nodeAddresses(n).includes(seen) || (nodeAddressFacts(facts.ctx).get(nameOf(n))?.all ?? []).includes(seen),
      );
      const gateway = proxyGateways(facts.ctx).find((g) =>
        g.config.forwards.some(
          (f) => resolveTarget(facts.ctx, f.host, f.port, nsOf(g.workload))?.service === svc && !f.sendProxy,
        ),
      );
      const proof = `a request from ${p.clientAddress} to ${p.target} reached the echo endpoint of Service ${p.service.namespace}/${p.service.name} from ${seen}`;
      if (gateway) {
        out.push(
          finding(
            'source-ip/proxy-protocol-missing',
            subjectOf(gateway.workload),
            `Probe: ${proof}${node ? ` (node ${nameOf(node)})` : ''}: ${gateway.implementation} ${gateway.workload.kind} ${nsOf(gateway.workload)}/${nameOf(gateway.workload)} forwards without PROXY protocol and replaced the client address.`,
            `Send PROXY protocol from ${nsOf(gateway.workload)}/${nameOf(gateway.workload)} (ConfigMap ${nameOf(gateway.configMap)} ${gateway.file}: send-proxy-v2) and make the backend expect it; trade-off: both ends must agree.`,
          ),
        );
      } else if (svc && trafficPolicy(svc) !== 'Local' && (node || serviceType(svc) !== 'ClusterIP')) {
        out.push(
          finding(
            'source-ip/etp-cluster',
            subject,
            `Probe: ${proof}${node ? `, the address of node ${nameOf(node)}` : ''}: the node SNATs external traffic because Service ${p.service.namespace}/${p.service.name} has externalTrafficPolicy ${trafficPolicy(svc)}.`,
            `Set spec.externalTrafficPolicy: Local on ${p.service.namespace}/${p.service.name}; trade-off: only nodes with a ready Pod take traffic, so load can be uneven.`,
          ),
        );
      } else {
        out.push(
          finding(
            'source-ip/proxy-protocol-missing',
            subject,
            `Probe: ${proof}${node ? ` (node ${nameOf(node)})` : ''}: a hop between the client and the Pods replaced the client address, and the snapshot does not show which${svc ? ` (externalTrafficPolicy is ${trafficPolicy(svc)})` : ''}.`,
            `Look for a proxy or NAT in front of the exposure (an external load balancer, a gateway without PROXY protocol, a firewall SNAT) and make it pass the client address on (PROXY protocol, with both ends agreeing, or X-Forwarded-For).`,
          ),
        );
      }
    }
    return out;
  },
};

export const probeAnalyzers: Analyzer[] = [arp, bgp, sourceIpProbe];
