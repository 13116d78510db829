// A generated cluster for the topology benchmark and the "readable at scale" test:
// `services` Services spread over namespaces of 20, `podsPerService` Pods each (one in
// twenty not ready), on `nodes` Nodes; a third MetalLB L2 (ServiceL2Status for half),
// a third MetalLB BGP, a third NodePort; one Ingress per namespace. Deterministic.
// Returns a `kind: List` document (what `kubectl get -o json` prints).

export interface GenerateOptions {
  services?: number;
  podsPerService?: number;
  nodes?: number;
  perNamespace?: number;
}

export function generateCluster(opts: GenerateOptions = {}): {
  apiVersion: 'v1';
  kind: 'List';
  items: Array<Record<string, unknown>>;
} {
  const services = opts.services ?? 1000;
  const podsPer = opts.podsPerService ?? 10;
  const nodeCount = opts.nodes ?? 20;
  const perNs = opts.perNamespace ?? 20;
  const items: Array<Record<string, unknown>> = [];
  const nodeName = (i: number) => `worker-${String(i).padStart(2, '0')}`;
  for (let i = 0; i < nodeCount; i++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: nodeName(i), labels: { 'kubernetes.io/hostname': nodeName(i) } },
      status: {
        addresses: [{ type: 'InternalIP', address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` }],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  items.push(
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'lan', namespace: 'metallb-system' },
      spec: { addresses: ['100.64.0.0/16'] },
    },
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: 'lan', namespace: 'metallb-system' },
      spec: { ipAddressPools: ['lan'] },
    },
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'routed', namespace: 'metallb-system' },
      spec: { addresses: ['100.65.0.0/16'] },
    },
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'BGPAdvertisement',
      metadata: { name: 'routed', namespace: 'metallb-system' },
      spec: { ipAddressPools: ['routed'] },
    },
    {
      apiVersion: 'metallb.io/v1beta2',
      kind: 'BGPPeer',
      metadata: { name: 'tor', namespace: 'metallb-system' },
      spec: { myASN: 64512, peerASN: 64500, peerAddress: '10.255.0.1' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
  );
  for (let s = 0; s < services; s++) {
    const ns = `team-${String(Math.floor(s / perNs)).padStart(3, '0')}`;
    const name = `svc-${String(s).padStart(4, '0')}`;
    const kind = s % 3;
    const ip = `100.${64 + (kind === 1 ? 1 : 0)}.${Math.floor(s / 250)}.${(s % 250) + 1}`;
    const local = s % 2 === 0;
    items.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: {
        type: kind === 2 ? 'NodePort' : 'LoadBalancer',
        selector: { app: name },
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30000 + s }],
        ...(kind === 2 ? {} : { externalTrafficPolicy: local ? 'Local' : 'Cluster' }),
        clusterIP: `10.96.${Math.floor(s / 250)}.${(s % 250) + 1}`,
      },
      status: kind === 2 ? { loadBalancer: {} } : { loadBalancer: { ingress: [{ ip }] } },
    });
    const endpoints: unknown[] = [];
    for (let p = 0; p < podsPer; p++) {
      const pod = `${name}-${p}`;
      const node = nodeName((s * 7 + p) % nodeCount);
      const ready = (s + p) % 20 !== 7;
      const podIP = `10.${128 + Math.floor(s / 250)}.${s % 250}.${p + 1}`;
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod, namespace: ns, labels: { app: name } },
        spec: {
          nodeName: node,
          containers: [
            { name: 'app', image: 'registry.example/app:1', ports: [{ name: 'http', containerPort: 8080 }] },
          ],
        },
        status: { phase: 'Running', podIP, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
      });
      endpoints.push({
        addresses: [podIP],
        conditions: { ready },
        nodeName: node,
        targetRef: { kind: 'Pod', name: pod, namespace: ns },
      });
    }
    items.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints,
    });
    if (kind === 0 && s % 6 === 0) {
      items.push({
        apiVersion: 'metallb.io/v1beta1',
        kind: 'ServiceL2Status',
        metadata: { name: `l2-${name}`, namespace: 'metallb-system' },
        status: {
          node: nodeName(s % nodeCount),
          serviceName: name,
          serviceNamespace: ns,
          interfaces: [{ name: 'eth0' }],
        },
      });
    }
    if (s % perNs === 0) {
      items.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `${ns}-web`, namespace: ns },
        spec: {
          ingressClassName: 'nginx',
          rules: [
            {
              host: `${ns}.example`,
              http: {
                paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }],
              },
            },
          ],
        },
        status: { loadBalancer: { ingress: [{ ip: '100.64.255.1' }] } },
      });
    }
  }
  return { apiVersion: 'v1', kind: 'List', items };
}
