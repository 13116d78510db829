// Fixtures the ARP and healthz network tests share, on the lab of test/network/arp/lab.ts:
// YAML for the cluster facts the CLI reads with -f (Nodes, Service shop/web, its
// EndpointSlice, MetalLB L2 objects), the VIP moved between nodes, and a kube-proxy-like
// /healthz server in the node namespaces. Values go into the YAML as given: quote them
// (JSON.stringify) where they may hold YAML syntax.
import { Lab, requireLab, waitForOutput } from './arp/lab.js';

export interface LabNode {
  role: string;
  ip: string;
}

/** A host as Lab.create() takes it. */
export interface LabHost extends LabNode {
  mac: string;
}

/** One Node per lab host, named by its role, its address the InternalIP; each document ends with `---`, so more can follow. */
export function nodesYaml(nodes: readonly LabNode[]): string {
  return nodes
    .map(
      (n) => `apiVersion: v1
kind: Node
metadata: { name: ${n.role} }
status:
  addresses: [{ type: InternalIP, address: ${n.ip} }]
---`,
    )
    .join('\n');
}

/**
 * Service shop/web of type LoadBalancer (selector app=web, port 80/TCP). `vip` goes in its
 * status (left out: still pending). With `healthCheckNodePort` it is the Service kube-proxy
 * health-checks on every node, so it also names its node port (30080) and target port (8080).
 */
export function webServiceYaml(opts: { vip?: string; localPolicy?: boolean; healthCheckNodePort?: number }): string {
  const hc = opts.healthCheckNodePort;
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata: { name: web, namespace: shop }',
    'spec:',
    '  type: LoadBalancer',
    ...(opts.localPolicy ? ['  externalTrafficPolicy: Local'] : []),
    ...(hc !== undefined ? [`  healthCheckNodePort: ${hc}`] : []),
    '  selector: { app: web }',
    hc !== undefined
      ? '  ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: TCP }]'
      : '  ports: [{ port: 80, protocol: TCP }]',
    ...(opts.vip !== undefined ? ['status:', `  loadBalancer: { ingress: [{ ip: ${opts.vip} }] }`] : []),
  ].join('\n');
}

/** EndpointSlice web-1 of Service shop/web (IPv4): one endpoint a pod address, on its node, ready or not. */
export function webEndpointSliceYaml(endpoints: ReadonlyArray<{ ip: string; node: string; ready: boolean }>): string {
  return `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: web-1, namespace: shop, labels: { kubernetes.io/service-name: web } }
addressType: IPv4
endpoints:
${endpoints.map((e) => `  - { addresses: [${e.ip}], nodeName: ${e.node}, conditions: { ready: ${e.ready} } }`).join('\n')}`;
}

/**
 * MetalLB in L2 mode announcing Service shop/web at `vip` (pool "lab", 198.51.100.0/24):
 * the Nodes, the pool, its L2Advertisement, the Service, and the ServiceL2Status that names
 * `holder` as the node answering ARP for it.
 */
export function metallbL2Facts(opts: {
  nodes: readonly LabNode[];
  vip: string;
  holder: string;
  localPolicy?: boolean;
}): string {
  return `
${nodesYaml(opts.nodes)}
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: { name: lab, namespace: metallb-system }
spec: { addresses: [198.51.100.0/24] }
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: { name: lab, namespace: metallb-system }
---
${webServiceYaml({ vip: opts.vip, localPolicy: opts.localPolicy })}
---
apiVersion: metallb.io/v1beta1
kind: ServiceL2Status
metadata: { name: l2-web, namespace: metallb-system }
status: { node: ${opts.holder}, serviceName: web, serviceNamespace: shop, interfaces: [{ name: eth0 }] }
`;
}

/**
 * For the ARP tests, which move the address between nodes: `holdOnly(roles)` leaves `vip`
 * on exactly those nodes' eth0, adding and deleting it only where that changes something.
 */
export function vipHolders(lab: Lab, vip: string): (roles: string[]) => Promise<void> {
  const holders = new Set<string>();
  return async (roles) => {
    for (const r of [...holders])
      if (!roles.includes(r)) {
        await lab.delVip(r, vip);
        holders.delete(r);
      }
    for (const r of roles)
      if (!holders.has(r)) {
        await lab.addVip(r, vip);
        holders.add(r);
      }
  };
}

/**
 * Source for `node -e`: kube-proxy's health check for shop/web (pkg/proxy/healthcheck) on
 * `port`: GET /healthz answers 200 iff LOCAL_ENDPOINTS > 0, else 503, with kube-proxy's
 * headers and JSON body. Prints "listening" once it accepts connections.
 */
export function kubeProxyHealthzServer(port: number): string {
  return `
const http = require('node:http');
const n = Number(process.env.LOCAL_ENDPOINTS);
http.createServer((req, res) => {
  if (req.url !== '/healthz') { res.writeHead(404); res.end(); return; }
  res.writeHead(n > 0 ? 200 : 503, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'X-Load-Balancing-Endpoint-Weight': String(n) });
  res.end(JSON.stringify({ service: { namespace: 'shop', name: 'web' }, localEndpoints: n, serviceProxyHealthy: true }));
}).listen(${port}, '0.0.0.0', () => console.log('listening'));
`;
}

/**
 * Starts that health check in each named node's namespace, counting the local endpoints
 * given for it (a node left out runs none: connection refused), and waits until each listens.
 * The lab's destroy() stops them.
 */
export async function startKubeProxyHealthz(
  lab: Lab,
  port: number,
  localEndpointsByRole: Record<string, number>,
): Promise<void> {
  for (const [role, n] of Object.entries(localEndpointsByRole)) {
    const child = lab.spawnIn(role, process.execPath, ['-e', kubeProxyHealthzServer(port)], {
      LOCAL_ENDPOINTS: String(n),
    });
    await waitForOutput(child, (t) => t.includes('listening'), 15_000);
  }
}

/**
 * The lab of the kube-proxy health check tests: the client and the nodes on the bridge, the
 * facts in cluster.yaml, and the health check on `port` in the nodes of `localEndpointsByRole`.
 * The caller destroys the lab (in afterAll); if setting it up fails, it is destroyed here.
 */
export async function startHealthzLab(opts: {
  client: LabHost;
  nodes: readonly LabHost[];
  facts: string;
  port: number;
  localEndpointsByRole: Record<string, number>;
}): Promise<{ lab: Lab; file: string }> {
  await requireLab(['ip']);
  const lab = new Lab();
  try {
    await lab.create([opts.client, ...opts.nodes]);
    const file = lab.writeFile('cluster.yaml', opts.facts);
    await startKubeProxyHealthz(lab, opts.port, opts.localEndpointsByRole);
    return { lab, file };
  } catch (e) {
    await lab.destroy();
    throw e;
  }
}
