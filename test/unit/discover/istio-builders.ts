// Istio networking.istio.io objects for the unit tests, hand-written in the shapes Istio's
// CRDs accept (fetched by scripts/cluster/crds-extra.sh for the integration tests).
import type { KubeObject } from '../../../src/model/kube-object.js';

export const istioGateway = (
  name: string,
  servers: unknown[],
  ns = 'istio-system',
  selector: Record<string, string> = { istio: 'ingressgateway' },
): KubeObject =>
  ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns },
    spec: { selector, servers },
  }) as KubeObject;

export const virtualService = (name: string, spec: Record<string, unknown>, ns = 'default'): KubeObject =>
  ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace: ns },
    spec,
  }) as KubeObject;

export const server = (port: number, hosts: string[], protocol = 'HTTP', name = `http-${port}`) => ({
  port: { number: port, name, protocol },
  hosts,
});
export const httpRoute = (host: string, port?: number, prefix = '/') => ({
  match: [{ uri: { prefix } }],
  route: [{ destination: { host, ...(port ? { port: { number: port } } : {}) } }],
});

/** The ingress gateway Service as Istio's chart installs it (selector app + istio). */
export const ingressGatewayService = (policy: 'Local' | 'Cluster' = 'Cluster', ip = '198.51.100.80'): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: policy,
      selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      ports: [{ name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
    status: { loadBalancer: { ingress: [{ ip }] } },
  }) as KubeObject;
