// What `expose` and `unexpose` of one mode write, derived from the mode generators
// themselves: each mode is planned for a few sample Services and options that, together,
// make it generate every kind of object it can (a new pool, a BGP peer, each route kind,
// an --in-place patch, ...). The kinds of those manifests, and where they land (the
// Service's namespace, metallb-system, the cluster scope), are what the role must allow.
// A unit test checks that the union over all modes covers every kind unexpose may delete,
// so a new kind in a generator cannot be missed here.

import { kindInfoOf } from '../kube/kinds.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Service } from '../model/snapshot.js';
import { type ExposeFacts, type ExposeMode, type ExposeSpec, planExpose } from '../modes/index.js';

/** The verbs behind a write: server-side apply (patch; create when the object is new) and unexpose (delete). */
export const WRITE_VERBS = ['create', 'patch', 'delete'] as const;

/** Where written objects of a kind land. */
export type WriteScope = 'service-namespace' | 'other-namespace' | 'cluster';

export interface WrittenKind {
  group: string;
  kind: string;
  resource: string;
  scope: WriteScope;
  /** The namespace for 'other-namespace' (metallb-system). */
  namespace?: string;
}

/** The namespace of the sample Services; any object elsewhere lands in a fixed namespace. */
const SAMPLE_NAMESPACE = 'exposectl-rbac-sample';

function sampleService(ports: Array<{ name: string; port: number; protocol?: string }>, selector = true): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: SAMPLE_NAMESPACE },
    spec: {
      type: 'ClusterIP',
      ...(selector ? { selector: { app: 'web' } } : {}),
      ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP', targetPort: p.port })),
    },
  } as Service;
}

const HTTP = { name: 'http', port: 80 };
const EVERY_PROTOCOL = [
  HTTP,
  { name: 'https', port: 8443 },
  { name: 'db', port: 5432 },
  { name: 'dns', port: 53, protocol: 'UDP' },
];

type Variant = Omit<ExposeSpec, 'mode'> & { facts?: ExposeFacts };

/** IngressClasses of the controllers whose cookie affinity --sticky writes. */
const INGRESS_CLASSES = {
  ingressClasses: [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'traefik' },
      spec: { controller: 'traefik.io/ingress-controller' },
    },
  ],
} as ExposeFacts;

/** Per mode, the options that together exercise every object the generator can make. */
const VARIANTS: Record<ExposeMode, Variant[]> = {
  nodeport: [
    { service: sampleService([HTTP]), sticky: true },
    { service: sampleService([HTTP]), inPlace: true, sticky: true },
  ],
  ingress: [
    { service: sampleService([HTTP]), host: 'web.example.com', ingressClass: 'nginx', tlsSecret: 'web-tls' },
    {
      service: sampleService([HTTP]),
      host: 'web.example.com',
      ingressClass: 'nginx',
      sticky: true,
      facts: INGRESS_CLASSES,
    },
    // Traefik reads its cookie affinity from the Service: an annotation patch of the Service.
    {
      service: sampleService([HTTP]),
      host: 'web.example.com',
      ingressClass: 'traefik',
      inPlace: true,
      sticky: true,
      facts: INGRESS_CLASSES,
    },
  ],
  l2: [
    {
      service: sampleService([HTTP]),
      addresses: ['192.0.2.10-192.0.2.20'],
      interfaces: ['eth0'],
      nodeSelectors: [{ role: 'edge' }],
    },
    { service: sampleService([HTTP]), pool: 'lan', inPlace: true, sticky: true },
  ],
  bgp: [
    {
      service: sampleService([HTTP]),
      addresses: ['203.0.113.0/28'],
      peer: '192.0.2.1',
      peerASN: 64500,
      myASN: 64512,
      communities: ['65000:100'],
      localPref: 100,
      nodeSelectors: [{ role: 'edge' }],
    },
    { service: sampleService([HTTP]), pool: 'wan', inPlace: true, sticky: true },
    // Through Calico (its BGP runs, no MetalLB pool): an IPPool and the default BGPConfiguration.
    {
      service: sampleService([HTTP]),
      addresses: ['203.0.113.0/28'],
      facts: { pools: [], calico: { running: true, bgpConfigurations: [], ipPools: [] } },
    },
  ],
  hostnetwork: [
    {
      service: sampleService([HTTP, { name: 'dns', port: 53, protocol: 'UDP' }]),
      gatewayImpl: 'nginx',
      nodeSelector: { role: 'edge' },
      preserveSourceIP: true,
    },
    { service: sampleService([HTTP]), gatewayImpl: 'haproxy', inPlace: true },
    { service: sampleService([HTTP]), gatewayImpl: 'haproxy', sticky: true },
  ],
  gateway: [
    { service: sampleService(EVERY_PROTOCOL), gatewayClass: 'example', host: 'web.example.com', tlsSecret: 'web-tls' },
    { service: sampleService([HTTP]), gateway: 'infra/shared', host: 'web.example.com', sticky: true },
  ],
};

function scopeOf(obj: KubeObject, namespaced: boolean): Pick<WrittenKind, 'scope' | 'namespace'> {
  if (!namespaced) return { scope: 'cluster' };
  const ns = obj.metadata.namespace ?? SAMPLE_NAMESPACE;
  return ns === SAMPLE_NAMESPACE ? { scope: 'service-namespace' } : { scope: 'other-namespace', namespace: ns };
}

/** The objects a mode's sample plans generate (throws when a sample no longer plans: the samples need updating). */
export function sampleManifests(mode: ExposeMode): KubeObject[] {
  return VARIANTS[mode].flatMap(({ facts, ...variant }) => {
    const plan = planExpose({ ...variant, mode }, facts);
    if (plan.problems.length > 0) {
      throw new Error(
        `rbac: the sample exposure of mode ${mode} no longer plans: ${plan.problems.map((p) => p.message).join('; ')}`,
      );
    }
    return plan.manifests;
  });
}

/** The kinds a mode writes, each with where it lands, sorted by group and kind. */
export function writtenKinds(mode: ExposeMode): WrittenKind[] {
  const out = new Map<string, WrittenKind>();
  for (const obj of sampleManifests(mode)) {
    const info = kindInfoOf(obj.apiVersion, obj.kind);
    if (!info)
      throw new Error(`rbac: mode ${mode} generates ${obj.kind} (${obj.apiVersion}), which is not in the kinds table`);
    const written: WrittenKind = {
      group: info.group,
      kind: info.kind,
      resource: info.plural,
      ...scopeOf(obj, info.namespaced),
    };
    out.set(`${written.group}/${written.kind}/${written.scope}/${written.namespace ?? ''}`, written);
  }
  return [...out.values()].sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));
}
