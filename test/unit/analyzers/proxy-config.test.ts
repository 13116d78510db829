// Reading HAProxy and nginx configurations (what a hostNetwork gateway forwards where,
// with or without PROXY protocol / X-Forwarded-For), and exposectl's own generated gateway
// configs diagnosed end to end.
import { describe, expect, test } from 'vitest';
import { buildContext } from '../../../src/discover/context.js';
import { resolveTarget } from '../../../src/discover/paths.js';
import { parseHaproxy, parseNginx, parseProxyConfig, splitHostPort } from '../../../src/discover/proxy-config.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { haproxyConfig } from '../../../src/modes/haproxy-config.js';
import { planExpose } from '../../../src/modes/index.js';
import { nginxConfig } from '../../../src/modes/nginx-config.js';
import { diagnose, pairs, service, snapshotOf } from './helpers.js';

describe('HAProxy', () => {
  test('frontends, backends, listen sections, defaults, default-server and use_backend', () => {
    const c = parseHaproxy(`
global
  log stdout local0
defaults
  mode http
  option forwardfor
frontend web # comment
  bind :80,:8080
  bind 192.0.2.1:443 accept-proxy ssl crt /x.pem
  use_backend api if { path_beg /api }
  default_backend site
backend site
  server s1 site.shop.svc.cluster.local:80 check
backend api
  mode tcp
  default-server send-proxy-v2
  server a1 10.96.0.7:8443
  server a2 [2001:db8::7]:8443 send-proxy
listen db
  mode tcp
  bind :5432
  server d1 db:5432
backend orphan
  server o1 192.0.2.50:9000
`);
    expect(c.listens.map((l) => [l.port, l.acceptProxy, l.mode])).toEqual([
      [80, false, 'http'],
      [8080, false, 'http'],
      [443, true, 'http'],
      [5432, false, 'tcp'],
    ]);
    expect(c.forwards.map((f) => [f.fromPorts.join('+'), f.mode, f.host, f.port, f.sendProxy, f.forwardedFor])).toEqual(
      [
        ['80+8080+443', 'http', 'site.shop.svc.cluster.local', 80, false, true],
        ['80+8080+443', 'tcp', '10.96.0.7', 8443, 'v2', false],
        ['80+8080+443', 'tcp', '2001:db8::7', 8443, 'v1', false],
        ['5432', 'tcp', 'db', 5432, false, false],
        ['', 'http', '192.0.2.50', 9000, false, true],
      ],
    );
  });

  test('server-template: the servers of one DNS name; an SRV name leads to the Service port of that name', () => {
    const c = parseHaproxy(`
frontend fe
  bind :80
  default_backend be
backend be
  balance source
  server-template ep 1-64 _http._tcp.web-hostnet.shop.svc.cluster.local resolvers cluster init-addr none check send-proxy-v2
  server-template db 3 db.shop.svc.cluster.local:5432
`);
    expect(c.forwards.map((f) => [f.host, f.port, f.sendProxy, f.line])).toEqual([
      ['_http._tcp.web-hostnet.shop.svc.cluster.local', undefined, 'v2', 7],
      ['db.shop.svc.cluster.local', 5432, false, 8],
    ]);
    const headless = service(
      'web-hostnet',
      { clusterIP: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
      { namespace: 'shop' },
    );
    const t = resolveTarget(buildContext(snapshotOf([headless])), c.forwards[0]!.host, undefined, 'default');
    expect([t?.service.metadata.name, t?.port?.port, t?.via]).toEqual(['web-hostnet', 80, 'dns']);
  });

  test('host:port forms', () => {
    expect(splitHostPort('web:80')).toEqual({ host: 'web', port: 80 });
    expect(splitHostPort('[2001:db8::1]:443')).toEqual({ host: '2001:db8::1', port: 443 });
    expect(splitHostPort('http://web.shop.svc:8080/path')).toEqual({ host: 'web.shop.svc', port: 8080 });
    expect(splitHostPort('2001:db8::1')).toEqual({ host: '2001:db8::1', port: undefined });
    expect(splitHostPort('ipv4@10.0.0.1:80')).toEqual({ host: '10.0.0.1', port: 80 });
  });
});

describe('nginx', () => {
  test('stream servers with upstreams and proxy_protocol; http with X-Forwarded-For and real_ip', () => {
    const c = parseNginx(`
events {}
stream {
  upstream db { server db.shop.svc.cluster.local:5432; }
  server { listen 5432; proxy_pass db; proxy_protocol on; }
  server { listen 53 udp; proxy_pass dns:53; }
  server { listen 8443 proxy_protocol; proxy_pass "api:443"; }
}
http {
  set_real_ip_from 192.0.2.0/24;
  real_ip_header proxy_protocol;
  server {
    listen 80;
    location / { proxy_pass http://web; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }
  }
}
`);
    expect(c.listens.map((l) => [l.port, l.acceptProxy, l.mode])).toEqual([
      [5432, false, 'tcp'],
      [53, false, 'tcp'],
      [8443, true, 'tcp'],
      [80, false, 'http'],
    ]);
    expect(c.forwards.map((f) => [f.fromPorts.join('+'), f.mode, f.host, f.port, f.sendProxy, f.forwardedFor])).toEqual(
      [
        ['5432', 'tcp', 'db.shop.svc.cluster.local', 5432, 'v1', false],
        ['53', 'tcp', 'dns', 53, false, false],
        ['8443', 'tcp', 'api', 443, false, false],
        ['80', 'http', 'web', 80, false, true],
      ],
    );
    expect(c.trustsForwardedHeaders).toBe(true);
  });

  test('files that are neither are ignored', () => {
    expect(parseProxyConfig('settings.json', '{"a": 1}')).toBeUndefined();
    expect(parseProxyConfig('haproxy.cfg', 'frontend a\n bind :1\n')?.kind).toBe('haproxy');
    expect(parseProxyConfig('default.conf', 'stream {\n}\n')?.kind).toBe('nginx');
  });
});

describe("exposectl's own hostnetwork gateway, diagnosed", () => {
  const input = (proxyProtocol: boolean) => ({
    service: { namespace: 'shop', name: 'web' },
    proxyProtocol,
    listeners: [
      { listenPort: 80, protocol: 'TCP' as const, backendHost: 'web.shop.svc.cluster.local', backendPort: 80 },
    ],
  });
  const web = service(
    'web',
    { type: 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
    { namespace: 'shop' },
  );

  test.each([
    ['haproxy', haproxyConfig, false],
    ['nginx', nginxConfig, false],
    ['haproxy', haproxyConfig, true],
    ['nginx', nginxConfig, true],
  ] as const)(
    '%s (sticky %s): without PROXY protocol the gateway is the hop that replaces the client; with it, nothing',
    (_, gen, sticky) => {
      const objects = (pp: boolean): KubeObject[] => {
        const plan = planExpose(
          {
            mode: 'hostnetwork',
            service: web as never,
            gatewayImpl: _ as never,
            nodeSelector: { edge: 'true' },
            preserveSourceIP: pp,
            sticky,
          } as never,
          {},
        );
        expect(plan.problems).toEqual([]);
        return [web, ...plan.manifests];
      };
      expect(gen(input(false))).toBeTruthy();
      expect(pairs(diagnose(snapshotOf(objects(false)), { check: 'source-ip' }))).toEqual([
        ['source-ip/proxy-protocol-missing', 'DaemonSet shop/web-hostnet'],
      ]);
      expect(pairs(diagnose(snapshotOf(objects(true)), { check: 'source-ip' }))).toEqual([]);
    },
  );
});
