// `diagnose endpoints SERVICE --probe` against kube-proxy-like health checks in network
// namespaces (as test/network/endpoints/healthz.test.ts does for `probe endpoints`): each
// "node" serves GET /healthz on the healthCheckNodePort as kube-proxy does (200 with local
// endpoints, 503 without). For a LoadBalancer Service the snapshot alone cannot tell which
// nodes drop Local-policy traffic, so endpoints/local-policy-blackhole appears only from
// the real answers. As root:
//   npx vitest run --project network test/network/diagnose/probe-healthz.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../../helpers/schema.js';
import { Lab, requireLab, waitForOutput } from '../arp/lab.js';

const HC_PORT = 32110;
const NODES = [
  { role: 'n1', ip: '192.0.2.41', mac: '02:00:5e:00:02:41' },
  { role: 'n2', ip: '192.0.2.42', mac: '02:00:5e:00:02:42' },
];

// kube-proxy's answer (pkg/proxy/healthcheck): status 200 iff localEndpoints > 0.
const SERVER = `
const http = require('node:http');
const n = Number(process.env.LOCAL_ENDPOINTS);
http.createServer((req, res) => {
  if (req.url !== '/healthz') { res.writeHead(404); res.end(); return; }
  res.writeHead(n > 0 ? 200 : 503, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ service: { namespace: 'shop', name: 'web' }, localEndpoints: n, serviceProxyHealthy: true }));
}).listen(${HC_PORT}, '0.0.0.0', () => console.log('listening'));
`;

// The EndpointSlices list a ready endpoint on both nodes; kube-proxy on n2 counts none (not caught up).
const FACTS = `
${NODES.map((n) => `apiVersion: v1
kind: Node
metadata: { name: ${n.role} }
status:
  addresses: [{ type: InternalIP, address: ${n.ip} }]
---`).join('\n')}
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  healthCheckNodePort: ${HC_PORT}
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: TCP }]
status:
  loadBalancer: { ingress: [{ ip: 198.51.100.40 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: web-1, namespace: shop, labels: { kubernetes.io/service-name: web } }
addressType: IPv4
endpoints:
  - { addresses: [10.244.1.5], nodeName: n1, conditions: { ready: true } }
  - { addresses: [10.244.2.5], nodeName: n2, conditions: { ready: true } }
`;

let lab: Lab;
let file: string;

beforeAll(async () => {
  await requireLab(['ip']);
  lab = new Lab();
  await lab.create([{ role: 'client', ip: '192.0.2.40', mac: '02:00:5e:00:02:40' }, ...NODES]);
  file = lab.writeFile('cluster.yaml', FACTS);
  for (const [role, n] of [['n1', 1], ['n2', 0]] as const) {
    const child = lab.spawnIn(role, process.execPath, ['-e', SERVER], { LOCAL_ENDPOINTS: String(n) });
    await waitForOutput(child, (t) => t.includes('listening'), 15_000);
  }
});

afterAll(async () => {
  await lab?.destroy();
});

describe('diagnose endpoints --probe (kube-proxy-like health checks in namespaces)', () => {
  it('n2 answers 503: endpoints/local-policy-blackhole on shop/web from the probe; without --probe, nothing', async () => {
    const r = await lab.cli('client', ['diagnose', 'endpoints', 'shop/web', '-f', file, '--probe', '--probe-timeout', '1s', '-o', 'json', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; subject: object; message: string }> };
    expect(schemaErrors('diagnosis-report.schema.json', report)).toEqual([]);
    expect(report.findings.map((f) => [f.code, f.subject])).toEqual([['endpoints/local-policy-blackhole', { kind: 'Service', namespace: 'shop', name: 'web' }]]);
    expect(report.findings[0]!.message).toContain('(n2: 192.0.2.42) drop it because their kube-proxy health check (port 32110/healthz) answers 503');
    expect(report.findings[0]!.message).toContain('on n2 the EndpointSlices list a ready endpoint that kube-proxy does not count');

    const snapshotOnly = await lab.cli('client', ['diagnose', 'endpoints', 'shop/web', '-f', file, '-o', 'json']);
    expect(snapshotOnly.code, snapshotOnly.stderr).toBe(0);
    expect(JSON.parse(snapshotOnly.stdout).findings).toEqual([]);
  });
});
