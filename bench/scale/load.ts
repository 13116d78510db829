// Loads a test control plane with the scale benchmark's objects, through the API, many
// requests in flight (bench/scale/api.ts).
//
// Shape, for Service index i (0-based; 100 Services per namespace scale-NNN):
//   i % 20 in 0..7    ClusterIP                                              40%
//   i % 20 in 8..11   NodePort (one port; one in ten externalTrafficPolicy Local)  20%
//   i % 20 in 12..14  LoadBalancer for MetalLB: the pool scale-pool (198.18.0.0/16,
//                     L2) allocates its address; allocateLoadBalancerNodePorts false 15%
//   i % 20 in 15..17  LoadBalancer of class bench.exposectl.io/static, which MetalLB
//                     ignores: the loader writes status.loadBalancer.ingress itself  15%
//   i % 20 in 18..19  ClusterIP with externalIPs                              10%
// One Service in three has a second port (not the NodePort ones: the cluster's range has
// 2,768 node ports, and LoadBalancers skip node ports for the same reason).
// Every Service has one EndpointSlice of 2 or 3 endpoints on the 100 kwok nodes (one
// Service in twenty has a not-ready endpoint). Every tenth Service has an Ingress (class
// scale-nginx, status address set; one in two with TLS).
//
// Services have no selector and their EndpointSlices are created here, labelled
// kubernetes.io/service-name and managed by bench.exposectl.io: the EndpointSlice
// controller ignores them, so nothing churns while the benchmark measures, and no Pods are
// needed (10,000 Services' worth of kwok Pods would cost the scheduler, kwok and the
// EndpointSlice controller far more than the objects measured, on a 2-core machine).

import { runBounded } from '../../src/util/run-bounded.ts';
import { type Api, sleep } from './api.ts';

export const NODES = 100;
export const SERVICES_PER_NAMESPACE = 100;
export const LABEL = 'bench.exposectl.io/scale';
export const STATIC_CLASS = 'bench.exposectl.io/static';
export const INGRESS_CLASS = 'scale-nginx';
export const POOL = { name: 'scale-pool', cidr: '198.18.0.0/16' };

export type ServiceShape = 'clusterip' | 'nodeport' | 'metallb' | 'static-lb' | 'externalip';

export function shapeOf(i: number): ServiceShape {
  const r = i % 20;
  if (r < 8) return 'clusterip';
  if (r < 12) return 'nodeport';
  if (r < 15) return 'metallb';
  if (r < 18) return 'static-lb';
  return 'externalip';
}

export const namespaceOf = (i: number): string =>
  `scale-${String(Math.floor(i / SERVICES_PER_NAMESPACE)).padStart(3, '0')}`;
const serviceName = (i: number): string => `svc-${String(i).padStart(5, '0')}`;
const hasIngress = (i: number): boolean => i % 10 === 0;
const twoPorts = (i: number): boolean => i % 3 === 0 && shapeOf(i) !== 'nodeport';
/** A distinct address per Service in a /16 (198.19.x.y for static LoadBalancers, 198.20.x.y for externalIPs). */
const addressOf = (prefix: string, i: number): string => `${prefix}.${Math.floor(i / 250)}.${(i % 250) + 1}`;

export function serviceObject(i: number): Record<string, unknown> {
  const shape = shapeOf(i);
  const name = serviceName(i);
  const ports: Record<string, unknown>[] = [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }];
  if (twoPorts(i)) ports.push({ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' });
  const spec: Record<string, unknown> = { ports };
  if (shape === 'nodeport') {
    spec.type = 'NodePort';
    if (i % 40 === 8) spec.externalTrafficPolicy = 'Local';
  } else if (shape === 'metallb' || shape === 'static-lb') {
    spec.type = 'LoadBalancer';
    spec.allocateLoadBalancerNodePorts = false;
    if (shape === 'static-lb') spec.loadBalancerClass = STATIC_CLASS;
  } else if (shape === 'externalip') {
    spec.externalIPs = [addressOf('198.20', i)];
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: namespaceOf(i),
      labels: { [LABEL]: 'true', 'bench.exposectl.io/shape': shape, app: name },
    },
    spec,
  };
}

export function endpointSliceObject(i: number): Record<string, unknown> {
  const count = i % 5 === 0 ? 3 : 2;
  const endpoints = Array.from({ length: count }, (_, j) => {
    const n = i * 3 + j;
    return {
      addresses: [`10.244.${(n >> 8) & 255}.${n & 255}`],
      conditions: { ready: !(i % 20 === 19 && j === 0), serving: true, terminating: false },
      nodeName: `node-${1 + (n % NODES)}`,
    };
  });
  const ports: Record<string, unknown>[] = [{ name: 'http', port: 8080, protocol: 'TCP' }];
  if (twoPorts(i)) ports.push({ name: 'https', port: 8443, protocol: 'TCP' });
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${serviceName(i)}-bench`,
      namespace: namespaceOf(i),
      labels: {
        [LABEL]: 'true',
        'kubernetes.io/service-name': serviceName(i),
        'endpointslice.kubernetes.io/managed-by': 'bench.exposectl.io',
      },
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

export function ingressObject(i: number): Record<string, unknown> {
  const host = `${serviceName(i)}.${namespaceOf(i)}.scale.example`;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: `ing-${String(i).padStart(5, '0')}`, namespace: namespaceOf(i), labels: { [LABEL]: 'true' } },
    spec: {
      ingressClassName: INGRESS_CLASS,
      rules: [
        {
          host,
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: serviceName(i), port: { number: 80 } } } },
            ],
          },
        },
      ],
      ...(i % 20 === 0 ? { tls: [{ hosts: [host], secretName: `tls-${serviceName(i)}` }] } : {}),
    },
  };
}

export function nodeObject(n: number): Record<string, unknown> {
  const name = `node-${n}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        type: 'kwok',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        [LABEL]: 'true',
      },
    },
    spec: { podCIDR: `10.245.${n}.0/24`, podCIDRs: [`10.245.${n}.0/24`] },
    status: {
      addresses: [
        { type: 'InternalIP', address: `192.0.2.${10 + n}` },
        { type: 'Hostname', address: name },
      ],
      allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
      capacity: { cpu: '32', memory: '128Gi', pods: '110' },
    },
  };
}

export interface LoadReport {
  objects: number;
  requests: number;
  ms: number;
}

/** Nodes node-4..node-100 (cluster:up made node-1..3), the IngressClass and the MetalLB pool; waits for the nodes to be Ready. */
export async function loadFixtures(api: Api): Promise<LoadReport> {
  const started = performance.now();
  const before = api.requests;
  const nodes = Array.from({ length: NODES - 3 }, (_, k) => k + 4);
  await runBounded(nodes, api.concurrency, (n) => api.create('/api/v1/nodes', nodeObject(n)));
  await api.create('/apis/networking.k8s.io/v1/ingressclasses', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: INGRESS_CLASS },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });
  await api.create('/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools', {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: POOL.name, namespace: 'metallb-system' },
    spec: { addresses: [POOL.cidr] },
  });
  await api.create('/apis/metallb.io/v1beta1/namespaces/metallb-system/l2advertisements', {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'L2Advertisement',
    metadata: { name: 'scale-l2', namespace: 'metallb-system' },
    spec: { ipAddressPools: [POOL.name] },
  });
  await waitFor('100 nodes Ready', 120_000, async () => {
    const list = await api.getJson<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>(
      '/api/v1/nodes',
    );
    return (
      list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length >=
      NODES
    );
  });
  return { objects: nodes.length + 3, requests: api.requests - before, ms: performance.now() - started };
}

/** How many benchmark Services the cluster holds already (a kept cluster); metadata only (the API gives no count with a label selector). */
export async function countServices(api: Api): Promise<number> {
  const list = await api.getJson<{ items: unknown[] | null }>(
    `/api/v1/services?labelSelector=${encodeURIComponent(LABEL)}`,
    'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
  );
  return list.items?.length ?? 0; // null, not [], when there is none
}

/** Services [from, to), their EndpointSlices and Ingresses, and the status of the static LoadBalancers and the Ingresses. */
export async function loadServices(api: Api, from: number, to: number): Promise<LoadReport> {
  const started = performance.now();
  const before = api.requests;
  const indexes = Array.from({ length: to - from }, (_, k) => from + k);
  const namespaces = [...new Set(indexes.map(namespaceOf))];
  await runBounded(namespaces, api.concurrency, (name) =>
    api.create('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { [LABEL]: 'true' } },
    }),
  );
  let objects = namespaces.length;
  await runBounded(indexes, api.concurrency, async (i) => {
    const ns = namespaceOf(i);
    const svc = serviceObject(i);
    await api.create(`/api/v1/namespaces/${ns}/services`, svc);
    if (shapeOf(i) === 'static-lb') {
      await api.mergePatch(`/api/v1/namespaces/${ns}/services/${serviceName(i)}/status`, {
        status: { loadBalancer: { ingress: [{ ip: addressOf('198.19', i) }] } },
      });
    }
    await api.create(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, endpointSliceObject(i));
    objects += 2;
    if (hasIngress(i)) {
      const ing = ingressObject(i);
      const name = (ing.metadata as { name: string }).name;
      await api.create(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`, ing);
      await api.mergePatch(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${name}/status`, {
        status: { loadBalancer: { ingress: [{ ip: '198.19.255.10' }] } },
      });
      objects++;
    }
  });
  return { objects, requests: api.requests - before, ms: performance.now() - started };
}

/** Waits until MetalLB has given every MetalLB Service [0, upTo) its address, so nothing changes while measuring. */
export async function waitForMetalLB(api: Api, upTo: number, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  const expected = Array.from({ length: upTo }, (_, i) => i).filter((i) => shapeOf(i) === 'metallb').length;
  await waitFor(`MetalLB addresses for ${expected} Services`, timeoutMs, async () => {
    const list = await api.getJson<{ items: { status?: { loadBalancer?: { ingress?: unknown[] } } }[] }>(
      `/api/v1/services?labelSelector=${encodeURIComponent('bench.exposectl.io/shape=metallb')}`,
    );
    return list.items.filter((s) => (s.status?.loadBalancer?.ingress?.length ?? 0) > 0).length >= expected;
  });
  return performance.now() - started;
}

/** The rows `exposectl list` should print for Services [0, n): one per published Service and per Ingress. */
export function expectedRows(n: number): Record<string, number> {
  const rows: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const shape = shapeOf(i);
    if (shape !== 'clusterip') rows[shape] = (rows[shape] ?? 0) + 1;
    if (hasIngress(i)) rows.ingress = (rows.ingress ?? 0) + 1;
  }
  return rows;
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(1000);
  }
}
