// list's SOURCE-IP of a hostNetwork HAProxy/nginx gateway: what the Pods behind its forwards
// see (the lab proved it: an echo behind `expose --mode hostnetwork` without
// --preserve-source-ip sees the gateway node's address), not what the gateway itself sees;
// `unknown` when the input lacks the config that decides it.
import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import { configMap, haproxyGateway, haproxyTcp, service, snapshotOf } from '../analyzers/helpers.js';

const web = service('web', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] });
const sourceIPOf = (objects: Parameters<typeof snapshotOf>[0]) =>
  discoverExposures(snapshotOf(objects)).find((e) => e.kind === 'DaemonSet')?.sourceIP;

describe('SOURCE-IP of a hostNetwork gateway', () => {
  it('TCP forward without PROXY protocol: lost (the Service sees the gateway node)', () =>
    expect(sourceIPOf([web, ...haproxyGateway('edge', haproxyTcp('web.default.svc.cluster.local:80'))])).toBe('lost'));
  it('TCP forward with send-proxy-v2 (expose --preserve-source-ip): preserved', () =>
    expect(sourceIPOf([web, ...haproxyGateway('edge', haproxyTcp('10.96.0.50:80', 'send-proxy-v2'))])).toBe(
      'preserved',
    ));
  it('HTTP forward with option forwardfor: preserved (in X-Forwarded-For)', () =>
    expect(
      sourceIPOf([
        web,
        ...haproxyGateway(
          'edge',
          'defaults\n    mode http\nfrontend fe\n    bind :80\n    default_backend be\nbackend be\n    option forwardfor\n    server s1 10.96.0.50:80\n',
        ),
      ]),
    ).toBe('preserved'));
  it('nginx stream proxy_pass as expose --mode hostnetwork --gateway-impl nginx writes it: lost', () => {
    const objects = haproxyGateway('edge', '');
    objects[0] = configMap('edge-cfg', {
      'nginx.conf':
        'events {}\nstream {\n    server {\n        listen 80;\n        proxy_pass web.default.svc.cluster.local:80;\n    }\n}\n',
    });
    (objects[1]!.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
      .containers[0]!.image = 'nginx:1.29';
    expect(sourceIPOf([web, ...objects])).toBe('lost');
  });
  it('a gateway whose forwards lead to no Service of the snapshot: the hostNetwork verdict (preserved at the gateway)', () =>
    expect(sourceIPOf(haproxyGateway('edge', haproxyTcp('192.0.2.99:80')))).toBe('preserved'));
  it('an HAProxy whose config is not in the input: unknown (whether it forwards, and how, is in that config)', () =>
    expect(sourceIPOf([web, haproxyGateway('edge', haproxyTcp('10.96.0.50:80'))[1]!])).toBe('unknown'));
  it('an HAProxy ingress controller without its config: the controller row keeps preserved (its Ingress rows judge the backends)', () => {
    const controller = haproxyGateway('edge', '')[1]!;
    (controller.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
      .containers[0]!.image = 'haproxytech/kubernetes-ingress:3.1';
    expect(sourceIPOf([web, controller])).toBe('preserved');
  });
});
