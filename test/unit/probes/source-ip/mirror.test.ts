// The source-IP proof's mirror objects: built from the target exposure, owned by exposectl,
// never the user's objects; exposures that cannot be mirrored say why.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../../src/discover/context.js';
import type { KubeObject } from '../../../../src/model/kube-object.js';
import type { Pod } from '../../../../src/model/snapshot.js';
import {
  ECHO_IMAGE,
  mirroredAnnotations,
  PROBE_LABEL,
  planSourceIpEcho,
} from '../../../../src/probes/source-ip/mirror.js';
import {
  backendRule,
  gateway,
  haproxyGateway,
  haproxyTcp,
  ingress,
  lbStatus,
  route,
  service,
  snapshotOf,
} from '../../analyzers/helpers.js';

const ID = 'a1b2c3';
const OWNED = {
  'app.kubernetes.io/managed-by': 'exposectl',
  'exposectl.dev/service': 'web',
  'exposectl.dev/service-namespace': 'default',
  [PROBE_LABEL]: ID,
};

function plan(objects: KubeObject[], target = 'web') {
  const snapshot = snapshotOf(objects);
  const ctx = buildContext(snapshot);
  const svc = snapshot.services.find((s) => s.metadata.name === target)!;
  return planSourceIpEcho(ctx, svc, { id: ID });
}

describe('planSourceIpEcho', () => {
  it('LoadBalancer: an echo Pod and a Service with the same type, policy, class, pool annotation and ports, selecting only the echo', () => {
    const p = plan([
      service(
        'web',
        {
          type: 'LoadBalancer',
          externalTrafficPolicy: 'Cluster',
          loadBalancerClass: 'metallb',
          loadBalancerIP: '198.51.100.10',
          ports: [
            { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30080 },
            { name: 'dns', port: 53, protocol: 'UDP' },
          ],
        },
        {
          annotations: {
            'metallb.io/address-pool': 'lan',
            'metallb.io/loadBalancerIPs': '198.51.100.10',
            'metallb.io/allow-shared-ip': 'k',
            'example.com/other': 'x',
          },
        },
        lbStatus('198.51.100.10'),
      ),
    ]);
    expect(p.via).toBe('service');
    if (p.via !== 'service') return;
    expect(p.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      `Pod/exposectl-echo-${ID}`,
      `Service/exposectl-echo-${ID}`,
    ]);
    const [pod, svc] = p.objects as [Pod, KubeObject];
    expect(pod.metadata.labels).toEqual(OWNED);
    expect(svc.metadata.labels).toEqual(OWNED);
    expect(pod.spec?.containers[0]).toMatchObject({ image: ECHO_IMAGE, args: ['netexec', '--http-port=8080'] });
    // The pool is kept; the target's own address and sharing are not (the mirror needs its own address).
    expect(svc.metadata.annotations).toEqual({ 'metallb.io/address-pool': 'lan' });
    expect(svc.spec).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Cluster',
      loadBalancerClass: 'metallb',
      selector: { [PROBE_LABEL]: ID },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    });
    expect(p.mirror).toEqual({ name: `exposectl-echo-${ID}`, type: 'LoadBalancer', port: 80 });
    expect(p.mirrors).toBe('LoadBalancer Service, externalTrafficPolicy Cluster, loadBalancerClass metallb, pool lan');
    expect(p.notes).toEqual([
      'the target asks for 198.51.100.10; the mirror gets another address the same way (same class and pool)',
    ]);
  });

  it('NodePort with Local policy: the mirror is a NodePort with Local policy; nodePorts are left to the API server', () => {
    const p = plan([
      service('web', { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ port: 8443, nodePort: 30443 }] }),
    ]);
    if (p.via !== 'service') throw new Error(`expected a service mirror: ${JSON.stringify(p)}`);
    expect(p.objects[1]!.spec).toEqual({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      selector: { [PROBE_LABEL]: ID },
      ports: [{ port: 8443, targetPort: 8080, protocol: 'TCP' }],
    });
    expect(p.mirror.type).toBe('NodePort');
  });

  it('a UDP-only Service cannot carry the HTTP echo: not probed', () => {
    const p = plan([service('web', { type: 'LoadBalancer', ports: [{ port: 53, protocol: 'UDP' }] })]);
    expect(p).toEqual({
      via: 'none',
      service: { namespace: 'default', name: 'web' },
      reason: 'Service default/web has no TCP port: the HTTP echo cannot be reached through it',
    });
  });

  it('ClusterIP behind an Ingress: a temporary Ingress of the same class with a host of its own, to a ClusterIP echo Service', () => {
    const p = plan([
      service('web', {}),
      ingress('shop', { ingressClassName: 'nginx', rules: [backendRule('web', 'shop.example')] }),
    ]);
    if (p.via !== 'ingress') throw new Error(`expected an ingress mirror: ${JSON.stringify(p)}`);
    expect(p.objects.map((o) => o.kind)).toEqual(['Pod', 'Service', 'Ingress']);
    expect(p.objects.every((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'exposectl')).toBe(true);
    expect(p.objects[2]!.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          host: `exposectl-echo-${ID}.probe.invalid`,
          http: {
            // /header too: the probe asks the echo what the proxy forwarded (X-Forwarded-For, X-Real-IP)
            paths: ['/clientip', '/header', '/hostname'].map((path) => ({
              path,
              pathType: 'Exact',
              backend: { service: { name: `exposectl-echo-${ID}`, port: { number: 8080 } } },
            })),
          },
        },
      ],
    });
    expect(p.host).toBe(`exposectl-echo-${ID}.probe.invalid`);
    expect(p.port).toBe(80);
  });

  it('ClusterIP behind an HTTPRoute: a temporary HTTPRoute on the same Gateway listener, on the listener port', () => {
    const p = plan([
      service('web', {}),
      gateway(
        'gw',
        { gatewayClassName: 'eg', listeners: [{ name: 'web', protocol: 'HTTP', port: 8000 }] },
        { namespace: 'infra' },
      ),
      route('HTTPRoute', 'r', {
        parentRefs: [{ name: 'gw', namespace: 'infra', sectionName: 'web' }],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
      }),
    ]);
    if (p.via !== 'httproute') throw new Error(`expected a route mirror: ${JSON.stringify(p)}`);
    expect(p.gateway).toEqual({ namespace: 'infra', name: 'gw' });
    expect(p.port).toBe(8000);
    expect(p.objects[2]!.spec).toEqual({
      parentRefs: [{ name: 'gw', namespace: 'infra', sectionName: 'web' }],
      hostnames: [`exposectl-echo-${ID}.probe.invalid`],
      rules: [
        {
          matches: [
            { path: { type: 'Exact', value: '/clientip' } },
            { path: { type: 'Exact', value: '/header' } },
            { path: { type: 'Exact', value: '/hostname' } },
          ],
          backendRefs: [{ name: `exposectl-echo-${ID}`, port: 8080 }],
        },
      ],
    });
  });

  it.each([
    // expose --mode gateway --host shop.example: the listener serves that host only
    ['shop.example', 'shop.example', true],
    ['*.example', `exposectl-echo-${ID}.example`, false],
  ])(
    'an HTTPRoute on a listener with hostname %s: the mirror uses %s (shared: %s), or it would never attach',
    (hostname, host, shared) => {
      const p = plan([
        service('web', {}),
        gateway('gw', { gatewayClassName: 'eg', listeners: [{ name: 'web', protocol: 'HTTP', port: 80, hostname }] }),
        route('HTTPRoute', 'r', {
          parentRefs: [{ name: 'gw', sectionName: 'web' }],
          hostnames: ['shop.example'],
          rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
        }),
      ]);
      if (p.via !== 'httproute') throw new Error(`expected a route mirror: ${JSON.stringify(p)}`);
      expect(p.host).toBe(host);
      const spec = p.objects[2]!.spec as { hostnames: string[]; rules: Array<{ matches: unknown[] }> };
      expect(spec.hostnames).toEqual([host]);
      if (shared) {
        // only the probe's own requests: the user's traffic to shop.example/clientip is untouched
        expect(p.headers).toEqual({ 'X-Exposectl-Probe': ID });
        expect(spec.rules[0]!.matches).toEqual(
          ['/clientip', '/header', '/hostname'].map((value) => ({
            path: { type: 'Exact', value },
            headers: [{ type: 'Exact', name: 'X-Exposectl-Probe', value: ID }],
          })),
        );
        expect(p.notes.join('\n')).toContain('shares it');
      } else {
        expect(p.headers).toBeUndefined();
        expect(p.notes).toEqual([]);
      }
    },
  );

  it('behind a hostNetwork HAProxy whose config exposectl does not own: not probed, saying why', () => {
    const p = plan([
      service('web', { clusterIP: '10.96.0.50' }),
      ...haproxyGateway('edge', haproxyTcp('10.96.0.50:80')),
    ]);
    expect(p.via).toBe('none');
    expect(p.via === 'none' && p.reason).toBe(
      'it is reached through the hostNetwork haproxy DaemonSet default/edge, whose config (ConfigMap default/edge-cfg) exposectl does not own: a mirror would need a forward of its own there',
    );
  });

  it('externalIPs and unexposed Services: not probed, saying why', () => {
    expect(plan([service('web', { externalIPs: ['198.51.100.7'] })])).toMatchObject({
      via: 'none',
      reason: expect.stringContaining('externalIPs'),
    });
    expect(plan([service('web', {})])).toMatchObject({
      via: 'none',
      reason:
        'Service default/web (ClusterIP) is not reached from outside the cluster: no LoadBalancer or NodePort, Ingress or HTTPRoute leads to it',
    });
  });
});

describe('mirroredAnnotations', () => {
  it('keeps how the address is allocated and announced, never the address itself or its sharing', () => {
    const svc = service(
      'web',
      {},
      {
        annotations: {
          'metallb.universe.tf/address-pool': 'a',
          'metallb.universe.tf/loadBalancerIPs': '198.51.100.1',
          'metallb.universe.tf/allow-shared-ip': 'x',
          'kube-vip.io/loadbalancerIPs': '198.51.100.2',
          'kube-vip.io/vipHost': 'n1',
          'kube-vip.io/egress': 'true',
          'io.cilium/lb-ipam-ips': '198.51.100.3',
          'lbipam.cilium.io/sharing-key': 'k',
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
        },
      },
    );
    expect(mirroredAnnotations(svc as never)).toEqual({
      'metallb.universe.tf/address-pool': 'a',
      'kube-vip.io/egress': 'true',
    });
  });
});
