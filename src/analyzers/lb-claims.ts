// lb/implementation-conflict: two load-balancer implementations claim one Service (k3s's
// ServiceLB left on next to MetalLB, MetalLB next to Cilium LB-IPAM). The claims come from
// src/discover/lb-claims.ts; the status the implementations wrote is cited. Pure.
import { nameOf, nsOf } from '../discover/context.js';
import { type LbClaim, lbClaims } from '../discover/lb-claims.js';
import { publishedAddresses, serviceFact } from '../discover/services.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { latest, list, subjectOf } from './util.js';

const NAME: Record<LbClaim['implementation'], string> = {
  'k3s-servicelb': "k3s's ServiceLB",
  metallb: 'MetalLB',
  cilium: 'Cilium LB-IPAM',
  'kube-vip': 'kube-vip',
};

const conflict: Analyzer = {
  name: 'lb-implementation-conflict',
  check: 'lb',
  codes: ['lb/implementation-conflict'],
  inputs: ['snapshot'],
  description: 'Each LoadBalancer Service is claimed by one load-balancer implementation.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const svc of latest(facts.snapshot.services)) {
      const claims = lbClaims(facts.ctx, svc);
      if (claims.length < 2) continue;
      const ref = `Service ${nsOf(svc)}/${nameOf(svc)}`;
      const published = publishedAddresses(serviceFact(facts.ctx, svc));
      const servicelb = claims.some((c) => c.implementation === 'k3s-servicelb');
      const others = claims.filter((c) => c.implementation !== 'k3s-servicelb').map((c) => NAME[c.implementation]);
      out.push(
        finding(
          'lb/implementation-conflict',
          subjectOf(svc),
          `${ref} is claimed by ${list(claims.map((c) => `${NAME[c.implementation]} (${c.evidence})`))}: each one allocates it an address and answers for it${servicelb ? ", and ServiceLB's svclb Pods take its ports as hostPorts on every node" : ''}, so the address in its status depends on which wrote last (status now: ${published.length > 0 ? published.join(', ') : 'no address'}).`,
          servicelb
            ? `Turn ServiceLB off, since ${list(others)} serves LoadBalancer Services: k3s server --disable=servicelb (or disable: [servicelb] in /etc/rancher/k3s/config.yaml) on every server; k3s then deletes the svclb DaemonSets. Or keep both and give ${ref} the spec.loadBalancerClass of the one that should serve it (ServiceLB leaves Services with a class alone).`
            : `Keep one implementation for LoadBalancer Services, or give ${ref} spec.loadBalancerClass naming the one that should serve it (and restrict the other's pools with serviceAllocation/serviceSelector).`,
        ),
      );
    }
    return out;
  },
};

export const lbClaimAnalyzers: Analyzer[] = [conflict];
