// Snapshot -> Topology: each mode, announcers and next hops, ready and not-ready
// endpoints, externalTrafficPolicy Local, several gateways in front of one Service.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/kube-object.js';
import type { Topology } from '../../../src/model/topology.js';
import { buildTopology } from '../../../src/topology/build.js';
import {
  backendRule,
  bgpadv,
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
  snap,
  workload,
} from '../../helpers/builders.js';
import { schemaErrors } from '../../helpers/schema.js';

const nodes = [node('n1', '192.0.2.1'), node('n2', '192.0.2.2'), node('n3', '192.0.2.3')];
const metallbL2 = [pool('lan', ['198.51.100.0/24']), l2adv('lan')];
const metallbBgp = [pool('routed', ['203.0.113.0/24']), bgpadv('routed')];

function edge(t: Topology, from: string, to: string) {
  return t.edges.find((e) => e.from === from && e.to === to);
}
function ids(t: Topology, kind: string): string[] {
  return t.nodes.filter((n) => n.kind === kind).map((n) => n.id);
}
function valid(t: Topology): Topology {
  expect(schemaErrors('topology.schema.json', JSON.parse(JSON.stringify(t)))).toEqual([]);
  return t;
}

const l2Status = (svc: string, nodeName: string, iface: string): KubeObject => ({
  apiVersion: 'metallb.io/v1beta1',
  kind: 'ServiceL2Status',
  metadata: {
    name: `l2-${svc}`,
    namespace: 'metallb-system',
    labels: { 'metallb.io/node': nodeName, 'metallb.io/service-name': svc, 'metallb.io/service-namespace': 'default' },
  },
  status: { node: nodeName, serviceName: svc, serviceNamespace: 'default', interfaces: [{ name: iface }] },
});
const bgpStatus = (svc: string, nodeName: string, peers: string[]): KubeObject => ({
  apiVersion: 'metallb.io/v1beta1',
  kind: 'ServiceBGPStatus',
  metadata: { name: `bgp-${svc}-${nodeName}`, namespace: 'metallb-system' },
  status: { node: nodeName, serviceName: svc, serviceNamespace: 'default', peers },
});

describe('NodePort', () => {
  it('client -> node addresses -> Service, source IP lost with Cluster, Pods per node', () => {
    const t = valid(
      buildTopology(
        snap([
          ...nodes,
          service('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }),
          slice('np', [
            { ready: true, node: 'n1' },
            { ready: true, node: 'n2' },
          ]),
        ]),
      ),
    );
    const addr = 'address:nodes:192.0.2.1,192.0.2.2,192.0.2.3';
    expect(edge(t, 'client', addr)?.label).toBe('30080/TCP');
    const toSvc = edge(t, addr, 'service:default/np')!;
    expect(toSvc).toMatchObject({ sourceIpLost: true, label: '30080/TCP' });
    expect(toSvc.note).toMatch(/externalTrafficPolicy Cluster/);
    expect(edge(t, 'service:default/np', 'endpointslice:default/np-ipv4')).toBeDefined();
    expect(t.nodes.filter((n) => n.kind === 'pod').map((n) => [n.label, n.node, n.ready])).toEqual([
      ['10.1.0.1', 'n1', true],
      ['10.1.0.2', 'n2', true],
    ]);
  });

  it('Local policy keeps the source IP', () => {
    const t = valid(
      buildTopology(
        snap([
          ...nodes,
          service('np', { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30080 }] }),
        ]),
      ),
    );
    const e = t.edges.find((x) => x.to === 'service:default/np')!;
    expect(e.sourceIpLost).toBe(false);
    expect(e.note).toMatch(/Local/);
  });
});

describe('LoadBalancer in L2', () => {
  it('the announcing node from MetalLB ServiceL2Status, with its interface and addresses', () => {
    const t = valid(
      buildTopology(
        snap([
          ...nodes,
          ...metallbL2,
          service('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, {}, lbStatus('198.51.100.10')),
          slice('web', [{ ready: true, node: 'n2' }]),
          l2Status('web', 'n2', 'eth0'),
        ]),
      ),
    );
    const announcer = t.nodes.find((n) => n.kind === 'announcer')!;
    expect(announcer).toMatchObject({ label: 'n2', node: 'n2', interface: 'eth0', addresses: ['192.0.2.2'] });
    expect(announcer.unknown).toBeUndefined();
    expect(edge(t, 'address:198.51.100.10', announcer.id)?.label).toBe('ARP on eth0');
    expect(edge(t, announcer.id, 'service:default/web')?.sourceIpLost).toBe(false);
    expect(t.nodes.find((n) => n.id === 'address:198.51.100.10')).toMatchObject({ modes: ['l2'], status: 'ready' });
  });

  it('without status: a placeholder elected among the nodes with a ready endpoint (Local)', () => {
    const t = valid(
      buildTopology(
        snap([
          ...nodes,
          ...metallbL2,
          service('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, {}, lbStatus('198.51.100.10')),
          slice('web', [
            { ready: true, node: 'n1' },
            { ready: true, node: 'n3' },
            { ready: false, node: 'n2' },
          ]),
        ]),
      ),
    );
    const announcer = t.nodes.find((n) => n.kind === 'announcer')!;
    expect(announcer.unknown).toBe(true);
    expect(announcer.details).toEqual(['one elected among n1, n3']);
  });

  it('kube-vip names the holder in the kube-vip.io/vipHost annotation', () => {
    const t = valid(
      buildTopology(
        snap([
          ...nodes,
          service(
            'vip',
            { type: 'LoadBalancer', loadBalancerClass: 'kube-vip.io/kube-vip-class' },
            { annotations: { 'kube-vip.io/vipHost': 'n3' } },
            lbStatus('192.0.2.100'),
          ),
        ]),
      ),
    );
    expect(t.nodes.find((n) => n.kind === 'announcer')).toMatchObject({ node: 'n3', label: 'n3' });
    // Cluster policy: lost on the node hop.
    expect(t.edges.find((e) => e.to === 'service:default/vip')?.sourceIpLost).toBe(true);
  });
});

describe('LoadBalancer in BGP', () => {
  it('next hops: the nodes with a ready endpoint under Local', () => {
    const t = valid(
      buildTopology(
        snap([
          ...nodes,
          ...metallbBgp,
          service('api', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, {}, lbStatus('203.0.113.5')),
          slice('api', [
            { ready: true, node: 'n1' },
            { ready: false, node: 'n2' },
          ]),
        ]),
      ),
    );
    expect(t.nodes.filter((n) => n.kind === 'nexthop').map((n) => n.node)).toEqual(['n1']);
  });

  it('next hops: every node under Cluster, collapsed beyond six; ServiceBGPStatus wins', () => {
    const many = Array.from({ length: 8 }, (_, i) => node(`w${i}`, `10.0.0.${i + 1}`));
    const t = valid(
      buildTopology(
        snap([...many, ...metallbBgp, service('api', { type: 'LoadBalancer' }, {}, lbStatus('203.0.113.5'))]),
      ),
    );
    const hops = t.nodes.filter((n) => n.kind === 'nexthop');
    expect(hops).toHaveLength(1);
    expect(hops[0]).toMatchObject({ label: '8 nodes', unknown: true });
    const withStatus = valid(
      buildTopology(
        snap([
          ...nodes,
          ...metallbBgp,
          {
            apiVersion: 'metallb.io/v1beta2',
            kind: 'BGPPeer',
            metadata: { name: 'tor', namespace: 'metallb-system' },
            spec: { peerAddress: '192.0.2.254', peerASN: 64500, myASN: 64512 },
          },
          service('api', { type: 'LoadBalancer' }, {}, lbStatus('203.0.113.5')),
          bgpStatus('api', 'n2', ['tor']),
        ]),
      ),
    );
    expect(withStatus.nodes.filter((n) => n.kind === 'nexthop').map((n) => [n.node, n.details])).toEqual([
      ['n2', ['peers: tor']],
    ]);
    expect(withStatus.nodes.find((n) => n.kind === 'address')?.details).toEqual(['BGP peers: 192.0.2.254 (AS 64500)']);
  });
});

describe('endpoints', () => {
  it('tells ready from not-ready endpoints; the not-ready edge is marked', () => {
    const t = valid(
      buildTopology(
        snap([
          service('np', { type: 'NodePort' }),
          slice('np', [
            { ready: true, node: 'n1' },
            { ready: false, node: 'n2' },
          ]),
        ]),
      ),
    );
    const notReady = t.nodes.find((n) => n.kind === 'pod' && n.ready === false)!;
    expect(notReady.node).toBe('n2');
    expect(edge(t, 'endpointslice:default/np-ipv4', notReady.id)).toMatchObject({ notReady: true, label: 'not ready' });
  });

  it('names Pods from targetRef and finds their node through the Pod when the endpoint has none', () => {
    const s = slice('np', [{ ready: true }]);
    (s.endpoints as Array<Record<string, unknown>>)[0]!.targetRef = {
      kind: 'Pod',
      name: 'np-1',
      namespace: 'default',
    };
    const t = valid(
      buildTopology(snap([service('np', { type: 'NodePort' }), s, pod('np-1', { app: 'np' }, true, 'n3')])),
    );
    expect(t.nodes.find((n) => n.kind === 'pod')).toMatchObject({
      id: 'pod:default/np-1',
      label: 'np-1',
      node: 'n3',
      ready: true,
      objectKind: 'Pod',
    });
  });

  it('without EndpointSlices: the Pods the selector matches, readiness from their conditions (unknown without status)', () => {
    const t = valid(
      buildTopology(
        snap([
          service('np', { type: 'NodePort' }),
          pod('np-a', { app: 'np' }, true, 'n1'),
          pod('np-b', { app: 'np' }, false, 'n2'),
          pod('np-c', { app: 'np' }, undefined, 'n3'),
          pod('other', { app: 'other' }, true, 'n1'),
        ]),
      ),
    );
    expect(t.nodes.filter((n) => n.kind === 'pod').map((n) => [n.label, n.ready])).toEqual([
      ['np-a', true],
      ['np-b', false],
      ['np-c', undefined],
    ]);
    expect(edge(t, 'service:default/np', 'pod:default/np-b')?.notReady).toBe(true);
    expect(ids(t, 'endpointslice')).toEqual([]);
  });
});

describe('several gateways in front of one Service', () => {
  const objects = [
    ...nodes,
    ingressClass('nginx', 'k8s.io/ingress-nginx', true),
    gatewayClass('cilium', 'io.cilium/gateway-controller'),
    service('web', { type: 'ClusterIP' }),
    slice('web', [{ ready: true, node: 'n1' }]),
    service('other', { type: 'ClusterIP' }),
    ingress(
      'admin',
      { rules: [backendRule('web', 'admin.example'), backendRule('other', 'other.example')] },
      {},
      lbStatus('198.51.100.11'),
    ),
    gateway(
      'public',
      {
        gatewayClassName: 'cilium',
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80 },
          { name: 'tcp', protocol: 'TCP', port: 5000 },
        ],
      },
      {},
      { addresses: [{ type: 'IPAddress', value: '198.51.100.12' }] },
    ),
    route('HTTPRoute', 'storefront', {
      parentRefs: [{ name: 'public', sectionName: 'http' }],
      rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
    }),
    route('TCPRoute', 'raw', {
      parentRefs: [{ name: 'public', sectionName: 'tcp' }],
      rules: [{ backendRefs: [{ name: 'web', port: 5000 }] }],
    }),
    workload(
      'DaemonSet',
      'edge',
      {
        hostNetwork: true,
        containers: [{ name: 'haproxy', image: 'haproxy:3.2', ports: [{ containerPort: 443, hostPort: 443 }] }],
      },
      {
        labels: {
          'app.kubernetes.io/managed-by': 'exposectl',
          'exposectl.dev/service': 'web',
          'exposectl.dev/service-namespace': 'default',
          'exposectl.dev/mode': 'hostnetwork',
        },
      },
    ),
  ];

  it('the Service topology has every gateway that leads to it, and only its backends', () => {
    const t = valid(buildTopology(snap(objects), { service: { namespace: 'default', name: 'web' } }));
    expect(t.service).toEqual({ namespace: 'default', name: 'web' });
    expect(ids(t, 'gateway')).toEqual([
      'gateway:DaemonSet/default/edge',
      'gateway:Gateway/default/public',
      'gateway:Ingress/default/admin',
    ]);
    expect(ids(t, 'route')).toEqual(['route:HTTPRoute/default/storefront', 'route:TCPRoute/default/raw']);
    expect(ids(t, 'service')).toEqual(['service:default/web']);
    // HTTP proxies pass the client in X-Forwarded-For; TCP proxies lose it without PROXY protocol.
    expect(edge(t, 'gateway:Ingress/default/admin', 'service:default/web')).toMatchObject({
      sourceIpLost: false,
      label: 'admin.example/ -> :80',
    });
    expect(edge(t, 'route:HTTPRoute/default/storefront', 'service:default/web')?.sourceIpLost).toBe(false);
    expect(edge(t, 'route:TCPRoute/default/raw', 'service:default/web')?.sourceIpLost).toBe(true);
    expect(edge(t, 'gateway:DaemonSet/default/edge', 'service:default/web')?.sourceIpLost).toBe(true);
    expect(edge(t, 'gateway:Gateway/default/public', 'route:TCPRoute/default/raw')?.label).toBe('tcp');
    expect(edge(t, 'client', 'address:198.51.100.12')?.label).toBe('80/TCP, 5000/TCP');
    expect(edge(t, 'address:nodes:192.0.2.1,192.0.2.2,192.0.2.3', 'gateway:DaemonSet/default/edge')).toBeDefined();
  });

  it('every exposure: the Ingress reaches both Services', () => {
    const t = valid(buildTopology(snap(objects)));
    expect(ids(t, 'service')).toEqual(['service:default/other', 'service:default/web']);
    expect(edge(t, 'gateway:Ingress/default/admin', 'service:default/other')).toBeDefined();
  });

  it('a backend Service that is missing: broken live, unknown from files', () => {
    const missing = [
      ingressClass('nginx', 'k8s.io/ingress-nginx', true),
      ingress('i', { rules: [backendRule('gone')] }, {}, lbStatus('198.51.100.1')),
    ];
    expect(buildTopology(snap(missing)).nodes.find((n) => n.id === 'service:default/gone')).toMatchObject({
      status: 'unknown',
      details: ['not in the input'],
    });
    expect(buildTopology(live(missing)).nodes.find((n) => n.id === 'service:default/gone')).toMatchObject({
      status: 'broken',
      details: ['not found'],
    });
  });
});

describe('scope', () => {
  it('a Service with no exposure is drawn alone with its endpoints', () => {
    const t = valid(
      buildTopology(snap([service('internal', {}), slice('internal', [{ ready: true, node: 'n1' }])]), {
        service: { namespace: 'default', name: 'internal' },
      }),
    );
    expect(ids(t, 'client')).toEqual([]);
    expect(ids(t, 'service')).toEqual(['service:default/internal']);
    expect(ids(t, 'pod')).toHaveLength(1);
  });

  it('externalIPs get their own address', () => {
    const t = valid(buildTopology(snap([service('ext', { externalIPs: ['192.0.2.50'] })])));
    expect(edge(t, 'address:192.0.2.50', 'service:default/ext')?.sourceIpLost).toBe(true);
    expect(t.nodes.find((n) => n.id === 'address:192.0.2.50')?.modes).toEqual(['externalip']);
  });

  it('the namespace option keeps the exposures of one namespace', () => {
    const t = buildTopology(
      snap([
        service('a', { type: 'NodePort' }, { namespace: 'x' }),
        service('b', { type: 'NodePort' }, { namespace: 'y' }),
      ]),
      { namespace: 'y' },
    );
    expect(ids(t, 'service')).toEqual(['service:y/b']);
  });

  it('is deterministic', () => {
    const build = () =>
      JSON.stringify(
        buildTopology(
          snap([...nodes, ...metallbL2, service('web', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.10'))]),
        ),
      );
    expect(build()).toBe(build());
  });
});

describe('live reads of one namespace', () => {
  it('a parent Gateway in a namespace that was not read is unknown, not broken', () => {
    const objects = [
      service('web', { type: 'ClusterIP' }, { namespace: 'app' }),
      route(
        'HTTPRoute',
        'r',
        { parentRefs: [{ name: 'shared', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
        { namespace: 'app' },
      ),
    ];
    const t = valid(buildTopology(live(objects)));
    expect(t.nodes.find((n) => n.id === 'gateway:Gateway/infra/shared')).toMatchObject({
      status: 'unknown',
      details: ['namespace infra not read (use -A)'],
    });
    const withInfra = valid(buildTopology(live([...objects, service('other', {}, { namespace: 'infra' })])));
    expect(withInfra.nodes.find((n) => n.id === 'gateway:Gateway/infra/shared')).toMatchObject({
      status: 'broken',
      details: ['not found'],
    });
  });
});

describe('hostNetwork proxies read from their configuration', () => {
  const haproxy = (sendProxy: boolean) => [
    service('db', { type: 'ClusterIP', ports: [{ port: 5432, protocol: 'TCP' }] }),
    slice('db', [{ ready: true, node: 'n1' }]),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'edge-cfg', namespace: 'default' },
      data: {
        'haproxy.cfg': `frontend pg\n  mode tcp\n  bind :5432\n  default_backend pg\nbackend pg\n  mode tcp\n  server db db.default.svc.cluster.local:5432${sendProxy ? ' send-proxy-v2' : ''}\n`,
      },
    } as KubeObject,
    workload('DaemonSet', 'edge', {
      hostNetwork: true,
      containers: [
        {
          name: 'haproxy',
          image: 'haproxy:3.2',
          ports: [{ containerPort: 5432, hostPort: 5432 }],
          volumeMounts: [{ name: 'cfg', mountPath: '/usr/local/etc/haproxy' }],
        },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'edge-cfg' } }],
    }),
  ];

  it('links the gateway to the Service it forwards to; PROXY protocol keeps the source IP', () => {
    const t = valid(buildTopology(snap(haproxy(true)), { service: { namespace: 'default', name: 'db' } }));
    const e = edge(t, 'gateway:DaemonSet/default/edge', 'service:default/db')!;
    expect(e).toMatchObject({ sourceIpLost: false, label: ':5432 -> db.default.svc.cluster.local:5432' });
    expect(e.note).toMatch(/PROXY protocol v2/);
  });

  it('without send-proxy the hop loses the source IP', () => {
    const t = valid(buildTopology(snap(haproxy(false))));
    expect(edge(t, 'gateway:DaemonSet/default/edge', 'service:default/db')?.sourceIpLost).toBe(true);
  });
});
