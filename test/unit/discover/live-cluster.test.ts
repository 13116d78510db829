// One small live cluster with every mode, read end to end: the full rows are held, so
// the output shape (ports, nodePorts, endpoints, source IP, reasons) is visible here.
import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import type { Exposure } from '../../../src/model/exposure.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import {
  backendRule,
  gateway,
  gatewayClass,
  ingress,
  ingressClass,
  l2adv,
  lbStatus,
  live,
  node,
  pod,
  pool,
  route,
  service,
  slice,
  workload,
} from '../../helpers/builders.js';

const nodes = [node('n1', '10.0.0.11', { labels: { edge: 'true' } }), node('n2', '10.0.0.12')];
const objects: KubeObject[] = [
  ...nodes,
  // MetalLB L2 in front of ingress-nginx, Local policy
  pool('lan', ['192.0.2.100-192.0.2.120']),
  l2adv('lan'),
  ingressClass('nginx', 'k8s.io/ingress-nginx', true),
  workload(
    'Deployment',
    'ingress-nginx-controller',
    {
      containers: [
        {
          name: 'controller',
          image: 'registry.k8s.io/ingress-nginx/controller:v1.15.1',
          args: ['--ingress-class=nginx'],
          ports: [{ containerPort: 80 }],
        },
      ],
    },
    { namespace: 'ingress-nginx' },
  ),
  service(
    'ingress-nginx-controller',
    {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: { app: 'ingress-nginx-controller' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 31080 }],
    },
    { namespace: 'ingress-nginx' },
    lbStatus('192.0.2.100'),
  ),
  slice('ingress-nginx-controller', [{ node: 'n1' }], 'IPv4', 'inc-1', 'ingress-nginx'),
  // the app behind the Ingress and the route
  service('shop', { ports: [{ port: 8080 }] }, { namespace: 'shop' }),
  slice('shop', [{ node: 'n1' }, { node: 'n2', ready: false }], 'IPv4', 'shop-1', 'shop'),
  ingress(
    'shop',
    { rules: [backendRule('shop', 'shop.example.com', 8080)] },
    { namespace: 'shop' },
    { loadBalancer: { ingress: [{ ip: '192.0.2.100' }] } },
  ),
  // Gateway API through Cilium
  gatewayClass('cilium', 'io.cilium/gateway-controller'),
  gateway(
    'public',
    {
      gatewayClassName: 'cilium',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }],
    },
    { namespace: 'infra' },
    { addresses: [{ type: 'IPAddress', value: '192.0.2.110' }], conditions: [{ type: 'Programmed', status: 'True' }] },
  ),
  route(
    'HTTPRoute',
    'shop',
    {
      parentRefs: [{ name: 'public', namespace: 'infra' }],
      hostnames: ['shop.example.com'],
      rules: [{ backendRefs: [{ name: 'shop', port: 8080 }] }],
    },
    { namespace: 'shop' },
  ),
  // a NodePort for the metrics, and a hostNetwork HAProxy on the edge node
  service('metrics', { type: 'NodePort', ports: [{ port: 9100, nodePort: 30910 }] }, { namespace: 'mon' }),
  pod('metrics-1', { app: 'metrics' }, true, 'n2', { namespace: 'mon' }),
  workload(
    'DaemonSet',
    'haproxy',
    {
      hostNetwork: true,
      nodeSelector: { edge: 'true' },
      containers: [{ name: 'haproxy', image: 'haproxytech/haproxy-alpine:3.0', ports: [{ containerPort: 443 }] }],
    },
    { namespace: 'edge' },
    { desiredNumberScheduled: 1, numberReady: 1 },
  ),
];

describe('a live cluster with every mode', () => {
  const items = discoverExposures(live(objects));
  const byName = (ns: string, name: string, kind: string) =>
    items.find((e) => e.namespace === ns && e.name === name && e.kind === kind)!;

  it('lists one row per exposing object, sorted', () => {
    expect(items.map((e) => `${e.namespace}/${e.name} ${e.kind}`)).toEqual([
      'edge/haproxy DaemonSet',
      'infra/public Gateway',
      'ingress-nginx/ingress-nginx-controller Service',
      'mon/metrics Service',
      'shop/shop HTTPRoute',
      'shop/shop Ingress',
    ]);
  });

  it.each<[string, string, string, Exposure]>([
    [
      'ingress-nginx',
      'ingress-nginx-controller',
      'Service',
      {
        namespace: 'ingress-nginx',
        name: 'ingress-nginx-controller',
        kind: 'Service',
        service: { namespace: 'ingress-nginx', name: 'ingress-nginx-controller' },
        mode: 'l2',
        implementation: 'metallb',
        addresses: ['192.0.2.100'],
        ports: [{ port: 80, protocol: 'TCP', nodePort: 31080, targetPort: 'http' }],
        endpoints: { ready: 1, total: 1 },
        sourceIP: 'preserved',
        sticky: 'none',
        status: 'ready',
      },
    ],
    [
      'shop',
      'shop',
      'Ingress',
      {
        namespace: 'shop',
        name: 'shop',
        kind: 'Ingress',
        service: { namespace: 'shop', name: 'shop' },
        mode: 'ingress',
        implementation: 'ingress-nginx',
        addresses: ['192.0.2.100'],
        ports: [{ port: 80, protocol: 'TCP' }],
        endpoints: { ready: 1, total: 2 },
        sourceIP: 'preserved',
        sticky: 'none',
        status: 'degraded',
        reason: '1 of 2 endpoints of backend Service shop/shop ready',
        hosts: ['shop.example.com'],
      },
    ],
    [
      'infra',
      'public',
      'Gateway',
      {
        namespace: 'infra',
        name: 'public',
        kind: 'Gateway',
        service: null,
        mode: 'gateway',
        implementation: 'cilium',
        addresses: ['192.0.2.110'],
        ports: [{ port: 80, protocol: 'TCP', name: 'http' }],
        endpoints: null,
        sourceIP: 'unknown',
        sticky: 'none',
        status: 'ready',
      },
    ],
    [
      'shop',
      'shop',
      'HTTPRoute',
      {
        namespace: 'shop',
        name: 'shop',
        kind: 'HTTPRoute',
        service: { namespace: 'shop', name: 'shop' },
        mode: 'gateway',
        implementation: 'cilium',
        addresses: ['192.0.2.110'],
        ports: [{ port: 80, protocol: 'TCP', name: 'http', targetPort: 8080 }],
        endpoints: { ready: 1, total: 2 },
        sourceIP: 'unknown',
        sticky: 'none',
        status: 'degraded',
        reason: '1 of 2 endpoints of backend Service shop/shop ready',
        hosts: ['shop.example.com'],
      },
    ],
    [
      'mon',
      'metrics',
      'Service',
      {
        namespace: 'mon',
        name: 'metrics',
        kind: 'Service',
        service: { namespace: 'mon', name: 'metrics' },
        mode: 'nodeport',
        implementation: null,
        addresses: ['10.0.0.11', '10.0.0.12'],
        ports: [{ port: 9100, protocol: 'TCP', nodePort: 30910, targetPort: 9100 }],
        endpoints: { ready: 1, total: 1 },
        sourceIP: 'lost',
        sticky: 'none',
        status: 'ready',
      },
    ],
    [
      'edge',
      'haproxy',
      'DaemonSet',
      {
        namespace: 'edge',
        name: 'haproxy',
        kind: 'DaemonSet',
        service: null,
        mode: 'hostnetwork',
        implementation: 'haproxy',
        addresses: ['10.0.0.11'],
        ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
        endpoints: { ready: 1, total: 1 },
        // its config (baked into the image here) decides what the backends see
        sourceIP: 'unknown',
        sticky: 'none',
        status: 'ready',
      },
    ],
  ])('%s/%s %s', (ns, name, kind, expected) => {
    expect(byName(ns, name, kind)).toEqual(expected);
  });
});
