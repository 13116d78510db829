// `exposectl diagnose` against the real control plane (MetalLB's controller, real
// EndpointSlices): live facts where absence counts, the namespace scope, and the read-only
// user who may not list Secrets (so a missing TLS Secret is not claimed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

const ns = useNamespace('diagnose');

interface Report {
  findings: Array<{
    code: string;
    severity: string;
    subject: { kind: string; namespace: string | null; name: string };
  }>;
}
const pairs = (r: Report) =>
  r.findings.map((f) => `${f.code} ${f.subject.kind} ${f.subject.namespace ?? ''}/${f.subject.name}`).sort();

async function diagnose(
  args: string[],
  kubeconfig = testCluster().kubeconfig,
): Promise<{ report: Report; exitCode: number; stderr: string }> {
  const r = await runCli(['diagnose', ...args, '-n', ns.name, '--kubeconfig', kubeconfig, '-o', 'json'], {
    env: { KUBECONFIG: kubeconfig },
  });
  expect(r.stdout, r.stderr).not.toBe('');
  const report = JSON.parse(r.stdout) as Report;
  expect(schemaErrors('diagnosis-report.schema.json', report)).toEqual([]);
  return { report, exitCode: r.exitCode, stderr: r.stderr };
}

describe('exposectl diagnose against a live cluster', () => {
  const pool = () => `${ns.name}-elsewhere`;

  beforeAll(async () => {
    await kubectl(['apply', '--server-side', '-f', '-'], {
      input: `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: ${pool()}, namespace: metallb-system}
spec:
  addresses: [198.51.100.240-198.51.100.241]
  serviceAllocation: {namespaces: [${ns.name}-other]}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: ${pool()}, namespace: metallb-system}
spec: {ipAddressPools: [${pool()}]}
`,
    });
    await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
      input: `
apiVersion: v1
kind: Service
metadata: {name: web-lb}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: nothing-has-this}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: no-such-class
  tls: [{hosts: [shop.example.com], secretName: web-tls}]
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web-lb, port: {number: 80}}}}]}
`,
    });
    // MetalLB has looked at the Service (and refused it): its status exists and has no address.
    await waitUntil('the Service exists with an empty load-balancer status', async () => {
      const svc = await kubectlJson<{ status?: { loadBalancer?: { ingress?: unknown[] } } }>([
        'get',
        'service',
        'web-lb',
        '-n',
        ns.name,
      ]);
      return svc.status?.loadBalancer && !svc.status.loadBalancer.ingress ? true : undefined;
    });
  });

  afterAll(async () => {
    await kubectl(['delete', 'l2advertisement', pool(), '-n', 'metallb-system', '--ignore-not-found']);
    await kubectl(['delete', 'ipaddresspool', pool(), '-n', 'metallb-system', '--ignore-not-found']);
  });

  it('names what breaks: a pool that excludes the namespace, a selector that matches nothing, a missing class and TLS Secret', async () => {
    const admin = await diagnose([]);
    expect(admin.exitCode).toBe(3);
    const found = pairs(admin.report);
    expect(found).toEqual(
      expect.arrayContaining([
        `endpoints/selector-matches-nothing Service ${ns.name}/web-lb`,
        `ingress/no-controller Ingress ${ns.name}/web`,
        `ingress/tls-secret-missing Ingress ${ns.name}/web`,
      ]),
    );
    // The pool this test made excludes the namespace; another test's open pool would serve it.
    const pools = await kubectlJson<{ items: Array<{ spec: { autoAssign?: boolean; serviceAllocation?: unknown } }> }>([
      'get',
      'ipaddresspools',
      '-n',
      'metallb-system',
    ]);
    if (!pools.items.some((p) => p.spec.autoAssign !== false && !p.spec.serviceAllocation)) {
      expect(found).toContain(`lb/no-pool Service ${ns.name}/web-lb`);
    }
  });

  it('one check for one Service', async () => {
    const lb = await diagnose(['lb', 'web-lb']);
    expect(lb.report.findings.every((f) => f.code.startsWith('lb/'))).toBe(true);
  });

  it('the read-only user: what it may not list is not claimed missing', async () => {
    // ClusterRole view may not list Secrets (nor the cluster-scoped IngressClasses).
    const ro = await diagnose([], testCluster().kubeconfigReadonly);
    expect(pairs(ro.report)).not.toContain(`ingress/tls-secret-missing Ingress ${ns.name}/web`);
    expect(pairs(ro.report)).toContain(`endpoints/selector-matches-nothing Service ${ns.name}/web-lb`);
    expect(ro.stderr).toMatch(/Warning: .*secrets/i);
  });

  it('--fail-on none and --ignore', async () => {
    const r = await runCli([
      'diagnose',
      '-n',
      ns.name,
      '--kubeconfig',
      testCluster().kubeconfig,
      '--fail-on',
      'none',
      '--ignore',
      'ingress/*',
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain('ingress/');
  });

  it('a Service that is not there exits 1', async () => {
    const r = await runCli(['diagnose', 'source-ip', 'nope', '-n', ns.name, '--kubeconfig', testCluster().kubeconfig]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('services "nope" not found');
  });
});
