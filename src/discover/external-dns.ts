// DNS names that lead to the ways in, as external-dns publishes them: the annotations it
// reads on Services, Ingresses and (pod source) the Pods of hostNetwork workloads, and its
// DNSEndpoint objects (externaldns.k8s.io/v1alpha1). Pure; a fact family per snapshot.
//
// external-dns's rules (docs/annotations/annotations.md and source/*.go of v0.23.0):
// - Annotations are `external-dns.kubernetes.io/KEY`; releases before v0.22.0 read
//   `external-dns.alpha.kubernetes.io/KEY` (v0.22+ with --enable-legacy-annotation-prefix).
//   Both are read here; the current prefix wins, as external-dns resolves a conflict.
// - `hostname`: comma-separated names. `target`: comma-separated targets that replace the
//   object's own (IPs give A/AAAA records, other values CNAMEs). `ttl`: seconds or a
//   duration. `internal-hostname` (Services): names that point at the ClusterIP.
// - Service targets: externalIPs when set; LoadBalancer: its status addresses; NodePort:
//   node addresses (`access: private` InternalIPs; otherwise ExternalIPs when nodes have
//   them); ClusterIP: the ClusterIP; headless: the ready endpoint addresses.
// - Ingress: the annotation's names and spec.rules[].host (ingress-hostname-source may
//   keep one of them), pointing at status.loadBalancer.ingress. An Ingress counts only
//   when it carries an external-dns annotation: whether external-dns reads every Ingress
//   (--source=ingress) is not in the objects.
// - Pods with hostNetwork (pod source, --source=pod): the node's ExternalIPs (IPv6
//   InternalIPs too), never an IPv4 InternalIP. Read from the pod template of hostNetwork
//   workloads (what `expose --mode hostnetwork --hostname` writes): the names point at the
//   nodes the workload's Pods run on.
import type { Exposure } from '../model/exposure.js';
import type { Custom, Ingress, Service, Workload } from '../model/snapshot.js';
import {
  annotationsOf,
  type DiscoveryContext,
  defineFacts,
  keyOf,
  nameOf,
  nodeAddresses,
  nsOf,
  uniq,
} from './context.js';
import { asArray, asInteger, asString, asStringMap, asStrings, commaList, field } from './fields.js';
import { hostExposure } from './host-exposures.js';
import { parseAddress } from './ip.js';

export const EXTERNAL_DNS_PREFIX = 'external-dns.kubernetes.io/';
export const EXTERNAL_DNS_LEGACY_PREFIX = 'external-dns.alpha.kubernetes.io/';
export const EXTERNAL_DNS_GROUP = 'externaldns.k8s.io';

export interface DnsNameSource {
  kind: string;
  namespace: string;
  name: string;
}

/** One name external-dns publishes, and what it points at. */
export interface DnsName {
  /** Lower case, without a trailing dot. */
  name: string;
  /** `internal`: an internal-hostname (for the ClusterIP); `external` otherwise. */
  scope: 'external' | 'internal';
  source: DnsNameSource;
  /** Where the name was read (`annotation external-dns.kubernetes.io/hostname`, `spec.endpoints[0]`). */
  field: string;
  /** IPs (A/AAAA) or host names (CNAME). */
  targets: string[];
  /** The targets were written (target annotation, DNSEndpoint), not taken from the object's addresses. */
  explicitTargets: boolean;
  ttl?: number;
  recordType?: string;
}

export interface DnsFacts {
  names: DnsName[];
}

/** The value of an external-dns annotation under either prefix (the current one wins) and the key it was read from. */
export function externalDnsAnnotation(
  annotations: Record<string, string>,
  key: string,
): { value: string; key: string } | undefined {
  for (const prefix of [EXTERNAL_DNS_PREFIX, EXTERNAL_DNS_LEGACY_PREFIX]) {
    const value = annotations[prefix + key];
    if (value !== undefined) return { value, key: prefix + key };
  }
  return undefined;
}

export function hasExternalDnsAnnotation(annotations: Record<string, string>): boolean {
  return Object.keys(annotations).some(
    (k) => k.startsWith(EXTERNAL_DNS_PREFIX) || k.startsWith(EXTERNAL_DNS_LEGACY_PREFIX),
  );
}

/** A DNS name as external-dns writes it: lower case, no trailing dot. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** external-dns's ttl: integer seconds or a Go duration (`1m30s`); undefined when it cannot be read or is 0. */
export function parseTtl(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) > 0 ? Number(t) : undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
  if (!m || t === '') return undefined;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return seconds > 0 ? seconds : undefined;
}

export function isIpTarget(target: string): boolean {
  return parseAddress(target) !== undefined;
}

function annotated(
  o: { metadata?: unknown },
  source: DnsNameSource,
  own: string[],
  extraNames: Array<{ name: string; field: string }> = [],
  annotations = annotationsOf(o),
): DnsName[] {
  const hostname = externalDnsAnnotation(annotations, 'hostname');
  const target = externalDnsAnnotation(annotations, 'target');
  const ttl = parseTtl(externalDnsAnnotation(annotations, 'ttl')?.value);
  const targets = target ? commaList(target.value) : own;
  const names = [
    ...commaList(hostname?.value).map((name) => ({ name, field: `annotation ${hostname!.key}` })),
    ...extraNames,
  ];
  const seen = new Set<string>();
  return names.flatMap(({ name, field: f }) => {
    const n = normalizeName(name);
    if (n === '' || seen.has(n)) return [];
    seen.add(n);
    return [
      {
        name: n,
        scope: 'external' as const,
        source,
        field: f,
        targets: uniq(targets),
        explicitTargets: target !== undefined,
        ...(ttl !== undefined ? { ttl } : {}),
      },
    ];
  });
}

function loadBalancerTargets(o: { status?: unknown }): string[] {
  return asArray(field(o, 'status', 'loadBalancer', 'ingress')).flatMap((i) => {
    const t = asString(field(i, 'ip')) ?? asString(field(i, 'hostname'));
    return t ? [t] : [];
  });
}

function nodeTargets(ctx: DiscoveryContext, access: string | undefined): string[] {
  if (access !== 'private') return ctx.nodePortAddresses;
  return uniq(
    ctx.nodes.flatMap((n) =>
      asArray(field(n, 'status', 'addresses'))
        .filter((a) => field(a, 'type') === 'InternalIP')
        .flatMap((a) => asStrings([field(a, 'address')])),
    ),
  );
}

/** The addresses external-dns gives a Service's hostname when no target annotation is set. */
export function serviceTargets(ctx: DiscoveryContext, svc: Service): string[] {
  const external = asStrings(field(svc, 'spec', 'externalIPs'));
  if (external.length > 0) return external;
  const type = asString(field(svc, 'spec', 'type')) ?? 'ClusterIP';
  if (type === 'LoadBalancer') return loadBalancerTargets(svc);
  if (type === 'NodePort')
    return nodeTargets(ctx, externalDnsAnnotation(annotationsOf(svc), 'access')?.value.trim().toLowerCase());
  if (type === 'ExternalName') return asStrings([field(svc, 'spec', 'externalName')]);
  const clusterIP = asString(field(svc, 'spec', 'clusterIP'));
  if (clusterIP === 'None') return readyEndpointAddresses(ctx, svc);
  return clusterIP ? [clusterIP] : [];
}

function readyEndpointAddresses(ctx: DiscoveryContext, svc: Service): string[] {
  return uniq(
    (ctx.slicesByService.get(keyOf(nsOf(svc), nameOf(svc))) ?? []).flatMap((sl) =>
      asArray(field(sl, 'endpoints'))
        .filter((e) => field(e, 'conditions', 'ready') !== false)
        .flatMap((e) => asStrings(field(e, 'addresses'))),
    ),
  );
}

function serviceNames(ctx: DiscoveryContext, svc: Service): DnsName[] {
  const annotations = annotationsOf(svc);
  const source = { kind: 'Service', namespace: nsOf(svc), name: nameOf(svc) };
  const out = annotated(svc, source, serviceTargets(ctx, svc), [], annotations);
  const internal = externalDnsAnnotation(annotations, 'internal-hostname');
  const clusterIP = asString(field(svc, 'spec', 'clusterIP'));
  const ttl = parseTtl(externalDnsAnnotation(annotations, 'ttl')?.value);
  for (const name of uniq(commaList(internal?.value).map(normalizeName)))
    out.push({
      name,
      scope: 'internal',
      source,
      field: `annotation ${internal!.key}`,
      targets: clusterIP && clusterIP !== 'None' ? [clusterIP] : [],
      explicitTargets: false,
      ...(ttl !== undefined ? { ttl } : {}),
    });
  return out;
}

function ingressNames(ing: Ingress): DnsName[] {
  const annotations = annotationsOf(ing);
  if (!hasExternalDnsAnnotation(annotations)) return [];
  const hostSource = externalDnsAnnotation(annotations, 'ingress-hostname-source')?.value;
  const specHosts =
    hostSource === 'annotation-only'
      ? []
      : asArray(field(ing, 'spec', 'rules')).flatMap((r, i) => {
          const host = asString(field(r, 'host'));
          return host ? [{ name: host, field: `spec.rules[${i}].host` }] : [];
        });
  const kept =
    hostSource === 'defined-hosts-only'
      ? Object.fromEntries(
          Object.entries(annotations).filter(([k]) => !/^external-dns\.(alpha\.)?kubernetes\.io\/hostname$/.test(k)),
        )
      : annotations;
  const source = { kind: 'Ingress', namespace: nsOf(ing), name: nameOf(ing) };
  return annotated(ing, source, loadBalancerTargets(ing), specHosts, kept);
}

function workloadNames(ctx: DiscoveryContext, w: Workload): DnsName[] {
  if (field(w, 'spec', 'template', 'spec', 'hostNetwork') !== true) return [];
  const annotations = asStringMap(field(w, 'spec', 'template', 'metadata', 'annotations'));
  if (!externalDnsAnnotation(annotations, 'hostname')) return [];
  const source = { kind: w.kind, namespace: nsOf(w), name: nameOf(w) };
  // The nodes the workload runs on (its Pods, else where it can be scheduled), as its row lists them.
  const rowAddresses = new Set(hostExposure(ctx, w)?.addresses ?? []);
  const nodes = ctx.nodes.filter((n) => nodeAddresses(n).some((a) => rowAddresses.has(a)));
  return annotated(w, source, nodes.flatMap(podSourceNodeTargets), [], annotations).map((n) => ({
    ...n,
    field: n.field.replace(/^annotation /, 'pod template annotation '),
  }));
}

/**
 * What external-dns's pod source publishes for a hostNetwork Pod's node: its ExternalIPs,
 * and InternalIPs only when IPv6 (source/pod.go). A node with IPv4 InternalIPs alone
 * gives no record.
 */
export function podSourceNodeTargets(node: { status?: unknown }): string[] {
  return asArray(field(node, 'status', 'addresses')).flatMap((a) => {
    const address = asString(field(a, 'address'));
    const type = field(a, 'type');
    if (!address) return [];
    if (type === 'ExternalIP') return [address];
    return type === 'InternalIP' && parseAddress(address)?.family === 6 ? [address] : [];
  });
}

function dnsEndpointNames(ep: Custom): DnsName[] {
  const source = { kind: 'DNSEndpoint', namespace: nsOf(ep), name: nameOf(ep) };
  return asArray(field(ep, 'spec', 'endpoints')).flatMap((e, i) => {
    const name = asString(field(e, 'dnsName'));
    if (!name || normalizeName(name) === '') return [];
    const recordType = asString(field(e, 'recordType'));
    // TXT, MX, SRV... records do not lead clients to an address.
    if (recordType && !['A', 'AAAA', 'CNAME'].includes(recordType.toUpperCase())) return [];
    const ttl = asInteger(field(e, 'recordTTL'));
    return [
      {
        name: normalizeName(name),
        scope: 'external' as const,
        source,
        field: `spec.endpoints[${i}]`,
        targets: uniq(asStrings(field(e, 'targets')).map((t) => t.trim().replace(/\.$/, ''))),
        explicitTargets: true,
        ...(ttl !== undefined && ttl > 0 ? { ttl } : {}),
        ...(recordType ? { recordType: recordType.toUpperCase() } : {}),
      },
    ];
  });
}

export const dnsFacts = defineFacts('external-dns', (ctx): DnsFacts => {
  const s = ctx.snapshot;
  const names = [
    ...s.services.flatMap((svc) => serviceNames(ctx, svc)),
    ...s.ingresses.flatMap(ingressNames),
    ...s.workloads.flatMap((w) => workloadNames(ctx, w)),
    ...s.externalDns.dnsEndpoints.flatMap(dnsEndpointNames),
  ];
  return { names };
});

/** The names that point at one of these addresses (A/AAAA), or that the object itself carries. */
export function namesFor(
  ctx: DiscoveryContext,
  addresses: readonly string[],
  object?: { kind: string; namespace: string | null; name: string },
): DnsName[] {
  const set = new Set(addresses);
  return dnsFacts(ctx).names.filter(
    (n) =>
      n.scope === 'external' &&
      (n.targets.some((t) => set.has(t)) ||
        // The object's own names whose targets are not addresses (pending, CNAMEs).
        (object !== undefined &&
          !n.targets.some(isIpTarget) &&
          n.source.kind === object.kind &&
          n.source.namespace === (object.namespace ?? '') &&
          n.source.name === object.name)),
  );
}

/** The names (sorted) a list row shows: those pointing at its addresses or carried by its object. */
export function exposureDnsNames(ctx: DiscoveryContext, e: Exposure): string[] {
  return uniq(namesFor(ctx, e.addresses, e).map((n) => n.name)).sort();
}
