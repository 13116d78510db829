import { describe, expect, test } from 'vitest';
import { sourceIpPath } from '../../../src/analyzers/source-ip-path.js';
import {
  backendRule,
  factsOf,
  gateway,
  haproxyGateway,
  haproxyTcp,
  ingress,
  ingressClass,
  ingressNginx,
  l2adv,
  lbStatus,
  pool,
  route,
  service,
  snapshotOf,
} from './helpers.js';

const path = (objects: Parameters<typeof snapshotOf>[0], name = 'web', namespace = 'default') =>
  sourceIpPath(factsOf(snapshotOf(objects), {}, { service: { namespace, name } }));

describe('the ways from a client to a Service', () => {
  test('every way, each with what it does to the client address', () => {
    const lines = path([
      pool('p', ['198.51.100.0/28']),
      l2adv('l2'),
      service('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }, {}, lbStatus('198.51.100.10')),
      ingressClass('nginx', 'k8s.io/ingress-nginx'),
      ingress('web', { ingressClassName: 'nginx', rules: [backendRule('web')] }),
      ...ingressNginx({}, { type: 'NodePort' }),
      gateway('gw', { gatewayClassName: 'eg' }),
      route('TCPRoute', 'tcp', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }),
      ...haproxyGateway('edge', haproxyTcp('web.default.svc:80')),
    ]);
    expect(lines).toEqual([
      'Ways from a client to Service default/web:',
      '  client -> 198.51.100.10:80 (metallb l2) -> a node -> Service default/web [externalTrafficPolicy Local: client address kept]',
      '  client -> any node:<auto>,<auto> (NodePort) -> Service ingress-nginx/ingress-nginx-controller [externalTrafficPolicy Cluster: REPLACED by a node address (SNAT)] -> Ingress default/web (ingress-nginx, HTTP: client address in X-Forwarded-For) -> Service default/web',
      '  client -> Gateway (TCPRoute default/tcp: REPLACED by the proxy address) -> Service default/web',
      '  client -> node:80 (haproxy DaemonSet default/edge, TCP, no PROXY protocol: REPLACED by the gateway node address) -> Service default/web',
    ]);
  });

  test('a Service nothing leads to', () => {
    expect(path([service('web', { type: 'ClusterIP' })])).toEqual([
      'Service default/web is not reached from outside the cluster in the input (ClusterIP; no Ingress, route or gateway leads to it).',
    ]);
  });

  test('PROXY protocol from the gateway keeps the address', () => {
    expect(
      path([
        service('web', { type: 'ClusterIP' }),
        ...haproxyGateway('edge', haproxyTcp('web:80', 'send-proxy-v2')),
      ])[1],
    ).toContain('PROXY protocol v2: client address kept in the header');
  });
});
