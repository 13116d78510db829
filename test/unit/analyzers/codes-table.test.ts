// One case per code of the contract: a small snapshot (and probe facts) in, exactly the
// expected (code, subject) pairs out of that check's analyzers, and no finding of the
// check on the corrected snapshot.
import { describe, expect, test } from 'vitest';
import { CODES } from '../../../src/analyzers/codes.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import type { ProbeFacts } from '../../../src/model/probe-facts.js';
import type { TlsDetails } from '../../../src/model/reach.js';
import type { BgpObservation, BgpPeerObservation } from '../../../src/probes/bgp/collector.js';
import {
  backendRule,
  bgpadv,
  check,
  configMap,
  diagnose,
  gateway,
  gatewayClass,
  haproxyGateway,
  haproxyTcp,
  ingress,
  ingressClass,
  ingressNginx,
  l2adv,
  lbStatus,
  node,
  pairs,
  pod,
  pool,
  referenceGrant,
  route,
  secret,
  service,
  serviceL2Status,
  slice,
  snapshotOf,
  workload,
} from './helpers.js';

interface Case {
  code: string;
  name?: string;
  bad: KubeObject[];
  good: KubeObject[];
  expected: Array<[string, string]>;
  source?: 'files' | 'cluster';
  badProbes?: ProbeFacts;
  goodProbes?: ProbeFacts;
}

// probe reach facts: one way in of Service default/web, as it went (bad) and as it should (good).
type ReachResultFact = NonNullable<ProbeFacts['reachProbe']>[number]['results'][number];
const REACH_TLS: TlsDetails = {
  protocol: 'TLSv1.3',
  trusted: true,
  trustError: null,
  nameMatches: true,
  subject: 'web.example.com',
  altNames: ['web.example.com'],
  issuer: 'Lab CA',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-06-01T00:00:00.000Z',
};
function reachResult(
  more: Partial<ReachResultFact> & { tls?: Partial<TlsDetails>; status?: number | null } = {},
): ReachResultFact {
  const { tls, status, ...rest } = more;
  return {
    target: {
      label: 'Ingress https://web.example.com/',
      address: '192.0.2.11',
      port: 443,
      scheme: 'https',
      host: 'web.example.com',
      path: '/',
      object: { kind: 'Service', namespace: 'default', name: 'web' },
    },
    first: {
      outcome: 'connected',
      connectMs: 1,
      totalMs: 3,
      localAddress: '192.0.2.10',
      tls: { ...REACH_TLS, ...tls },
      ...(status === null
        ? { error: 'no answer within 2000 ms' }
        : { http: { status: status ?? 200, body: '{"pod":"web-1"}' } }),
    },
    outcomes: { connected: 1 },
    statuses: status === null ? {} : { [String(status ?? 200)]: 1 },
    connectMs: { min: 1, median: 1, max: 1 },
    pods: { 'web-1': 1 },
    unnamed: 0,
    ...rest,
  };
}
const reachFacts = (r: ReachResultFact, sticky = false): ProbeFacts => ({
  reachProbe: [
    {
      apiVersion: 'exposectl.dev/v1alpha1',
      kind: 'ReachProbe',
      service: { namespace: 'default', name: 'web' },
      sticky,
      readyEndpoints: 2,
      knownPods: ['web-1', 'web-2'],
      count: Object.values(r.outcomes).reduce((a, b) => a + (b ?? 0), 0),
      timeoutMs: 2000,
      skipped: [],
      results: [r],
      startedAt: '2026-11-27T12:00:00.000Z',
      at: '2026-11-27T12:00:01.000Z',
    },
  ],
});
const failedTry = (outcome: 'refused' | 'timed-out' | 'reset' | 'unreachable') =>
  reachResult({
    first: { outcome, connectMs: null, totalMs: 2, localAddress: null, error: outcome },
    outcomes: { [outcome]: 1 },
    statuses: {},
    connectMs: null,
    pods: {},
  });
const reachCase = (code: string, bad: ReachResultFact, sticky = false): Case => ({
  code,
  bad: [service('web', { type: 'NodePort', sessionAffinity: sticky ? 'ClientIP' : 'None' })],
  good: [service('web', { type: 'NodePort', sessionAffinity: sticky ? 'ClientIP' : 'None' })],
  badProbes: reachFacts(bad, sticky),
  goodProbes: reachFacts(reachResult(), sticky),
  expected: [[code, 'Service default/web']],
});
const REACH_CASES: Case[] = [
  reachCase('reach/refused', failedTry('refused')),
  reachCase('reach/timed-out', failedTry('timed-out')),
  reachCase('reach/reset', failedTry('reset')),
  reachCase('reach/unreachable', failedTry('unreachable')),
  reachCase('reach/no-answer', reachResult({ status: null, pods: {} })),
  reachCase(
    'reach/intermittent',
    reachResult({ outcomes: { connected: 7, 'timed-out': 3 }, statuses: { '200': 7 }, pods: { 'web-1': 7 } }),
  ),
  reachCase(
    'reach/tls-name-mismatch',
    reachResult({
      tls: { nameMatches: false, trusted: false, subject: 'other.example.com', altNames: ['other.example.com'] },
    }),
  ),
  reachCase(
    'reach/tls-expired',
    reachResult({ tls: { validTo: '2026-01-02T00:00:00.000Z', trusted: false, trustError: 'CERT_HAS_EXPIRED' } }),
  ),
  reachCase('reach/tls-untrusted', reachResult({ tls: { trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' } })),
  reachCase('reach/http-error', reachResult({ status: 503, pods: {}, unnamed: 1 })),
  reachCase(
    'reach/not-sticky',
    reachResult({ outcomes: { connected: 20 }, statuses: { '200': 20 }, pods: { 'web-1': 11, 'web-2': 9 } }),
    true,
  ),
];

const lb = (
  name: string,
  spec: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
  status?: Record<string, unknown>,
) => service(name, { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ...spec }, meta, status);
const web = () => service('web', { type: 'ClusterIP' });
const lanPod = (networks: string) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'camera', namespace: 'iot', annotations: { 'k8s.v1.cni.cncf.io/networks': networks } },
    spec: { containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80 }] }] },
  }) as KubeObject;
const nad = (name: string, namespace: string) =>
  ({
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name, namespace },
    spec: { config: '{"cniVersion":"0.3.1","type":"macvlan","master":"eth0","mode":"bridge"}' },
  }) as KubeObject;
const hostDs = (name: string, port: number, nodeSelector?: Record<string, string>) =>
  workload('DaemonSet', name, {
    hostNetwork: true,
    ...(nodeSelector ? { nodeSelector } : {}),
    containers: [{ name: 'c', image: 'envoyproxy/envoy', ports: [{ containerPort: port }] }],
  });

const arpObs = (macs: string[], nodeOfMac: Record<string, string>, expectedHolder?: string) => ({
  arp: [
    {
      ip: '198.51.100.10',
      interface: 'eth0',
      macs,
      nodeOfMac,
      ...(expectedHolder ? { expectedHolder } : {}),
      requests: 3,
      durationMs: 3000,
      at: '2026-11-27T12:00:00Z',
    },
  ],
});

function peer(
  address: string,
  state: BgpPeerObservation['state'],
  routes: Array<{ prefix: string; nextHop: string }> = [],
): BgpPeerObservation {
  return {
    address,
    expected: true,
    state,
    remoteAs: 64501,
    routerId: address,
    holdTime: 90,
    capabilities: null,
    establishedAt: state === 'Established' ? '2026-11-27T11:59:00Z' : null,
    connections: state === 'Established' ? 1 : 0,
    establishedCount: state === 'Established' ? 1 : 0,
    lastNotification: null,
    lastCloseReason: null,
    lastClosedAt: null,
    updateErrors: 0,
    lastUpdateError: null,
    endOfRib: [],
    routes: routes.map((r) => ({
      family: 'ipv4-unicast',
      prefix: r.prefix,
      nextHop: r.nextHop,
      asPath: '64501',
      asPathSegments: [],
      communities: [],
      largeCommunities: [],
    })),
    history: [],
  } as unknown as BgpPeerObservation;
}
const observation = (peers: BgpPeerObservation[]): BgpObservation => ({
  apiVersion: 'exposectl.dev/v1alpha1',
  kind: 'BgpObservation',
  listen: { address: '0.0.0.0', port: 1790 },
  localAs: 64500,
  routerId: '192.0.2.254',
  startedAt: '2026-11-27T11:58:00Z',
  capturedAt: '2026-11-27T12:00:00Z',
  peers,
  rejected: [],
});
// A MetalLB BGP Service with a ready Pod on n1; nodes n1 (192.0.2.11) and n2 (192.0.2.12).
const bgpCluster = (policy: 'Local' | 'Cluster') => [
  pool('bgp-pool', ['198.51.100.0/28']),
  bgpadv('bgp-adv'),
  node('n1', '192.0.2.11'),
  node('n2', '192.0.2.12'),
  lb('web', { externalTrafficPolicy: policy }, {}, lbStatus('198.51.100.10')),
  slice('web', [{ ready: true, node: 'n1' }]),
];

const ingressEnv = () => [ingressClass('traefik', 'traefik.io/ingress-controller'), web()];

const CASES: Case[] = [
  // ---- source-ip
  {
    code: 'source-ip/etp-cluster',
    bad: [lb('web', { externalTrafficPolicy: 'Cluster' })],
    good: [lb('web')],
    expected: [['source-ip/etp-cluster', 'Service default/web']],
  },
  {
    code: 'source-ip/proxy-protocol-missing',
    name: 'hostNetwork HAProxy in TCP mode without send-proxy',
    bad: [web(), ...haproxyGateway('gw', haproxyTcp('web.default.svc.cluster.local:80'))],
    good: [web(), ...haproxyGateway('gw', haproxyTcp('web.default.svc.cluster.local:80', 'send-proxy-v2'))],
    expected: [['source-ip/proxy-protocol-missing', 'DaemonSet default/gw']],
  },
  {
    code: 'source-ip/proxy-protocol-missing',
    name: 'HTTP mode without option forwardfor',
    bad: [
      web(),
      ...haproxyGateway(
        'gw',
        'defaults\n  mode http\nfrontend fe\n  bind :80\n  default_backend be\nbackend be\n  server s1 web:80\n',
      ),
    ],
    good: [
      web(),
      ...haproxyGateway(
        'gw',
        'defaults\n  mode http\n  option forwardfor\nfrontend fe\n  bind :80\n  default_backend be\nbackend be\n  server s1 web:80\n',
      ),
    ],
    expected: [['source-ip/proxy-protocol-missing', 'DaemonSet default/gw']],
  },
  {
    code: 'source-ip/proxy-protocol-missing',
    name: 'X-Forwarded-For into ingress-nginx that does not trust it',
    bad: [
      ...ingressNginx({}, { type: 'ClusterIP' }),
      ...haproxyGateway(
        'gw',
        'defaults\n  mode http\n  option forwardfor\nfrontend fe\n  bind :80\n  default_backend be\nbackend be\n  server s1 ingress-nginx-controller.ingress-nginx.svc:80\n',
      ),
    ],
    good: [
      ...ingressNginx({ 'use-forwarded-headers': 'true' }, { type: 'ClusterIP' }),
      ...haproxyGateway(
        'gw',
        'defaults\n  mode http\n  option forwardfor\nfrontend fe\n  bind :80\n  default_backend be\nbackend be\n  server s1 ingress-nginx-controller.ingress-nginx.svc:80\n',
      ),
    ],
    expected: [['source-ip/proxy-protocol-missing', 'ConfigMap ingress-nginx/ingress-nginx-controller']],
  },
  {
    code: 'source-ip/proxy-protocol-missing',
    name: 'TCPRoute through a Gateway',
    bad: [
      gateway('gw', { gatewayClassName: 'eg', listeners: [{ name: 'tcp', protocol: 'TCP', port: 5432 }] }),
      route('TCPRoute', 'db', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] }),
    ],
    good: [
      gateway('gw', { gatewayClassName: 'eg', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] }),
      route('HTTPRoute', 'db', {
        parentRefs: [{ name: 'gw' }],
        rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }],
      }),
    ],
    expected: [['source-ip/proxy-protocol-missing', 'TCPRoute default/db']],
  },
  {
    code: 'source-ip/proxy-protocol-mismatch',
    name: 'ingress-nginx expects PROXY behind MetalLB',
    bad: [
      pool('p', ['198.51.100.0/28']),
      l2adv('l2'),
      ...ingressNginx({ 'use-proxy-protocol': 'true' }, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
    ],
    good: [
      pool('p', ['198.51.100.0/28']),
      l2adv('l2'),
      ...ingressNginx({ 'use-proxy-protocol': 'false' }, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
    ],
    expected: [['source-ip/proxy-protocol-mismatch', 'ConfigMap ingress-nginx/ingress-nginx-controller']],
  },
  {
    code: 'source-ip/proxy-protocol-mismatch',
    name: 'cloud LB sends PROXY, ingress-nginx does not expect it',
    bad: ingressNginx(
      {},
      { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
      { annotations: { 'service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol': 'true' } },
    ),
    good: ingressNginx(
      { 'use-proxy-protocol': 'true' },
      { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
      { annotations: { 'service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol': 'true' } },
    ),
    expected: [['source-ip/proxy-protocol-mismatch', 'Service ingress-nginx/ingress-nginx-controller']],
  },
  {
    code: 'source-ip/proxy-protocol-mismatch',
    name: 'HAProxy send-proxy-v2 to ingress-nginx without use-proxy-protocol',
    bad: [
      ...ingressNginx({}, { type: 'ClusterIP' }),
      ...haproxyGateway(
        'gw',
        haproxyTcp('ingress-nginx-controller.ingress-nginx.svc.cluster.local:80', 'send-proxy-v2'),
      ),
    ],
    good: [
      ...ingressNginx({ 'use-proxy-protocol': 'true' }, { type: 'ClusterIP' }),
      ...haproxyGateway(
        'gw',
        haproxyTcp('ingress-nginx-controller.ingress-nginx.svc.cluster.local:80', 'send-proxy-v2'),
      ),
    ],
    expected: [['source-ip/proxy-protocol-mismatch', 'DaemonSet default/gw']],
  },
  {
    code: 'source-ip/proxy-protocol-mismatch',
    name: 'gateway expects PROXY from a gateway that does not send it',
    bad: [
      service('edge', { type: 'ClusterIP', selector: { app: 'inner' } }),
      ...haproxyGateway(
        'inner',
        'frontend fe\n  bind :80 accept-proxy\n  default_backend be\nbackend be\n  server s web:80 send-proxy\n',
      ),
      web(),
      ...haproxyGateway('outer', haproxyTcp('edge:80')),
    ],
    good: [
      service('edge', { type: 'ClusterIP', selector: { app: 'inner' } }),
      ...haproxyGateway(
        'inner',
        'frontend fe\n  bind :80 accept-proxy\n  default_backend be\nbackend be\n  server s web:80 send-proxy\n',
      ),
      web(),
      ...haproxyGateway('outer', haproxyTcp('edge:80', 'send-proxy')),
    ],
    expected: [['source-ip/proxy-protocol-mismatch', 'DaemonSet default/outer']],
  },
  // ---- endpoints
  {
    code: 'endpoints/none-ready',
    source: 'cluster',
    bad: [service('web', { type: 'NodePort' }), pod('web-1', { app: 'web' }, false)],
    good: [service('web', { type: 'NodePort' }), pod('web-1', { app: 'web' }, true)],
    expected: [['endpoints/none-ready', 'Service default/web']],
  },
  {
    code: 'endpoints/selector-matches-nothing',
    source: 'cluster',
    bad: [service('web', { type: 'NodePort' }), pod('web-1', { app: 'other' }, true)],
    good: [service('web', { type: 'NodePort' }), pod('web-1', { app: 'web' }, true)],
    expected: [['endpoints/selector-matches-nothing', 'Service default/web']],
  },
  {
    code: 'endpoints/selector-matches-nothing',
    name: 'with the empty EndpointSlice a live cluster makes',
    source: 'cluster',
    bad: [service('web', { type: 'NodePort' }), slice('web', []), pod('web-1', { app: 'other' }, true)],
    good: [
      service('web', { type: 'NodePort' }),
      slice('web', [{ ready: true, node: 'n1' }]),
      pod('web-1', { app: 'web' }, true),
    ],
    expected: [['endpoints/selector-matches-nothing', 'Service default/web']],
  },
  {
    code: 'endpoints/target-port-mismatch',
    name: 'named targetPort',
    bad: [
      service('web', { type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] }),
      workload('Deployment', 'web', {
        containers: [{ name: 'c', image: 'x', ports: [{ name: 'web', containerPort: 8080 }] }],
      }),
    ],
    good: [
      service('web', { type: 'NodePort', ports: [{ port: 80, targetPort: 'web' }] }),
      workload('Deployment', 'web', {
        containers: [{ name: 'c', image: 'x', ports: [{ name: 'web', containerPort: 8080 }] }],
      }),
    ],
    expected: [['endpoints/target-port-mismatch', 'Service default/web']],
  },
  {
    code: 'endpoints/target-port-mismatch',
    name: 'numeric targetPort the Pods do not declare',
    source: 'cluster',
    bad: [
      service('web', { type: 'NodePort', ports: [{ port: 80, targetPort: 8000 }] }),
      {
        ...pod('web-1', { app: 'web' }, true),
        spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] },
      } as KubeObject,
    ],
    good: [
      service('web', { type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] }),
      {
        ...pod('web-1', { app: 'web' }, true),
        spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] },
      } as KubeObject,
    ],
    expected: [['endpoints/target-port-mismatch', 'Service default/web']],
  },
  {
    code: 'endpoints/local-policy-blackhole',
    source: 'cluster',
    bad: [
      service('web', { type: 'NodePort', externalTrafficPolicy: 'Local' }),
      node('n1', '192.0.2.11'),
      node('n2', '192.0.2.12'),
      slice('web', [{ ready: true, node: 'n1' }]),
    ],
    good: [
      service('web', { type: 'NodePort', externalTrafficPolicy: 'Local' }),
      node('n1', '192.0.2.11'),
      node('n2', '192.0.2.12'),
      slice('web', [
        { ready: true, node: 'n1' },
        { ready: true, node: 'n2' },
      ]),
    ],
    expected: [['endpoints/local-policy-blackhole', 'Service default/web']],
  },
  {
    code: 'endpoints/local-policy-blackhole',
    name: 'from the healthz probe',
    source: 'cluster',
    bad: [lb('web', {}, {}, lbStatus('198.51.100.10')), slice('web', [{ ready: true, node: 'n1' }])],
    good: [lb('web', {}, {}, lbStatus('198.51.100.10')), slice('web', [{ ready: true, node: 'n1' }])],
    badProbes: {
      endpointsProbe: [
        {
          service: { namespace: 'default', name: 'web' },
          healthCheckNodePort: 32000,
          at: 'now',
          answers: [
            { node: 'n1', address: '192.0.2.11', status: 200, localEndpoints: 1 },
            { node: 'n2', address: '192.0.2.12', status: 503, localEndpoints: 0 },
          ],
        },
      ],
    },
    goodProbes: {
      endpointsProbe: [
        {
          service: { namespace: 'default', name: 'web' },
          healthCheckNodePort: 32000,
          at: 'now',
          answers: [
            { node: 'n1', address: '192.0.2.11', status: 200, localEndpoints: 1 },
            { node: 'n2', address: '192.0.2.12', status: 200, localEndpoints: 1 },
          ],
        },
      ],
    },
    expected: [['endpoints/local-policy-blackhole', 'Service default/web']],
  },
  // ---- lb
  {
    code: 'lb/pending',
    source: 'cluster',
    bad: [lb('web', {}, {}, { loadBalancer: {} })],
    good: [lb('web', {}, {}, lbStatus('198.51.100.10'))],
    expected: [['lb/pending', 'Service default/web']],
  },
  {
    code: 'lb/no-pool',
    name: 'only autoAssign false pools',
    bad: [pool('a', ['198.51.100.0/28'], { autoAssign: false }), l2adv('l2'), lb('web')],
    good: [
      pool('a', ['198.51.100.0/28'], { autoAssign: false }),
      l2adv('l2'),
      lb('web', {}, { annotations: { 'metallb.io/address-pool': 'a' } }),
    ],
    expected: [['lb/no-pool', 'Service default/web']],
  },
  {
    code: 'lb/no-pool',
    name: 'serviceAllocation namespaces exclude it',
    bad: [pool('a', ['198.51.100.0/28'], { serviceAllocation: { namespaces: ['shop'] } }), l2adv('l2'), lb('web')],
    good: [
      pool('a', ['198.51.100.0/28'], { serviceAllocation: { namespaces: ['shop', 'default'], priority: 10 } }),
      l2adv('l2'),
      lb('web'),
    ],
    expected: [['lb/no-pool', 'Service default/web']],
  },
  {
    code: 'lb/no-pool',
    name: 'the named pool does not exist (live)',
    source: 'cluster',
    bad: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      lb('web', {}, { annotations: { 'metallb.io/address-pool': 'b' } }, { loadBalancer: {} }),
    ],
    good: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      lb('web', {}, { annotations: { 'metallb.io/address-pool': 'a' } }, lbStatus('198.51.100.1')),
    ],
    expected: [['lb/no-pool', 'Service default/web']],
  },
  {
    code: 'lb/pool-exhausted',
    source: 'cluster',
    bad: [
      pool('a', ['198.51.100.10/32']),
      l2adv('l2'),
      lb('old', {}, {}, lbStatus('198.51.100.10')),
      lb('web', {}, {}, { loadBalancer: {} }),
    ],
    good: [
      pool('a', ['198.51.100.10/31']),
      l2adv('l2'),
      lb('old', {}, {}, lbStatus('198.51.100.10')),
      lb('web', {}, {}, lbStatus('198.51.100.11')),
    ],
    expected: [['lb/pool-exhausted', 'Service default/web']],
  },
  {
    code: 'lb/ip-not-in-pool',
    bad: [pool('a', ['198.51.100.0/28']), l2adv('l2'), lb('web', { loadBalancerIP: '203.0.113.5' })],
    good: [pool('a', ['198.51.100.0/28']), l2adv('l2'), lb('web', { loadBalancerIP: '198.51.100.5' })],
    expected: [['lb/ip-not-in-pool', 'Service default/web']],
  },
  {
    code: 'lb/ip-not-in-pool',
    name: 'avoidBuggyIPs pools do not own .0',
    bad: [
      pool('a', ['198.51.100.0/24'], { avoidBuggyIPs: true }),
      l2adv('l2'),
      lb('web', {}, { annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.0' } }),
    ],
    good: [
      pool('a', ['198.51.100.0/24'], { avoidBuggyIPs: true }),
      l2adv('l2'),
      lb('web', {}, { annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.1' } }),
    ],
    expected: [['lb/ip-not-in-pool', 'Service default/web']],
  },
  {
    code: 'lb/sharing-conflict',
    bad: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      lb('a', { loadBalancerIP: '198.51.100.5' }, { annotations: { 'metallb.io/allow-shared-ip': 'k' } }),
      lb('b', { loadBalancerIP: '198.51.100.5', ports: [{ port: 443 }] }),
    ],
    good: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      lb(
        'a',
        { loadBalancerIP: '198.51.100.5', selector: { app: 'x' } },
        { annotations: { 'metallb.io/allow-shared-ip': 'k' } },
      ),
      lb(
        'b',
        { loadBalancerIP: '198.51.100.5', selector: { app: 'x' }, ports: [{ port: 443 }] },
        { annotations: { 'metallb.universe.tf/allow-shared-ip': 'k' } },
      ),
    ],
    expected: [
      ['lb/sharing-conflict', 'Service default/a'],
      ['lb/sharing-conflict', 'Service default/b'],
    ],
  },
  {
    code: 'lb/sharing-conflict',
    name: 'the holder keeps the address (live)',
    source: 'cluster',
    bad: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      lb(
        'a',
        { loadBalancerIP: '198.51.100.5' },
        { annotations: { 'metallb.io/allow-shared-ip': 'k' } },
        lbStatus('198.51.100.5'),
      ),
      lb(
        'b',
        { loadBalancerIP: '198.51.100.5', externalTrafficPolicy: 'Cluster', ports: [{ port: 443 }] },
        { annotations: { 'metallb.io/allow-shared-ip': 'k' } },
        { loadBalancer: {} },
      ),
    ],
    good: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      lb(
        'a',
        { loadBalancerIP: '198.51.100.5' },
        { annotations: { 'metallb.io/allow-shared-ip': 'k' } },
        lbStatus('198.51.100.5'),
      ),
      lb(
        'b',
        { loadBalancerIP: '198.51.100.6', externalTrafficPolicy: 'Cluster', ports: [{ port: 443 }] },
        { annotations: { 'metallb.io/allow-shared-ip': 'k' } },
        lbStatus('198.51.100.6'),
      ),
    ],
    expected: [['lb/sharing-conflict', 'Service default/b']],
  },
  {
    code: 'lb/no-advertisement',
    bad: [
      pool('a', ['198.51.100.0/28']),
      pool('other', ['203.0.113.0/28']),
      l2adv('l2', { ipAddressPools: ['other'] }),
      lb('web', { loadBalancerIP: '198.51.100.5' }),
    ],
    good: [
      pool('a', ['198.51.100.0/28']),
      pool('other', ['203.0.113.0/28']),
      l2adv('l2'),
      lb('web', { loadBalancerIP: '198.51.100.5' }),
    ],
    expected: [['lb/no-advertisement', 'IPAddressPool metallb-system/a']],
  },
  {
    code: 'lb/no-advertisement',
    name: 'a pool selector that matches other labels',
    bad: [
      pool('a', ['198.51.100.0/28'], {}, { labels: { tier: 'public' } }),
      bgpadv('b', { ipAddressPoolSelectors: [{ matchLabels: { tier: 'private' } }] }),
      lb('web', { loadBalancerIP: '198.51.100.5' }),
    ],
    good: [
      pool('a', ['198.51.100.0/28'], {}, { labels: { tier: 'public' } }),
      bgpadv('b', { ipAddressPoolSelectors: [{ matchLabels: { tier: 'public' } }] }),
      lb('web', { loadBalancerIP: '198.51.100.5' }),
    ],
    expected: [['lb/no-advertisement', 'IPAddressPool metallb-system/a']],
  },
  {
    code: 'lb/pool-overlap',
    bad: [pool('a', ['198.51.100.0/28']), pool('b', ['198.51.100.8-198.51.100.20'])],
    good: [pool('a', ['198.51.100.0/28']), pool('b', ['198.51.100.16-198.51.100.20'])],
    expected: [['lb/pool-overlap', 'IPAddressPool metallb-system/b']],
  },
  {
    code: 'lb/no-eligible-announcer',
    bad: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      node('solo', '192.0.2.1', { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } }),
      lb('web', { externalTrafficPolicy: 'Cluster' }, {}, lbStatus('198.51.100.5')),
    ],
    good: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      node('solo', '192.0.2.1'),
      lb('web', { externalTrafficPolicy: 'Cluster' }, {}, lbStatus('198.51.100.5')),
    ],
    expected: [['lb/no-eligible-announcer', 'Service default/web']],
  },
  {
    code: 'lb/annotation-ignored',
    bad: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      lb('web', {}, { annotations: { 'metallb.universe.tf/pool-name': 'a' } }, lbStatus('198.51.100.5')),
    ],
    good: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      lb('web', {}, { annotations: { 'metallb.universe.tf/address-pool': 'a' } }, lbStatus('198.51.100.5')),
    ],
    expected: [['lb/annotation-ignored', 'Service default/web']],
  },
  {
    // k3s's ServiceLB left on next to MetalLB: both claim the Service.
    code: 'lb/implementation-conflict',
    bad: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2'),
      lb('web', {}, {}, lbStatus('198.51.100.5')),
      workload(
        'DaemonSet',
        'svclb-web-1a2b3c4d',
        {
          containers: [
            { name: 'lb-tcp-80', image: 'rancher/klipper-lb:v0.4.9', ports: [{ containerPort: 80, hostPort: 80 }] },
          ],
        },
        {
          namespace: 'kube-system',
          labels: {
            'svccontroller.k3s.cattle.io/svcname': 'web',
            'svccontroller.k3s.cattle.io/svcnamespace': 'default',
          },
        },
      ),
    ],
    good: [pool('a', ['198.51.100.0/28']), l2adv('l2'), lb('web', {}, {}, lbStatus('198.51.100.5'))],
    expected: [['lb/implementation-conflict', 'Service default/web']],
  },
  {
    // The ServiceL2Status names a node the L2Advertisement's nodeSelectors leave out.
    code: 'lb/announcer-not-eligible',
    bad: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2', { nodeSelectors: [{ matchLabels: { edge: 'true' } }] }),
      node('edge-1', '192.0.2.11', { labels: { edge: 'true' } }),
      node('worker-1', '192.0.2.21'),
      lb('web', {}, {}, lbStatus('198.51.100.5')),
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'ServiceL2Status',
        metadata: { name: 'l2-web', namespace: 'metallb-system' },
        status: { node: 'worker-1', serviceName: 'web', serviceNamespace: 'default' },
      } as KubeObject,
    ],
    good: [
      pool('a', ['198.51.100.0/28']),
      l2adv('l2', { nodeSelectors: [{ matchLabels: { edge: 'true' } }] }),
      node('edge-1', '192.0.2.11', { labels: { edge: 'true' } }),
      node('worker-1', '192.0.2.21'),
      lb('web', {}, {}, lbStatus('198.51.100.5')),
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'ServiceL2Status',
        metadata: { name: 'l2-web', namespace: 'metallb-system' },
        status: { node: 'edge-1', serviceName: 'web', serviceNamespace: 'default' },
      } as KubeObject,
    ],
    expected: [['lb/announcer-not-eligible', 'Service default/web']],
  },
  // ---- nodeport
  {
    code: 'nodeport/out-of-range',
    bad: [service('web', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] })],
    good: [service('web', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })],
    expected: [['nodeport/out-of-range', 'Service default/web']],
  },
  {
    code: 'nodeport/collision',
    bad: [
      service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      service('b', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30080 }] }),
    ],
    good: [
      service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      service('b', {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        ports: [{ port: 80, nodePort: 30081, protocol: 'UDP' }],
      }),
    ],
    expected: [['nodeport/collision', 'Service default/b']],
  },
  // ---- input
  {
    code: 'input/invalid-value',
    bad: [service('web', { type: 'ClusterIP', ports: [{ port: 80, protocol: 'HTTP', targetPort: 'web--http' }] })],
    good: [service('web', { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP', targetPort: 'web-http' }] })],
    expected: [
      ['input/invalid-value', 'Service default/web'],
      ['input/invalid-value', 'Service default/web'],
    ],
  },
  // ---- hostnetwork
  {
    code: 'hostnetwork/port-conflict',
    bad: [hostDs('a', 80), hostDs('b', 80)],
    good: [hostDs('a', 80), hostDs('b', 8080)],
    expected: [['hostnetwork/port-conflict', 'DaemonSet default/b']],
  },
  {
    code: 'hostnetwork/port-conflict',
    name: 'disjoint node selectors do not conflict',
    bad: [hostDs('a', 80, { edge: 'true' }), hostDs('b', 80, { edge: 'true', zone: 'a' })],
    good: [hostDs('a', 80, { edge: 'true' }), hostDs('b', 80, { edge: 'false' })],
    expected: [['hostnetwork/port-conflict', 'DaemonSet default/b']],
  },
  {
    code: 'hostnetwork/no-gateway-nodes',
    bad: [node('n1', '192.0.2.11'), hostDs('gw', 80, { 'node-role.kubernetes.io/edge': 'true' })],
    good: [
      node('n1', '192.0.2.11', { labels: { 'node-role.kubernetes.io/edge': 'true' } }),
      hostDs('gw', 80, { 'node-role.kubernetes.io/edge': 'true' }),
    ],
    expected: [['hostnetwork/no-gateway-nodes', 'DaemonSet default/gw']],
  },
  // ---- ingress
  {
    code: 'ingress/no-controller',
    source: 'cluster',
    bad: [...ingressEnv(), ingress('web', { ingressClassName: 'missing', rules: [backendRule('web')] })],
    good: [...ingressEnv(), ingress('web', { ingressClassName: 'traefik', rules: [backendRule('web')] })],
    expected: [['ingress/no-controller', 'Ingress default/web']],
  },
  {
    code: 'ingress/no-controller',
    name: 'two default classes',
    bad: [
      ingressClass('a', 'traefik.io/ingress-controller', true),
      ingressClass('b', 'haproxy.org/ingress-controller/haproxy', true),
      web(),
      ingress('web', { rules: [backendRule('web')] }),
    ],
    good: [
      ingressClass('a', 'traefik.io/ingress-controller', true),
      ingressClass('b', 'haproxy.org/ingress-controller/haproxy'),
      web(),
      ingress('web', { rules: [backendRule('web')] }),
    ],
    expected: [['ingress/no-controller', 'Ingress default/web']],
  },
  {
    code: 'ingress/backend-missing',
    source: 'cluster',
    bad: [...ingressEnv(), ingress('web', { ingressClassName: 'traefik', rules: [backendRule('nope')] })],
    good: [...ingressEnv(), ingress('web', { ingressClassName: 'traefik', rules: [backendRule('web')] })],
    expected: [['ingress/backend-missing', 'Ingress default/web']],
  },
  {
    code: 'ingress/backend-missing',
    name: 'a route backend port the Service does not have (files)',
    bad: [
      web(),
      gateway('gw', { gatewayClassName: 'eg' }),
      route('HTTPRoute', 'r', {
        parentRefs: [{ name: 'gw' }],
        rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }],
      }),
    ],
    good: [
      web(),
      gateway('gw', { gatewayClassName: 'eg' }),
      route('HTTPRoute', 'r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }),
    ],
    expected: [['ingress/backend-missing', 'HTTPRoute default/r']],
  },
  {
    code: 'ingress/tls-secret-missing',
    source: 'cluster',
    bad: [
      ...ingressEnv(),
      ingress('web', {
        ingressClassName: 'traefik',
        tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
        rules: [backendRule('web', 'shop.example.com')],
      }),
    ],
    good: [
      ...ingressEnv(),
      secret('web-tls'),
      ingress('web', {
        ingressClassName: 'traefik',
        tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
        rules: [backendRule('web', 'shop.example.com')],
      }),
    ],
    expected: [['ingress/tls-secret-missing', 'Ingress default/web']],
  },
  {
    code: 'ingress/retired-controller',
    bad: [
      ingressClass('nginx', 'k8s.io/ingress-nginx'),
      web(),
      ingress('web', { ingressClassName: 'nginx', rules: [backendRule('web', 'shop.example.com')] }),
    ],
    good: [
      ...ingressEnv(),
      ingress('web', { ingressClassName: 'traefik', rules: [backendRule('web', 'shop.example.com')] }),
    ],
    expected: [['ingress/retired-controller', 'Ingress default/web']],
  },
  // ---- gateway
  {
    code: 'gateway/route-not-attached',
    bad: [
      gateway('gw', { gatewayClassName: 'eg' }),
      route('HTTPRoute', 'r', { parentRefs: [{ name: 'gw', sectionName: 'https' }], rules: [] }),
    ],
    good: [
      gateway('gw', { gatewayClassName: 'eg' }),
      route('HTTPRoute', 'r', { parentRefs: [{ name: 'gw', sectionName: 'http' }], rules: [] }),
    ],
    expected: [['gateway/route-not-attached', 'HTTPRoute default/r']],
  },
  {
    code: 'gateway/route-not-attached',
    name: 'a route from another namespace on a Same listener',
    bad: [
      gateway('gw', { gatewayClassName: 'eg' }, { namespace: 'infra' }),
      route('HTTPRoute', 'r', { parentRefs: [{ name: 'gw', namespace: 'infra' }], rules: [] }),
    ],
    good: [
      gateway(
        'gw',
        {
          gatewayClassName: 'eg',
          listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }],
        },
        { namespace: 'infra' },
      ),
      route('HTTPRoute', 'r', { parentRefs: [{ name: 'gw', namespace: 'infra' }], rules: [] }),
    ],
    expected: [['gateway/route-not-attached', 'HTTPRoute default/r']],
  },
  {
    code: 'gateway/route-not-attached',
    name: 'the Gateway does not exist (live)',
    source: 'cluster',
    bad: [route('TCPRoute', 'r', { parentRefs: [{ name: 'gw' }], rules: [] })],
    good: [
      gateway('gw', { gatewayClassName: 'eg', listeners: [{ name: 'tcp', protocol: 'TCP', port: 5432 }] }),
      route('TCPRoute', 'r', { parentRefs: [{ name: 'gw' }], rules: [] }),
    ],
    expected: [['gateway/route-not-attached', 'TCPRoute default/r']],
  },
  // ---- affinity
  {
    code: 'affinity/client-ip-hidden',
    name: 'hostNetwork HAProxy connecting to the ClusterIP of a ClientIP Service',
    bad: [
      service('web', { sessionAffinity: 'ClientIP', clusterIP: '10.96.0.10' }),
      ...haproxyGateway('gw', haproxyTcp('10.96.0.10:80')),
    ],
    good: [service('web', { clusterIP: '10.96.0.10' }), ...haproxyGateway('gw', haproxyTcp('10.96.0.10:80'))],
    expected: [['affinity/client-ip-hidden', 'Service default/web']],
  },
  {
    code: 'affinity/bypassed-by-proxy',
    name: 'ClientIP behind ingress-nginx',
    bad: [
      ingressClass('nginx', 'k8s.io/ingress-nginx'),
      ingress('web', { ingressClassName: 'nginx', rules: [backendRule('web')] }),
      service('web', { sessionAffinity: 'ClientIP' }),
    ],
    good: [
      ingressClass('nginx', 'k8s.io/ingress-nginx'),
      ingress(
        'web',
        { ingressClassName: 'nginx', rules: [backendRule('web')] },
        { annotations: { 'nginx.ingress.kubernetes.io/affinity': 'cookie' } },
      ),
      service('web', {}),
    ],
    expected: [['affinity/bypassed-by-proxy', 'Service default/web']],
  },
  {
    code: 'affinity/per-entry-node',
    name: 'ClientIP NodePort on two nodes',
    bad: [
      node('n1', '192.0.2.11'),
      node('n2', '192.0.2.12'),
      service('web', { type: 'NodePort', sessionAffinity: 'ClientIP' }),
    ],
    good: [
      node('n1', '192.0.2.11'),
      node('n2', '192.0.2.12'),
      pool('p', ['198.51.100.0/28']),
      l2adv('l2'),
      lb('web', { sessionAffinity: 'ClientIP' }, {}, lbStatus('198.51.100.10')),
    ],
    expected: [['affinity/per-entry-node', 'Service default/web']],
  },
  {
    code: 'affinity/annotation-ignored',
    name: "Traefik's sticky cookie on the Ingress instead of the Service",
    bad: [
      ...ingressEnv(),
      ingress(
        'web',
        { ingressClassName: 'traefik', rules: [backendRule('web')] },
        { annotations: { 'traefik.ingress.kubernetes.io/service.sticky.cookie': 'true' } },
      ),
    ],
    good: [
      ingressClass('traefik', 'traefik.io/ingress-controller'),
      service(
        'web',
        { type: 'ClusterIP' },
        { annotations: { 'traefik.ingress.kubernetes.io/service.sticky.cookie': 'true' } },
      ),
      ingress('web', { ingressClassName: 'traefik', rules: [backendRule('web')] }),
    ],
    expected: [['affinity/annotation-ignored', 'Ingress default/web']],
  },
  {
    code: 'affinity/proxy-sticks-to-service',
    name: 'balance source towards the Service address',
    bad: [
      web(),
      ...haproxyGateway(
        'gw',
        'frontend fe\n  bind :80\n  default_backend be\nbackend be\n  balance source\n  server s1 web:80\n',
      ),
    ],
    good: [
      service('web', { clusterIP: 'None' }),
      ...haproxyGateway(
        'gw',
        'frontend fe\n  bind :80\n  default_backend be\nbackend be\n  balance source\n  server s1 web:80\n',
      ),
    ],
    expected: [['affinity/proxy-sticks-to-service', 'DaemonSet default/gw']],
  },
  {
    code: 'affinity/session-persistence-ignored',
    name: "HTTPRoute sessionPersistence on a Gateway of Traefik's class",
    bad: [
      gatewayClass('lab', 'traefik.io/gateway-controller'),
      gateway('gw', { gatewayClassName: 'lab' }),
      route('HTTPRoute', 'web', {
        parentRefs: [{ name: 'gw' }],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }], sessionPersistence: { type: 'Cookie' } }],
      }),
      web(),
    ],
    // The same route on an implementation that applies it.
    good: [
      gatewayClass('lab', 'gateway.envoyproxy.io/gatewayclass-controller'),
      gateway('gw', { gatewayClassName: 'lab' }),
      route('HTTPRoute', 'web', {
        parentRefs: [{ name: 'gw' }],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }], sessionPersistence: { type: 'Cookie' } }],
      }),
      web(),
    ],
    expected: [['affinity/session-persistence-ignored', 'HTTPRoute default/web']],
  },
  {
    code: 'gateway/ref-not-permitted',
    name: 'a backendRef into another namespace without a ReferenceGrant (live)',
    source: 'cluster',
    bad: [
      gateway('gw', {
        gatewayClassName: 'eg',
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }],
      }),
      route(
        'HTTPRoute',
        'r',
        {
          parentRefs: [{ name: 'gw', namespace: 'default' }],
          rules: [{ backendRefs: [{ name: 'api', namespace: 'backend', port: 80 }] }],
        },
        { namespace: 'apps' },
      ),
    ],
    good: [
      gateway('gw', {
        gatewayClassName: 'eg',
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }],
      }),
      route(
        'HTTPRoute',
        'r',
        {
          parentRefs: [{ name: 'gw', namespace: 'default' }],
          rules: [{ backendRefs: [{ name: 'api', namespace: 'backend', port: 80 }] }],
        },
        { namespace: 'apps' },
      ),
      referenceGrant(
        'apps-to-api',
        'backend',
        [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'apps' }],
        [{ group: '', kind: 'Service', name: 'api' }],
      ),
    ],
    expected: [['gateway/ref-not-permitted', 'HTTPRoute apps/r']],
  },
  // ---- arp (probe facts)
  {
    code: 'arp/no-reply',
    source: 'cluster',
    bad: [lb('web', {}, {}, lbStatus('198.51.100.10'))],
    good: [lb('web', {}, {}, lbStatus('198.51.100.10'))],
    badProbes: arpObs([], {}),
    goodProbes: arpObs(['02:00:00:00:00:01'], { '02:00:00:00:00:01': 'n1' }, 'n1'),
    expected: [['arp/no-reply', 'Service default/web']],
  },
  {
    code: 'arp/multiple-replies',
    source: 'cluster',
    bad: [lb('web', {}, {}, lbStatus('198.51.100.10'))],
    good: [lb('web', {}, {}, lbStatus('198.51.100.10'))],
    badProbes: arpObs(['02:00:00:00:00:01', '02:00:00:00:00:02'], { '02:00:00:00:00:01': 'n1' }),
    goodProbes: arpObs(['02:00:00:00:00:01'], { '02:00:00:00:00:01': 'n1' }),
    expected: [['arp/multiple-replies', 'Service default/web']],
  },
  {
    code: 'arp/holder-mismatch',
    name: "MetalLB's ServiceL2Status names the announcer",
    source: 'cluster',
    bad: [lb('web', {}, {}, lbStatus('198.51.100.10')), serviceL2Status('web', 'n1')],
    good: [lb('web', {}, {}, lbStatus('198.51.100.10')), serviceL2Status('web', 'n2')],
    badProbes: arpObs(['02:00:00:00:00:02'], { '02:00:00:00:00:02': 'n2' }),
    goodProbes: arpObs(['02:00:00:00:00:02'], { '02:00:00:00:00:02': 'n2' }),
    expected: [['arp/holder-mismatch', 'Service default/web']],
  },
  // ---- bgp (probe facts, through compareBgp)
  {
    code: 'bgp/session-down',
    source: 'cluster',
    bad: bgpCluster('Local'),
    good: bgpCluster('Local'),
    badProbes: {
      bgp: observation([
        peer('192.0.2.11', 'Established', [{ prefix: '198.51.100.10/32', nextHop: '192.0.2.11' }]),
        peer('192.0.2.12', 'Idle'),
      ]),
    },
    goodProbes: {
      bgp: observation([
        peer('192.0.2.11', 'Established', [{ prefix: '198.51.100.10/32', nextHop: '192.0.2.11' }]),
        peer('192.0.2.12', 'Established'),
      ]),
    },
    expected: [['bgp/session-down', 'BGPPeer /192.0.2.12']],
  },
  {
    code: 'bgp/not-advertised',
    source: 'cluster',
    bad: bgpCluster('Cluster'),
    good: bgpCluster('Cluster'),
    badProbes: { bgp: observation([peer('192.0.2.11', 'Established')]) },
    goodProbes: {
      bgp: observation([peer('192.0.2.11', 'Established', [{ prefix: '198.51.100.10/32', nextHop: '192.0.2.11' }])]),
    },
    expected: [['bgp/not-advertised', 'Service default/web']],
  },
  {
    code: 'bgp/nexthop-without-endpoints',
    source: 'cluster',
    bad: bgpCluster('Local'),
    good: bgpCluster('Local'),
    badProbes: {
      bgp: observation([
        peer('192.0.2.11', 'Established', [{ prefix: '198.51.100.10/32', nextHop: '192.0.2.11' }]),
        peer('192.0.2.12', 'Established', [{ prefix: '198.51.100.10/32', nextHop: '192.0.2.12' }]),
      ]),
    },
    goodProbes: {
      bgp: observation([
        peer('192.0.2.11', 'Established', [{ prefix: '198.51.100.10/32', nextHop: '192.0.2.11' }]),
        peer('192.0.2.12', 'Established'),
      ]),
    },
    expected: [['bgp/nexthop-without-endpoints', 'Service default/web']],
  },
  {
    // Cilium's agent reports the session with the router stuck in active.
    code: 'bgp/peer-not-established',
    bad: [
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumBGPNodeConfig',
        metadata: { name: 'n1' },
        status: {
          bgpInstances: [
            {
              name: 'home',
              peers: [{ name: 'tor', peerAddress: '192.0.2.1', peerASN: 64500, peeringState: 'active' }],
            },
          ],
        },
      } as KubeObject,
    ],
    good: [
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumBGPNodeConfig',
        metadata: { name: 'n1' },
        status: {
          bgpInstances: [
            {
              name: 'home',
              peers: [{ name: 'tor', peerAddress: '192.0.2.1', peerASN: 64500, peeringState: 'established' }],
            },
          ],
        },
      } as KubeObject,
    ],
    expected: [['bgp/peer-not-established', 'CiliumBGPNodeConfig /n1']],
  },
  // ---- dns
  {
    code: 'dns/gateway-not-on-node',
    source: 'cluster',
    bad: [
      node('edge-1', '192.0.2.11', { labels: { role: 'edge' } }),
      node('worker-1', '192.0.2.21'),
      hostDs('edge', 443, { role: 'edge' }),
      {
        apiVersion: 'externaldns.k8s.io/v1alpha1',
        kind: 'DNSEndpoint',
        metadata: { name: 'shop', namespace: 'default' },
        spec: { endpoints: [{ dnsName: 'shop.example.com', targets: ['192.0.2.11', '192.0.2.21'] }] },
      } as KubeObject,
    ],
    good: [
      node('edge-1', '192.0.2.11', { labels: { role: 'edge' } }),
      node('worker-1', '192.0.2.21'),
      hostDs('edge', 443, { role: 'edge' }),
      {
        apiVersion: 'externaldns.k8s.io/v1alpha1',
        kind: 'DNSEndpoint',
        metadata: { name: 'shop', namespace: 'default' },
        spec: { endpoints: [{ dnsName: 'shop.example.com', targets: ['192.0.2.11'] }] },
      } as KubeObject,
    ],
    expected: [['dns/gateway-not-on-node', 'DNSEndpoint default/shop']],
  },
  {
    code: 'dns/target-unserved',
    source: 'cluster',
    bad: [
      lb(
        'shop',
        {},
        {
          annotations: {
            'external-dns.kubernetes.io/hostname': 'shop.example.com',
            'external-dns.kubernetes.io/target': '198.51.100.10',
          },
        },
        lbStatus('198.51.100.11'),
      ),
    ],
    good: [
      lb(
        'shop',
        {},
        { annotations: { 'external-dns.kubernetes.io/hostname': 'shop.example.com' } },
        lbStatus('198.51.100.11'),
      ),
    ],
    expected: [['dns/target-unserved', 'Service default/shop']],
  },
  // ---- lan (Multus)
  {
    code: 'lan/network-missing',
    bad: [lanPod('lan'), nad('lan', 'infra'), nad('storage', 'iot')],
    good: [lanPod('lan'), nad('lan', 'iot')],
    expected: [['lan/network-missing', 'Pod iot/camera']],
  },
  {
    code: 'lan/networks-invalid',
    bad: [lanPod('[{"name": "lan"'), nad('lan', 'iot')],
    good: [lanPod('[{"name": "lan"}]'), nad('lan', 'iot')],
    expected: [['lan/networks-invalid', 'Pod iot/camera']],
  },
  // ---- reach (probe reach facts: what one try of each way in saw)
  ...REACH_CASES,
];

describe('every code: the bad snapshot gives exactly its findings, the corrected one none', () => {
  test.each(CASES.map((c) => [`${c.code}${c.name ? ` (${c.name})` : ''}`, c] as const))('%s', (_, c) => {
    const bad = diagnose(snapshotOf(c.bad, c.source), {
      check: check(c.code),
      ...(c.badProbes ? { probes: c.badProbes } : {}),
    });
    expect(pairs(bad)).toEqual(c.expected);
    for (const f of bad) {
      expect(f.message.length).toBeGreaterThan(20);
      expect(f.fix.length).toBeGreaterThan(20);
    }
    const good = diagnose(snapshotOf(c.good, c.source), {
      check: check(c.code),
      ...(c.goodProbes ? { probes: c.goodProbes } : {}),
    });
    expect(pairs(good)).toEqual([]);
  });

  test('the table covers every code of the catalogue', () => {
    const covered = new Set(CASES.filter((c) => c.expected.length > 0).map((c) => c.code));
    expect(CODES.map((c) => c.code).filter((c) => !covered.has(c))).toEqual([]);
  });

  test('configMap builder keeps labels', () => {
    expect(configMap('x', {}, 'ns', { a: 'b' }).metadata.labels).toEqual({ a: 'b' });
  });
});
