// Proves the integration harness is a real control plane: real scheduling and controllers
// (Deployment -> ReplicaSet -> Pods on kwok nodes -> EndpointSlice), MetalLB allocating
// LoadBalancer addresses, CRD schema validation by the API server, RBAC for the read-only user.
import { describe, expect, it } from 'vitest';
import { deploymentYaml, kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

interface Condition {
  type: string;
  status: string;
}
interface Pod {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string; hostIP?: string; conditions?: Condition[] };
}
interface EndpointSlice {
  endpoints?: { addresses: string[]; nodeName?: string; conditions?: { ready?: boolean } }[];
  ports?: { name?: string; port?: number }[];
}
interface List<T> {
  items: T[];
}

const ns = useNamespace('harness');
const KWOK_NODES = ['node-1', 'node-2', 'node-3'];

const isReady = (conds: Condition[] | undefined): boolean =>
  (conds ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

describe('the test control plane', () => {
  it('has three Ready kwok nodes with documentation-range InternalIPs', async () => {
    const nodes = await kubectlJson<
      List<{
        metadata: { name: string; annotations?: Record<string, string> };
        status: { conditions?: Condition[]; addresses?: { type: string; address: string }[] };
      }>
    >(['get', 'nodes']);
    const byName = new Map(nodes.items.map((n) => [n.metadata.name, n]));
    for (const [i, name] of KWOK_NODES.entries()) {
      const n = byName.get(name);
      expect(n, name).toBeDefined();
      expect(n?.metadata.annotations?.['kwok.x-k8s.io/node']).toBe('fake');
      expect(isReady(n?.status.conditions), `${name} Ready`).toBe(true);
      expect(n?.status.addresses).toContainEqual({ type: 'InternalIP', address: `192.0.2.${11 + i}` });
    }
    expect(nodes.items.filter((n) => isReady(n.status.conditions))).toHaveLength(3);
  });

  it('runs a Deployment: pods Running/Ready on kwok nodes, listed ready in the EndpointSlice', async () => {
    const manifest = `
${deploymentYaml('web', 3)}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`;
    await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], { input: manifest });

    const pods = await waitUntil('3 web pods Running and Ready with pod IPs', async () => {
      const list = await kubectlJson<List<Pod>>(['get', 'pods', '-n', ns.name, '-l', 'app=web']);
      const ok = list.items.filter(
        (p) => p.status.phase === 'Running' && isReady(p.status.conditions) && p.status.podIP,
      );
      return ok.length === 3 ? ok : undefined;
    });
    for (const p of pods) {
      expect(KWOK_NODES).toContain(p.spec.nodeName);
      expect(p.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    }

    const deploy = await waitUntil('deployment web available', async () => {
      const d = await kubectlJson<{ status: { readyReplicas?: number; availableReplicas?: number } }>([
        'get',
        'deployment',
        'web',
        '-n',
        ns.name,
      ]);
      return d.status.availableReplicas === 3 ? d : undefined;
    });
    expect(deploy.status.readyReplicas).toBe(3);

    const podIPs = pods.map((p) => p.status.podIP).sort();
    const endpoints = await waitUntil('EndpointSlice of service web lists the 3 pods ready', async () => {
      const slices = await kubectlJson<List<EndpointSlice>>([
        'get',
        'endpointslices',
        '-n',
        ns.name,
        '-l',
        'kubernetes.io/service-name=web',
      ]);
      const eps = slices.items.flatMap((s) => s.endpoints ?? []);
      const ready = eps.filter((e) => e.conditions?.ready === true);
      const ips = ready.flatMap((e) => e.addresses).sort();
      return JSON.stringify(ips) === JSON.stringify(podIPs) ? { slices, ready } : undefined;
    });
    for (const e of endpoints.ready) expect(KWOK_NODES).toContain(e.nodeName);
    expect(endpoints.slices.items[0]?.ports).toContainEqual(expect.objectContaining({ name: 'http', port: 8080 }));
  });

  it('gives a LoadBalancer Service an address from a MetalLB IPAddressPool', async () => {
    const pool = `${ns.name}-pool`;
    await kubectl(['apply', '--server-side', '-f', '-'], {
      input: `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: ${pool}, namespace: metallb-system}
spec:
  addresses: [198.51.100.200-198.51.100.209]
  serviceAllocation:
    namespaces: [${ns.name}]
`,
    });
    try {
      await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
        input: `
apiVersion: v1
kind: Service
metadata: {name: web-lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`,
      });
      const ip = await waitUntil('MetalLB assigns status.loadBalancer.ingress', async () => {
        const svc = await kubectlJson<{ status: { loadBalancer?: { ingress?: { ip?: string }[] } } }>([
          'get',
          'service',
          'web-lb',
          '-n',
          ns.name,
        ]);
        return svc.status.loadBalancer?.ingress?.[0]?.ip;
      });
      const last = Number(ip.split('.')[3]);
      expect(ip.startsWith('198.51.100.')).toBe(true);
      expect(last).toBeGreaterThanOrEqual(200);
      expect(last).toBeLessThanOrEqual(209);
    } finally {
      await kubectl(['delete', 'service', 'web-lb', '-n', ns.name, '--ignore-not-found']);
      await kubectl(['delete', 'ipaddresspool', pool, '-n', 'metallb-system', '--ignore-not-found']);
    }
  });

  it('rejects an invalid MetalLB object by CRD schema validation (and accepts a valid one)', async () => {
    const valid = `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: ${ns.name}-valid, namespace: metallb-system}
spec: {addresses: [198.51.100.0/28]}
`;
    await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: valid });

    const invalidPool = `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: ${ns.name}-invalid, namespace: metallb-system}
spec: {addresses: "198.51.100.0/28", autoAssign: "sometimes"}
`;
    const r = await kubectl(['create', '-f', '-'], { input: invalidPool, allowFailure: true });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/is invalid/);
    expect(r.stderr).toMatch(/spec\.addresses/);
    expect(r.stderr).toMatch(/spec\.autoAssign/);

    const invalidPeer = `
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: ${ns.name}-peer, namespace: metallb-system}
spec: {myASN: 4294967296, peerASN: 64512, peerAddress: 198.51.100.1}
`;
    const p = await kubectl(['create', '-f', '-'], { input: invalidPeer, allowFailure: true });
    expect(p.exitCode).not.toBe(0);
    expect(p.stderr).toMatch(/spec\.myASN/);
  });

  it('rejects an invalid HTTPRoute by CRD schema validation (and accepts a valid one)', async () => {
    const route = (name: string, pathType: string, port: number): string => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}}
spec:
  parentRefs: [{name: gw}]
  hostnames: [web.example.com]
  rules:
  - matches: [{path: {type: ${pathType}, value: /}}]
    backendRefs: [{name: web, port: ${port}}]
`;
    await kubectl(['apply', '--server-side', '--dry-run=server', '-n', ns.name, '-f', '-'], {
      input: route('valid', 'PathPrefix', 80),
    });

    const r = await kubectl(['create', '-n', ns.name, '-f', '-'], {
      input: route('invalid', 'Bogus', 70000),
      allowFailure: true,
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/is invalid/);
    expect(r.stderr).toMatch(/Unsupported value: "Bogus"/);
    expect(r.stderr).toMatch(/backendRefs\[0\]\.port/);
    const got = await kubectl(['get', 'httproute', 'invalid', '-n', ns.name], { allowFailure: true });
    expect(got.exitCode).not.toBe(0);
  });

  it('has a read-only user (exposectl-readonly): can read, cannot write', async () => {
    const { kubeconfigReadonly } = testCluster();
    const who = await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {
      kubeconfig: kubeconfigReadonly,
    });
    expect(who.stdout).toBe('exposectl-readonly');
    await kubectl(['get', 'services', '-n', ns.name], { kubeconfig: kubeconfigReadonly });
    const w = await kubectl(['create', 'configmap', 'nope', '-n', ns.name], {
      kubeconfig: kubeconfigReadonly,
      allowFailure: true,
    });
    expect(w.exitCode).not.toBe(0);
    expect(w.stderr).toMatch(/forbidden/i);
  });
});
