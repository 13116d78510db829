// DNS names external-dns publishes (src/discover/external-dns.ts) judged against the ways
// in: a name pointing at a node where the gateway it leads to does not run
// (dns/gateway-not-on-node), a name pointing at an address no exposure serves
// (dns/target-unserved). Host-name targets (CNAMEs) are not judged. Pure.
import { inputIsCluster } from '../discover/completeness.js';
import { type DiscoveryContext, nameOf, nodeAddresses } from '../discover/context.js';
import { type DnsName, dnsFacts, isIpTarget } from '../discover/external-dns.js';
import { discoverExposures } from '../discover/index.js';
import type { Exposure } from '../model/exposure.js';
import type { Finding } from '../model/finding.js';
import type { ObjectRef } from '../model/kube-object.js';
import { finding } from './codes.js';
import type { Analyzer, Facts } from './types.js';
import { absenceProves, isTarget, list } from './util.js';

const GATEWAY_MODES = new Set(['hostnetwork', 'hostport']);

interface Served {
  /** Node address -> node name. */
  nodeOf: Map<string, string>;
  /** Node address -> the hostNetwork/hostPort exposures on that node. */
  gatewaysAt: Map<string, Exposure[]>;
  gateways: Exposure[];
  /** Addresses of every other exposure (LoadBalancer, external IPs, Ingress, Gateway, NodePort nodes). */
  addresses: Set<string>;
  exposures: Exposure[];
}

function servedOf(ctx: DiscoveryContext, exposures: Exposure[]): Served {
  const nodeOf = new Map<string, string>();
  for (const n of ctx.nodes) for (const a of nodeAddresses(n)) nodeOf.set(a, nameOf(n));
  const gateways = exposures.filter((e) => GATEWAY_MODES.has(e.mode));
  const gatewaysAt = new Map<string, Exposure[]>();
  for (const g of gateways)
    for (const a of g.addresses) {
      const at = gatewaysAt.get(a) ?? [];
      at.push(g);
      gatewaysAt.set(a, at);
    }
  const addresses = new Set(exposures.filter((e) => !GATEWAY_MODES.has(e.mode)).flatMap((e) => e.addresses));
  return { nodeOf, gatewaysAt, gateways, addresses, exposures };
}

function subjectOfName(n: DnsName): ObjectRef {
  return { kind: n.source.kind, namespace: n.source.namespace, name: n.source.name };
}

/** Where the name's targets are written. */
function targetsText(n: DnsName): string {
  if (n.source.kind === 'DNSEndpoint')
    return `${n.field}.targets of DNSEndpoint ${n.source.namespace}/${n.source.name}`;
  return n.explicitTargets
    ? `the external-dns target annotation of ${n.source.kind} ${n.source.namespace}/${n.source.name}`
    : `the addresses of ${n.source.kind} ${n.source.namespace}/${n.source.name}`;
}

function nameRef(n: DnsName): string {
  return `${n.name} (${n.source.kind} ${n.source.namespace}/${n.source.name}, ${n.field})`;
}

/** The gateway a name leads to: its own workload, else every gateway of the cluster. */
function gatewaysFor(n: DnsName, s: Served): Exposure[] {
  const own = s.gateways.filter(
    (g) => g.kind === n.source.kind && g.namespace === n.source.namespace && g.name === n.source.name,
  );
  return own.length > 0 ? own : s.gateways;
}

/** Whether the name concerns `diagnose dns SERVICE`: it is the Service's, or points at one of its exposures. */
function concerns(facts: Facts, n: DnsName, s: Served): boolean {
  if (!facts.service) return true;
  if (n.source.kind === 'Service' && isTarget(facts, n.source.namespace, n.source.name)) return true;
  const targets = new Set(n.targets);
  return s.exposures.some(
    (e) =>
      e.service !== null &&
      isTarget(facts, e.service.namespace, e.service.name) &&
      e.addresses.some((a) => targets.has(a)),
  );
}

/**
 * Whether "no exposure serves it" can be said: every exposure of the cluster is known. Not
 * from a live read of one namespace (the others' Services were not read), nor from files
 * that do not stand for a whole cluster (src/discover/completeness.ts).
 */
function wholeClusterKnown(facts: Facts): boolean {
  if (facts.ctx.live) return facts.readNamespace === undefined && absenceProves(facts, 'Service');
  return inputIsCluster(facts.ctx) !== undefined && absenceProves(facts, 'Service');
}

function judge(facts: Facts, n: DnsName, s: Served): Finding[] {
  const out: Finding[] = [];
  const own = s.gateways.some(
    (g) => g.kind === n.source.kind && g.namespace === n.source.namespace && g.name === n.source.name,
  );
  const notOnGateway: string[] = [];
  const unserved: string[] = [];
  for (const t of n.targets.filter(isIpTarget)) {
    const node = s.nodeOf.get(t);
    if (node !== undefined) {
      const here = s.gatewaysAt.get(t) ?? [];
      const gatewayHere = own ? here.some((g) => gatewaysFor(n, s).includes(g)) : here.length > 0;
      if (gatewayHere) continue;
      // A NodePort answers on every node: a name for it may point at any of them.
      if (!own && s.addresses.has(t)) continue;
      if (gatewaysFor(n, s).length > 0) notOnGateway.push(`${t} (node ${node})`);
      else unserved.push(t);
    } else if (!s.addresses.has(t) && !s.gatewaysAt.has(t)) {
      unserved.push(t);
    }
  }
  if (notOnGateway.length > 0) {
    const gws = gatewaysFor(n, s);
    const where = [...new Set(gws.flatMap((g) => g.addresses))];
    const gwText = list(gws.map((g) => `${g.kind} ${g.namespace}/${g.name}`));
    out.push(
      finding(
        'dns/gateway-not-on-node',
        subjectOfName(n),
        `DNS name ${nameRef(n)} points at ${list(notOnGateway)}, where the gateway (${gwText}) does not run: clients that resolve the name to ${notOnGateway.length === 1 ? 'that address' : 'those addresses'} find nothing listening (the gateway runs at ${list(where) || 'no node'}).`,
        n.explicitTargets
          ? `Point ${n.name} at the gateway's nodes only (${list(where) || 'none yet'}): fix ${targetsText(n)}, or run the gateway on ${notOnGateway.length === 1 ? 'that node' : 'those nodes'} (nodeSelector, tolerations).`
          : `Run the gateway on ${notOnGateway.length === 1 ? 'that node' : 'those nodes'} or take them out of the name's targets.`,
      ),
    );
  }
  if (unserved.length > 0 && wholeClusterKnown(facts)) {
    out.push(
      finding(
        'dns/target-unserved',
        subjectOfName(n),
        `DNS name ${nameRef(n)} points at ${list(unserved)}, which no exposure of the cluster serves (no LoadBalancer, external IP, Ingress or Gateway address, no node with a NodePort or a hostNetwork gateway): clients that resolve it reach nothing here.`,
        `Point ${n.name} at an address an exposure serves (exposectl list shows them): fix ${targetsText(n)}, or remove the stale record.`,
      ),
    );
  }
  return out;
}

const dnsTargets: Analyzer = {
  name: 'dns-name-targets',
  check: 'dns',
  codes: ['dns/gateway-not-on-node', 'dns/target-unserved'],
  inputs: ['snapshot'],
  description:
    'DNS names published by external-dns (annotations, DNSEndpoint objects) point at nodes where their gateway runs and at addresses an exposure serves.',
  analyze(facts) {
    const names = dnsFacts(facts.ctx).names.filter((n) => n.scope === 'external' && n.targets.some(isIpTarget));
    if (names.length === 0) return [];
    const served = servedOf(facts.ctx, discoverExposures(facts.snapshot));
    return names.filter((n) => concerns(facts, n, served)).flatMap((n) => judge(facts, n, served));
  },
};

export const dnsAnalyzers: Analyzer[] = [dnsTargets];
