// probe reach's ways into a Service, planned from discovery's facts of manifests read as
// `-f` reads them: node ports on every node (with each node's local endpoints under Local
// policy), LoadBalancer addresses, Ingress hosts and paths (https for the TLS hosts),
// Gateway listeners of the attached routes, hostNetwork gateways; and what cannot be tried.
import { describe, expect, it } from 'vitest';
import { buildContext, nameOf, nsOf } from '../../../src/discover/context.js';
import { planReach, schemeOfPort } from '../../../src/probes/reach/plan.js';
import { snapshotFromText } from '../analyzers/catalogue-helpers.js';

const NODES = [1, 2, 3]
  .map(
    (n) => `apiVersion: v1
kind: Node
metadata: { name: node-${n} }
status: { addresses: [{ type: InternalIP, address: 192.0.2.1${n} }] }`,
  )
  .join('\n---\n');

const PODS = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: web-abc, namespace: shop, labels: { kubernetes.io/service-name: web } }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints:
  - { addresses: [10.244.1.2], nodeName: node-1, conditions: { ready: true }, targetRef: { kind: Pod, name: web-1, namespace: shop } }
  - { addresses: [10.244.1.3], nodeName: node-1, conditions: { ready: true }, targetRef: { kind: Pod, name: web-2, namespace: shop } }
---
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: shop, labels: { app: web } }
spec: { nodeName: node-1, containers: [{ name: echo, image: echo }] }
status: { phase: Running, podIP: 10.244.1.2, conditions: [{ type: Ready, status: "True" }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web-2, namespace: shop, labels: { app: web } }
spec: { nodeName: node-1, containers: [{ name: echo, image: echo }] }
status: { phase: Running, podIP: 10.244.1.3, conditions: [{ type: Ready, status: "True" }] }`;

async function plan(yaml: string, name = 'web', o = {}) {
  const snapshot = await snapshotFromText(yaml);
  const svc = snapshot.services.find((s) => nameOf(s) === name && nsOf(s) === 'shop')!;
  return planReach(buildContext(snapshot), svc, o);
}

const brief = (p: Awaited<ReturnType<typeof plan>>) =>
  p.targets.map((t) => [t.via, t.scheme, t.address, t.port, t.host ?? null, t.path ?? null]);

describe('probe reach: the ways into a Service', () => {
  it('NodePort, Local policy: every node address, each with its local ready endpoints; the Pods and affinity', async () => {
    const p = await plan(`${NODES}
---
${PODS}
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: NodePort
  externalTrafficPolicy: Local
  sessionAffinity: ClientIP
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080, nodePort: 30080 }, { name: metrics, port: 9100, nodePort: 30091 }]`);
    expect(p.targets.map((t) => [t.label, t.scheme, t.node, t.localEndpoints])).toEqual([
      ['nodePort node-1 192.0.2.11:30080', 'http', 'node-1', 2],
      ['nodePort node-1 192.0.2.11:30091', 'tcp', 'node-1', 2],
      ['nodePort node-2 192.0.2.12:30080', 'http', 'node-2', 0],
      ['nodePort node-2 192.0.2.12:30091', 'tcp', 'node-2', 0],
      ['nodePort node-3 192.0.2.13:30080', 'http', 'node-3', 0],
      ['nodePort node-3 192.0.2.13:30091', 'tcp', 'node-3', 0],
    ]);
    expect(p.targets[0]).toMatchObject({ path: '/', object: { kind: 'Service', namespace: 'shop', name: 'web' } });
    expect(p.sticky).toBe(true);
    expect(p.knownPods).toEqual(['web-1', 'web-2']);
    expect(p.skipped).toEqual([]);
  });

  it('LoadBalancer: each address and port; its nodePorts only with --node-ports; --http and --path', async () => {
    const yaml = `${NODES}
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ name: https, port: 443, nodePort: 30443 }, { name: redis, port: 6379, nodePort: 30379 }]
status: { loadBalancer: { ingress: [{ ip: 198.51.100.10 }] } }`;
    expect(brief(await plan(yaml))).toEqual([
      ['loadbalancer', 'https', '198.51.100.10', 443, null, '/'],
      ['loadbalancer', 'tcp', '198.51.100.10', 6379, null, null],
    ]);
    const all = await plan(yaml, 'web', { nodePorts: true, http: true, path: '/healthz' });
    expect(all.targets).toHaveLength(8);
    expect(brief(all).slice(-2)).toEqual([
      ['loadbalancer', 'https', '198.51.100.10', 443, null, '/healthz'],
      ['loadbalancer', 'http', '198.51.100.10', 6379, null, '/healthz'],
    ]);
    expect(all.targets[1]).toMatchObject({ via: 'nodeport', address: '192.0.2.11', port: 30379, scheme: 'http' });
  });

  it('a LoadBalancer without an address (live status): not tried, and said why', async () => {
    const snapshot = await snapshotFromText(
      `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80 }] }
status: { loadBalancer: {} }`,
      true,
    );
    const p = planReach(buildContext(snapshot), snapshot.services[0]!);
    expect(p.targets).toEqual([]);
    expect(p.skipped).toEqual([
      expect.stringMatching(/^LoadBalancer of Service shop\/web: no address \(.*no load-balancer implementation/),
    ]);
  });

  it('Ingress: http with the Host header for each rule path to the Service, https for the TLS hosts', async () => {
    const p = await plan(`apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 8080 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop }
spec:
  ingressClassName: lab
  tls: [{ hosts: [shop.example.com], secretName: shop-tls }]
  rules:
    - host: shop.example.com
      http: { paths: [{ path: /api, pathType: Prefix, backend: { service: { name: web, port: { number: 8080 } } } }] }
    - host: admin.example.com
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 8080 } } } }] }
    - host: other.example.com
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: other, port: { number: 80 } } } }] }
status: { loadBalancer: { ingress: [{ ip: 192.0.2.11 }] } }`);
    expect(brief(p)).toEqual([
      ['ingress', 'http', '192.0.2.11', 80, 'shop.example.com', '/api'],
      ['ingress', 'https', '192.0.2.11', 443, 'shop.example.com', '/api'],
      ['ingress', 'http', '192.0.2.11', 80, 'admin.example.com', '/'],
    ]);
    expect(p.targets.map((t) => t.label)).toEqual([
      'Ingress http://shop.example.com/api',
      'Ingress https://shop.example.com/api',
      'Ingress http://admin.example.com/',
    ]);
  });

  it('Gateway API: the listeners the route attaches to, at the Gateway addresses, with the route hostnames', async () => {
    const p = await plan(`apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: lab, namespace: shop }
spec:
  gatewayClassName: lab
  listeners:
    - { name: http, port: 80, protocol: HTTP }
    - { name: https, port: 8443, protocol: HTTPS, tls: { certificateRefs: [{ name: shop-tls }] } }
status: { addresses: [{ type: IPAddress, value: 192.0.2.11 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: shop }
spec:
  parentRefs: [{ name: lab }]
  hostnames: [shop.example.com]
  rules: [{ backendRefs: [{ name: web, port: 8080 }] }]`);
    expect(brief(p)).toEqual([
      ['gateway', 'http', '192.0.2.11', 80, 'shop.example.com', '/'],
      ['gateway', 'https', '192.0.2.11', 8443, 'shop.example.com', '/'],
    ]);
    expect(p.targets.map((t) => t.label)).toEqual([
      'Gateway lab/http http://shop.example.com',
      'Gateway lab/https https://shop.example.com:8443',
    ]);
  });

  it('a route whose Gateway is in a namespace that was not read: not tried, and said how to read it', async () => {
    const p = await plan(`apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: shop }
spec:
  parentRefs: [{ name: edge, namespace: infra }]
  rules: [{ backendRefs: [{ name: web, port: 8080 }] }]`);
    expect(p.targets).toEqual([]);
    expect(p.skipped).toEqual([
      'HTTPRoute shop/web through Gateway infra/edge: the Gateway was not read (another namespace: add -A)',
    ]);
  });

  it('a hostNetwork HAProxy DaemonSet that forwards to the Service: every node it runs on, its listen port', async () => {
    const p = await plan(`${NODES}
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 8080 }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: edge-cfg, namespace: shop }
data:
  haproxy.cfg: |
    defaults
        mode http
    frontend fe
        bind :8000
        default_backend be
    backend be
        server s1 web.shop.svc.cluster.local:8080
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: edge, namespace: shop }
spec:
  selector: { matchLabels: { app: edge } }
  template:
    metadata: { labels: { app: edge } }
    spec:
      hostNetwork: true
      containers: [{ name: haproxy, image: "haproxy:3.2", ports: [{ containerPort: 8000, hostPort: 8000 }] }]
      volumes: [{ name: config, configMap: { name: edge-cfg } }]`);
    expect(
      p.targets.map((t) => [t.label, t.via, t.scheme, t.node ?? null]),
      p.skipped.join('; '),
    ).toEqual([
      ['haproxy node-1 192.0.2.11:8000', 'hostnetwork', 'http', 'node-1'],
      ['haproxy node-2 192.0.2.12:8000', 'hostnetwork', 'http', 'node-2'],
      ['haproxy node-3 192.0.2.13:8000', 'hostnetwork', 'http', 'node-3'],
    ]);
    expect(p.targets[0]!.object).toEqual({ kind: 'DaemonSet', namespace: 'shop', name: 'edge' });
  });

  it('a ClusterIP Service with nothing in front: no way in, and said so', async () => {
    const p = await plan(`apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80 }] }`);
    expect(p.targets).toEqual([]);
    expect(p.skipped).toEqual([expect.stringContaining('Service shop/web (ClusterIP) has no way in from outside')]);
  });

  it('port names choose http and https (Kubernetes and Istio conventions); others are TCP unless --http', () => {
    expect(
      ['http', 'http-web', 'h2c', 'https', 'https-admin', 'web', 'httpx', undefined].map((n) => schemeOfPort(n, {})),
    ).toEqual(['http', 'http', 'http', 'https', 'https', 'tcp', 'tcp', 'tcp']);
    expect(schemeOfPort('redis', { http: true })).toBe('http');
  });
});
