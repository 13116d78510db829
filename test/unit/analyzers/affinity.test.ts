// affinity/*: one healthy and one failing snapshot per code, built here, run through the
// registry as `diagnose affinity` runs them; and the facts behind STICKY and the summary.
import { describe, expect, test } from 'vitest';
import { affinityPath, affinitySummary } from '../../../src/analyzers/affinity-path.js';
import { codeInfo } from '../../../src/analyzers/codes.js';
import { affinityWays, haproxyStickiness, nginxStickiness, stickinessOf } from '../../../src/discover/affinity.js';
import { discoverExposures } from '../../../src/discover/index.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import {
  backendRule,
  configMap,
  diagnose,
  factsOf,
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
  pool,
  route,
  service,
  snapshotOf,
} from './helpers.js';

const run = (objects: KubeObject[]) => pairs(diagnose(snapshotOf(objects), { check: 'affinity' }));
const nodes = [node('n1', '192.0.2.1'), node('n2', '192.0.2.2'), node('n3', '192.0.2.3')];
const clientIP = { sessionAffinity: 'ClientIP' };
const nginxClass = ingressClass('nginx', 'k8s.io/ingress-nginx');
const traefikClass = ingressClass('traefik', 'traefik.io/ingress-controller');
const webIngress = (cls: string, annotations: Record<string, string> = {}) =>
  ingress('web', { ingressClassName: cls, rules: [backendRule('web')] }, { annotations });

describe('affinity/bypassed-by-proxy', () => {
  test('ClientIP on a Service behind ingress-nginx: the controller sends to the endpoints', () => {
    const found = diagnose(snapshotOf([nginxClass, webIngress('nginx'), service('web', clientIP)]), {
      check: 'affinity',
    });
    expect(pairs(found)).toEqual([['affinity/bypassed-by-proxy', 'Service default/web']]);
    expect(found[0]!.severity).toBe(codeInfo('affinity/bypassed-by-proxy').severity);
    expect(found[0]!.message).toContain('ingress-nginx (Ingress default/web) sends to its endpoints directly');
    expect(found[0]!.fix).toContain('nginx.ingress.kubernetes.io/affinity: cookie');
  });

  test("the same path with the controller's cookie and no Service affinity is healthy, and sticky by cookie", () => {
    const objects = [
      nginxClass,
      webIngress('nginx', { 'nginx.ingress.kubernetes.io/affinity': 'cookie' }),
      service('web', {}),
    ];
    expect(run(objects)).toEqual([]);
    const ing = discoverExposures(snapshotOf(objects)).find((e) => e.kind === 'Ingress')!;
    expect(ing.sticky).toBe('cookie');
  });

  test('an HTTPRoute: the fix is Gateway API session persistence; with sessionPersistence the way is sticky by cookie', () => {
    const gw = [
      gatewayClass('eg', 'gateway.envoyproxy.io/gatewayclass-controller'),
      gateway('gw', { gatewayClassName: 'eg' }),
    ];
    const bad = diagnose(
      snapshotOf([
        ...gw,
        route('HTTPRoute', 'r', {
          parentRefs: [{ name: 'gw' }],
          rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
        }),
        service('web', clientIP),
      ]),
      { check: 'affinity' },
    );
    expect(pairs(bad)).toEqual([['affinity/bypassed-by-proxy', 'Service default/web']]);
    expect(bad[0]!.fix).toContain('sessionPersistence');
    const good = [
      ...gw,
      route('HTTPRoute', 'r', {
        parentRefs: [{ name: 'gw' }],
        rules: [
          {
            backendRefs: [{ name: 'web', port: 80 }],
            sessionPersistence: { sessionName: 'web-session', type: 'Cookie' },
          },
        ],
      }),
      service('web', {}),
    ];
    expect(run(good)).toEqual([]);
    expect(discoverExposures(snapshotOf(good)).find((e) => e.kind === 'HTTPRoute')!.sticky).toBe('cookie');
  });
});

test('a mesh route (parentRef a Service) is no way in: no finding for the Service affinity', () => {
  expect(
    run([
      route('HTTPRoute', 'mesh', {
        parentRefs: [{ group: '', kind: 'Service', name: 'web' }],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
      }),
      service('web', clientIP),
    ]),
  ).toEqual([]);
});

describe('affinity/client-ip-hidden', () => {
  test('a hostNetwork HAProxy that connects to the ClusterIP: kube-proxy keys on the gateway node', () => {
    const found = diagnose(
      snapshotOf([
        service('web', { ...clientIP, clusterIP: '10.96.0.10' }),
        ...haproxyGateway('edge', haproxyTcp('10.96.0.10:80', 'send-proxy-v2')),
      ]),
      { check: 'affinity' },
    );
    expect(pairs(found)).toEqual([['affinity/client-ip-hidden', 'Service default/web']]);
    expect(found[0]!.message).toContain("kube-proxy keys the affinity on the gateway node's address");
    expect(found[0]!.fix).toContain('headless Service');
  });

  test('the gateway sending to a headless Service with balance source: healthy, sticky on the client address', () => {
    const cfg =
      'defaults\n    mode tcp\nfrontend fe\n    bind :80\n    default_backend be\nbackend be\n    balance source\n    hash-type consistent\n    server s1 web-hostnet.default.svc:8080 check\n';
    const objects = [service('web-hostnet', { clusterIP: 'None' }), ...haproxyGateway('edge', cfg)];
    expect(run(objects)).toEqual([]);
    expect(discoverExposures(snapshotOf(objects)).find((e) => e.kind === 'DaemonSet')!.sticky).toBe('client-ip');
  });

  test('ingress-nginx with service-upstream reaches the ClusterIP: ClientIP keys on the controller Pod', () => {
    expect(
      run([
        nginxClass,
        webIngress('nginx', { 'nginx.ingress.kubernetes.io/service-upstream': 'true' }),
        service('web', clientIP),
      ]),
    ).toEqual([['affinity/client-ip-hidden', 'Service default/web']]);
  });

  test('ingress-nginx hashing on $remote_addr behind a Cluster-policy Service sees node addresses; with use-forwarded-headers it sees the client', () => {
    const ing = webIngress('nginx', { 'nginx.ingress.kubernetes.io/upstream-hash-by': '$binary_remote_addr' });
    expect(run([nginxClass, ing, service('web', {}), ...ingressNginx({}, { type: 'LoadBalancer' })])).toEqual([
      ['affinity/client-ip-hidden', 'Ingress default/web'],
    ]);
    expect(
      run([
        nginxClass,
        ing,
        service('web', {}),
        ...ingressNginx({ 'use-forwarded-headers': 'true' }, { type: 'LoadBalancer' }),
      ]),
    ).toEqual([]);
  });
});

describe('affinity/per-entry-node', () => {
  test('ClientIP with NodePort on three nodes: each node has its own table (whatever the policy)', () => {
    for (const policy of ['Cluster', 'Local']) {
      const found = diagnose(
        snapshotOf([...nodes, service('web', { ...clientIP, type: 'NodePort', externalTrafficPolicy: policy })]),
        { check: 'affinity' },
      );
      expect(pairs(found)).toEqual([['affinity/per-entry-node', 'Service default/web']]);
      expect(found[0]!.message).toContain('NodePort on 3 nodes (n1, n2, n3');
    }
  });

  test('ClientIP on an L2 LoadBalancer: one announcing node, no finding, and the failover note', () => {
    const objects = [
      ...nodes,
      pool('p', ['198.51.100.0/28']),
      l2adv('l2'),
      service('web', { ...clientIP, type: 'LoadBalancer' }, {}, lbStatus('198.51.100.1')),
    ];
    expect(run(objects)).toEqual([]);
    const lines = affinityPath(factsOf(snapshotOf(objects), {}, { service: { namespace: 'default', name: 'web' } }));
    expect(lines.join('\n')).toMatch(
      /LoadBalancer \(metallb l2\): client-ip[\s\S]*note: metallb announces the address from one node[\s\S]*failover/,
    );
  });

  test('a one-node NodePort is one entry', () => {
    expect(run([node('n1', '192.0.2.1'), service('web', { ...clientIP, type: 'NodePort' })])).toEqual([]);
  });

  test('a HAProxy DaemonSet on three nodes with a stick table and no peers; with peers it is healthy', () => {
    const table = (peers: boolean) =>
      `${peers ? 'peers gw\n    peer n1 192.0.2.1:10000\n' : ''}defaults\n    mode tcp\nfrontend fe\n    bind :80\n    default_backend be\nbackend be\n    balance roundrobin\n    stick-table type ip size 100k expire 3h${peers ? ' peers gw' : ''}\n    stick on src\n    server s1 web-hostnet:8080\n`;
    expect(
      run([...nodes, service('web-hostnet', { clusterIP: 'None' }), ...haproxyGateway('edge', table(false))]),
    ).toEqual([['affinity/per-entry-node', 'DaemonSet default/edge']]);
    expect(
      run([...nodes, service('web-hostnet', { clusterIP: 'None' }), ...haproxyGateway('edge', table(true))]),
    ).toEqual([]);
  });
});

describe('affinity/annotation-ignored', () => {
  test('Traefik sticky annotations on the Ingress: Traefik reads them on the Service', () => {
    const found = diagnose(
      snapshotOf([
        traefikClass,
        webIngress('traefik', { 'traefik.ingress.kubernetes.io/service.sticky.cookie': 'true' }),
        service('web', {}),
      ]),
      { check: 'affinity' },
    );
    expect(pairs(found)).toEqual([['affinity/annotation-ignored', 'Ingress default/web']]);
    expect(found[0]!.message).toContain('Traefik reads sticky settings on the backend Service default/web');
  });

  test('the same annotation on the Service: healthy and sticky by cookie', () => {
    const objects = [
      traefikClass,
      webIngress('traefik'),
      service('web', {}, { annotations: { 'traefik.ingress.kubernetes.io/service.sticky.cookie': 'true' } }),
    ];
    expect(run(objects)).toEqual([]);
    expect(discoverExposures(snapshotOf(objects)).find((e) => e.kind === 'Ingress')!.sticky).toBe('cookie');
  });

  test("Traefik's service.sticky key without .cookie, an unknown ingress-nginx affinity, cookie affinity with service-upstream", () => {
    expect(
      run([
        traefikClass,
        webIngress('traefik'),
        service('web', {}, { annotations: { 'traefik.ingress.kubernetes.io/service.sticky': 'true' } }),
      ]),
    ).toEqual([['affinity/annotation-ignored', 'Service default/web']]);
    expect(
      run([nginxClass, webIngress('nginx', { 'nginx.ingress.kubernetes.io/affinity': 'ip' }), service('web', {})]),
    ).toEqual([['affinity/annotation-ignored', 'Ingress default/web']]);
    expect(
      run([
        nginxClass,
        webIngress('nginx', {
          'nginx.ingress.kubernetes.io/affinity': 'cookie',
          'nginx.ingress.kubernetes.io/service-upstream': 'true',
        }),
        service('web', {}),
      ]),
    ).toEqual([['affinity/annotation-ignored', 'Ingress default/web']]);
  });
});

describe('affinity/proxy-sticks-to-service', () => {
  test('balance source towards the Service address pins every client to that address', () => {
    const cfg =
      'defaults\n    mode tcp\nfrontend fe\n    bind :80\n    default_backend be\nbackend be\n    balance source\n    server s1 web.default.svc:80\n';
    const found = diagnose(snapshotOf([service('web', {}), ...haproxyGateway('edge', cfg)]), { check: 'affinity' });
    expect(pairs(found)).toEqual([['affinity/proxy-sticks-to-service', 'DaemonSet default/edge']]);
    expect(found[0]!.message).toContain('kube-proxy on the gateway node picks the Pod per connection');
  });

  test('round robin towards the Service address makes no stickiness promise: no finding, STICKY none', () => {
    const objects = [service('web', {}), ...haproxyGateway('edge', haproxyTcp('web.default.svc:80'))];
    expect(run(objects)).toEqual([]);
    expect(discoverExposures(snapshotOf(objects)).find((e) => e.kind === 'DaemonSet')!.sticky).toBe('none');
  });
});

describe('affinity/session-persistence-ignored', () => {
  const persistentRoute = (sessionPersistence?: Record<string, unknown>) =>
    route('HTTPRoute', 'web', {
      parentRefs: [{ name: 'gw' }],
      rules: [{ backendRefs: [{ name: 'web', port: 80 }], ...(sessionPersistence ? { sessionPersistence } : {}) }],
    });
  const cookie = { type: 'Cookie', sessionName: 'web-session' };
  const on = (controllerName: string | undefined, sp: Record<string, unknown> | null = cookie) => [
    ...(controllerName ? [gatewayClass('cls', controllerName)] : []),
    gateway('gw', { gatewayClassName: 'cls' }),
    persistentRoute(sp ?? undefined),
    service('web', {}),
  ];

  test("Traefik's Gateway API provider: the route's sessionPersistence is not applied; STICKY broken, the fix is Traefik's own cookie", () => {
    const objects = on('traefik.io/gateway-controller');
    const found = diagnose(snapshotOf(objects), { check: 'affinity' });
    expect(pairs(found)).toEqual([['affinity/session-persistence-ignored', 'HTTPRoute default/web']]);
    expect(found[0]!.severity).toBe('warning');
    expect(found[0]!.message).toContain('Traefik (GatewayClass cls, controllerName traefik.io/gateway-controller)');
    expect(found[0]!.message).toContain('traefik/traefik#11243');
    expect(found[0]!.message).toContain('sessionPersistence Cookie web-session');
    expect(found[0]!.fix).toContain('expose SERVICE --mode ingress --sticky --in-place');
    expect(found[0]!.fix).toContain('TraefikService');
    const exposures = discoverExposures(snapshotOf(objects));
    expect(exposures.find((e) => e.kind === 'HTTPRoute')!.sticky).toBe('broken');
    expect(exposures.find((e) => e.kind === 'Gateway')!.sticky).toBe('broken');
  });

  test('a header session on Traefik is not applied either', () => {
    expect(run(on('traefik.io/gateway-controller', { type: 'Header', sessionName: 'X-Session' }))).toEqual([
      ['affinity/session-persistence-ignored', 'HTTPRoute default/web'],
    ]);
  });

  test('no claim where the implementation is not known to ignore it: STICKY cookie, no finding', () => {
    for (const controller of ['gateway.envoyproxy.io/gatewayclass-controller', 'example.com/gateway', undefined]) {
      const objects = on(controller);
      expect(run(objects)).toEqual([]);
      expect(discoverExposures(snapshotOf(objects)).find((e) => e.kind === 'HTTPRoute')!.sticky).toBe('cookie');
    }
  });

  test('Traefik without sessionPersistence asks for nothing: no finding, STICKY none', () => {
    const objects = on('traefik.io/gateway-controller', null);
    expect(run(objects)).toEqual([]);
    expect(discoverExposures(snapshotOf(objects)).find((e) => e.kind === 'HTTPRoute')!.sticky).toBe('none');
  });
});

describe("the proxies' stickiness settings", () => {
  test('HAProxy: cookie, stick on src, balance source, hdr, roundrobin, per section', () => {
    const cfg =
      'peers p\n    peer a 192.0.2.1:10000\nbackend a\n    cookie SRV insert indirect nocache\n    server s1 x:1\nbackend b\n    stick-table type ip size 1m peers p\n    stick on src\n    server s2 y:1\nbackend c\n    balance source\n    server s3 z:1\nbackend d\n    balance hdr(X-User)\n    server s4 w:1\nbackend e\n    server s5 v:1\n';
    expect(haproxyStickiness(cfg, 5)).toMatchObject({ key: 'cookie' });
    expect(haproxyStickiness(cfg, 9)).toMatchObject({ key: 'client-ip', perProcessTable: true, peers: true });
    expect(haproxyStickiness(cfg, 12)).toMatchObject({
      key: 'client-ip',
      perProcessTable: false,
      setting: 'balance source',
    });
    expect(haproxyStickiness(cfg, 15)).toMatchObject({ key: 'hash' });
    expect(haproxyStickiness(cfg, 17)).toMatchObject({ key: 'none', setting: 'balance roundrobin (default)' });
  });

  test('nginx: ip_hash, hash $remote_addr, hash $cookie_, plain upstream', () => {
    const cfg =
      'stream {\n  upstream a {\n    ip_hash;\n    server 10.0.0.1:80;\n  }\n  upstream b {\n    hash $remote_addr consistent;\n    server 10.0.0.2:80;\n  }\n  upstream c {\n    hash $cookie_sid;\n    server 10.0.0.3:80;\n  }\n  upstream d {\n    server 10.0.0.4:80;\n  }\n}\n';
    expect(nginxStickiness(cfg, 4).key).toBe('client-ip');
    expect(nginxStickiness(cfg, 8)).toMatchObject({ key: 'client-ip', setting: 'hash $remote_addr consistent' });
    expect(nginxStickiness(cfg, 12).key).toBe('cookie');
    expect(nginxStickiness(cfg, 15).key).toBe('none');
  });
});

describe('the summary of diagnose affinity SERVICE', () => {
  const objects = [
    ...nodes,
    nginxClass,
    webIngress('nginx'),
    service('web', { ...clientIP, type: 'NodePort' }),
    configMap('unrelated', {}),
  ];
  const facts = factsOf(snapshotOf(objects), {}, { service: { namespace: 'default', name: 'web' } });

  test('each way, each hop, what it keys on, and where it breaks', () => {
    expect(affinityPath(facts)).toEqual([
      'Stickiness on the ways to Service default/web:',
      '  NodePort <auto> on 3 nodes: BROKEN',
      '    client -> Service default/web (kube-proxy): sessionAffinity: ClientIP (timeout 10800s); picks the Pod, keyed on the client address',
      "    breaks (affinity/per-entry-node): Service default/web has sessionAffinity: ClientIP (timeout 10800s) and is reached through NodePort on 3 nodes (n1, n2, n3; externalTrafficPolicy Cluster): each node's kube-proxy keeps its own affinity table",
      '  Ingress default/web (ingress-nginx): BROKEN',
      '    client -> ingress-nginx (Ingress default/web): no affinity annotation (round robin over the endpoints); picks the Pod, not sticky',
      '    -> Service default/web (kube-proxy): sessionAffinity: ClientIP (timeout 10800s); passed by: the proxy sends to the endpoints',
      '    breaks (affinity/bypassed-by-proxy): Service default/web has sessionAffinity: ClientIP (timeout 10800s), but ingress-nginx (Ingress default/web) sends to its endpoints directly, past kube-proxy',
    ]);
  });

  test("the same as data, and every way's STICKY value", () => {
    const s = affinitySummary(facts)!;
    expect(s.ways.map((w) => [w.via.kind, w.sticky, w.breaks.map((b) => b.code)])).toEqual([
      ['Service', 'broken', ['affinity/per-entry-node']],
      ['Ingress', 'broken', ['affinity/bypassed-by-proxy']],
    ]);
    expect(affinityWays(facts.ctx).map(stickinessOf)).toEqual(['broken', 'broken']);
  });

  test('a Service nothing leads to', () => {
    expect(
      affinityPath(
        factsOf(snapshotOf([service('web', {})]), {}, { service: { namespace: 'default', name: 'web' } }),
      )[0],
    ).toContain('not reached from outside the cluster');
  });
});
