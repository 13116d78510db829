// The test builders: small hand-written Kubernetes objects (Service, EndpointSlice, Node,
// Pod, MetalLB and Cilium objects, Ingress, Gateway API, workloads) and snapshots holding
// them, for every unit test that needs objects, instead of a copy in each test file.

import { kindInfoOf } from '../../src/kube/kinds.js';
import type { KubeObject } from '../../src/model/kube-object.js';
import { emptySnapshot, type Snapshot } from '../../src/model/snapshot.js';

type Obj = KubeObject;
type Meta = Partial<KubeObject['metadata']>;

/** A snapshot from files (default) or a live cluster holding the given objects. */
export function snap(objects: KubeObject<unknown, unknown>[], source: 'files' | 'cluster' = 'files'): Snapshot {
  const s = emptySnapshot({ kind: source, description: 'test' });
  for (const o of objects as Obj[]) {
    const info = kindInfoOf(o.apiVersion, o.kind);
    if (!info) throw new Error(`test object of unknown kind ${o.apiVersion} ${o.kind}`);
    if (info.keep && !info.keep(o)) continue;
    info.add(s, o);
  }
  return s;
}
export const live = (objects: KubeObject<unknown, unknown>[]) => snap(objects, 'cluster');

const obj = (apiVersion: string, kind: string, name: string, meta: Meta, rest: Record<string, unknown>): Obj =>
  ({ apiVersion, kind, metadata: { name, namespace: 'default', ...meta }, ...rest }) as Obj;
const cluster = (apiVersion: string, kind: string, name: string, meta: Meta, rest: Record<string, unknown>): Obj =>
  ({ apiVersion, kind, metadata: { name, ...meta }, ...rest }) as Obj;

export function service(
  name: string,
  spec: Record<string, unknown>,
  meta: Meta = {},
  status?: Record<string, unknown>,
): Obj {
  return obj('v1', 'Service', name, meta, {
    spec: { selector: { app: name }, ports: [{ port: 80, protocol: 'TCP' }], ...spec },
    ...(status ? { status } : {}),
  });
}
export const lbStatus = (...ips: string[]) => ({
  loadBalancer: { ingress: ips.map((ip) => (/^[0-9a-f:.]+$/i.test(ip) ? { ip } : { hostname: ip })) },
});

export function node(
  name: string,
  internal: string,
  opts: { external?: string; labels?: Record<string, string> } = {},
): Obj {
  return cluster(
    'v1',
    'Node',
    name,
    { labels: opts.labels ?? {} },
    {
      status: {
        addresses: [
          { type: 'InternalIP', address: internal },
          ...(opts.external ? [{ type: 'ExternalIP', address: opts.external }] : []),
        ],
      },
    },
  );
}

export function pod(
  name: string,
  labels: Record<string, string>,
  ready: boolean | undefined,
  nodeName = 'n1',
  meta: Meta = {},
): Obj {
  return obj(
    'v1',
    'Pod',
    name,
    { labels, ...meta },
    {
      spec: { nodeName, containers: [{ name: 'c', image: 'x' }] },
      ...(ready === undefined
        ? {}
        : {
            status: {
              phase: 'Running',
              hostIP: '10.0.0.1',
              conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
            },
          }),
    },
  );
}

export interface Ep {
  ready?: boolean;
  node?: string;
  ips?: string[];
}
export function slice(
  serviceName: string,
  endpoints: Ep[],
  addressType = 'IPv4',
  name = `${serviceName}-${addressType.toLowerCase()}`,
  ns = 'default',
): Obj {
  return obj(
    'discovery.k8s.io/v1',
    'EndpointSlice',
    name,
    { namespace: ns, labels: { 'kubernetes.io/service-name': serviceName } },
    {
      addressType,
      endpoints: endpoints.map((e, i) => ({
        addresses: e.ips ?? [addressType === 'IPv6' ? `fd00::${i + 1}` : `10.1.0.${i + 1}`],
        ...(e.ready === undefined ? {} : { conditions: { ready: e.ready } }),
        ...(e.node ? { nodeName: e.node } : {}),
      })),
    },
  );
}

// MetalLB
export const pool = (name: string, addresses: string[], spec: Record<string, unknown> = {}, meta: Meta = {}) =>
  obj(
    'metallb.io/v1beta1',
    'IPAddressPool',
    name,
    { namespace: 'metallb-system', ...meta },
    { spec: { addresses, ...spec } },
  );
export const l2adv = (name: string, spec?: Record<string, unknown>) =>
  obj('metallb.io/v1beta1', 'L2Advertisement', name, { namespace: 'metallb-system' }, spec ? { spec } : {});
export const bgpadv = (name: string, spec?: Record<string, unknown>) =>
  obj('metallb.io/v1beta1', 'BGPAdvertisement', name, { namespace: 'metallb-system' }, spec ? { spec } : {});

// Cilium
export const ciliumPool = (name: string, spec: Record<string, unknown>) =>
  cluster('cilium.io/v2alpha1', 'CiliumLoadBalancerIPPool', name, {}, { spec });
export const ciliumL2 = (name: string, spec: Record<string, unknown>) =>
  cluster('cilium.io/v2alpha1', 'CiliumL2AnnouncementPolicy', name, {}, { spec });
export const ciliumBgpAdv = (name: string, advertisements: unknown[]) =>
  cluster('cilium.io/v2alpha1', 'CiliumBGPAdvertisement', name, {}, { spec: { advertisements } });
export const ciliumPeering = (name: string, virtualRouters: unknown[]) =>
  cluster('cilium.io/v2alpha1', 'CiliumBGPPeeringPolicy', name, {}, { spec: { virtualRouters } });

// kube-vip
export function kubeVipDaemonSet(env: Record<string, string>, name = 'kube-vip-ds'): Obj {
  return obj(
    'apps/v1',
    'DaemonSet',
    name,
    { namespace: 'kube-system' },
    {
      spec: {
        selector: { matchLabels: { name } },
        template: {
          metadata: { labels: { name } },
          spec: {
            hostNetwork: true,
            containers: [
              {
                name: 'kube-vip',
                image: 'ghcr.io/kube-vip/kube-vip:v0.8.0',
                env: Object.entries(env).map(([n, value]) => ({ name: n, value })),
              },
            ],
          },
        },
      },
    },
  );
}
export const kubeVipConfigMap = (data: Record<string, string>) =>
  obj('v1', 'ConfigMap', 'kubevip', { namespace: 'kube-system' }, { data });

// Ingress
export function ingress(
  name: string,
  spec: Record<string, unknown>,
  meta: Meta = {},
  status?: Record<string, unknown>,
): Obj {
  return obj('networking.k8s.io/v1', 'Ingress', name, meta, { spec, ...(status ? { status } : {}) });
}
export const backendRule = (service: string, host?: string, port = 80) => ({
  ...(host ? { host } : {}),
  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }] },
});
export const ingressClass = (name: string, controller: string, isDefault = false) =>
  cluster(
    'networking.k8s.io/v1',
    'IngressClass',
    name,
    isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {},
    { spec: { controller } },
  );

// Gateway API
export const gatewayClass = (name: string, controllerName: string) =>
  cluster('gateway.networking.k8s.io/v1', 'GatewayClass', name, {}, { spec: { controllerName } });
export function gateway(
  name: string,
  spec: Record<string, unknown>,
  meta: Meta = {},
  status?: Record<string, unknown>,
): Obj {
  return obj('gateway.networking.k8s.io/v1', 'Gateway', name, meta, {
    spec: { listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }], ...spec },
    ...(status ? { status } : {}),
  });
}
export function route(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  meta: Meta = {},
  status?: Record<string, unknown>,
): Obj {
  const version = kind === 'HTTPRoute' || kind === 'GRPCRoute' ? 'v1' : 'v1alpha2';
  return obj(`gateway.networking.k8s.io/${version}`, kind, name, meta, { spec, ...(status ? { status } : {}) });
}

export const referenceGrant = (name: string, namespace: string, from: unknown[], to: unknown[]) =>
  obj('gateway.networking.k8s.io/v1beta1', 'ReferenceGrant', name, { namespace }, { spec: { from, to } });

// Workloads
export function workload(
  kind: 'DaemonSet' | 'Deployment' | 'StatefulSet',
  name: string,
  podSpec: Record<string, unknown>,
  meta: Meta = {},
  status?: Record<string, unknown>,
): Obj {
  return obj('apps/v1', kind, name, meta, {
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec },
    },
    ...(status ? { status } : {}),
  });
}
