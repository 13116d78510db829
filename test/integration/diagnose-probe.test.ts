// `diagnose source-ip SERVICE --probe` against the real control plane: the echo objects are
// created (labelled as exposectl's, mirroring the target), removed afterwards whatever
// happens (the echo is unreachable here: nothing plays the data plane; Ctrl-C), and the
// user's objects are never written (same resourceVersion, no exposectl field manager).
// The request through a data plane is proven in test/network/diagnose/probe-source-ip.test.ts.

import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { deploymentYaml, kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

const ns = useNamespace('diagnose-probe');
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const OWNED = 'app.kubernetes.io/managed-by=exposectl';

interface Obj {
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion: string;
    managedFields?: Array<{ manager: string }>;
  };
  spec?: Record<string, unknown>;
}

function start(args: string[]) {
  const kubeconfig = testCluster().kubeconfig;
  return execa(process.execPath, [BIN, ...args, '--kubeconfig', kubeconfig], {
    env: { NO_COLOR: '', DEBUG: '', KUBECONFIG: kubeconfig },
    reject: false,
    timeout: 120_000,
    cwd: REPO_ROOT,
    cleanup: false,
  });
}

async function owned(kinds = 'pods,services,ingresses'): Promise<Obj[]> {
  return (await kubectlJson<{ items: Obj[] }>(['get', kinds, '-n', ns.name, '-l', OWNED])).items;
}

async function userObject(kind: string, name: string): Promise<Obj> {
  return kubectlJson<Obj>(['get', kind, name, '-n', ns.name, '--show-managed-fields']);
}

/** Everything exposectl owned in the namespace while the CLI ran, polled until it exits. */
async function whileRunning(run: ReturnType<typeof start>, kinds?: string): Promise<Map<string, Obj>> {
  const seen = new Map<string, Obj>();
  let done = false;
  void run.finally(() => {
    done = true;
  });
  while (!done) {
    for (const o of await owned(kinds).catch(() => [])) seen.set(`${o.kind}/${o.metadata.name}`, o);
    await new Promise((r) => setTimeout(r, 300));
  }
  return seen;
}

async function applyUserObjects(yaml: string): Promise<void> {
  await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], { input: yaml });
}

const deployment = `${deploymentYaml('web', 1)}
`;

describe('diagnose source-ip --probe on a live cluster', () => {
  it('a LoadBalancer Service: an owned echo Pod and mirror Service exist while it runs, and are gone after; the user Service is untouched', async () => {
    const pool = `${ns.name}-pool`;
    try {
      await kubectl(['apply', '--server-side', '-f', '-'], {
        input: `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: ${pool}, namespace: metallb-system}
spec:
  addresses: [198.51.100.232/30]
  serviceAllocation: {namespaces: [${ns.name}]}
`,
      });
      await applyUserObjects(`${deployment}---
apiVersion: v1
kind: Service
metadata: {name: web, annotations: {metallb.io/address-pool: ${pool}}}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Cluster
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`);
      await waitUntil(
        'Service web has an address',
        async () =>
          (await userObject('service', 'web')) &&
          (
            await kubectlJson<{ status: { loadBalancer: { ingress?: unknown[] } } }>([
              'get',
              'service',
              'web',
              '-n',
              ns.name,
            ])
          ).status.loadBalancer.ingress?.length,
      );
      const before = await userObject('service', 'web');

      const run = start([
        'diagnose',
        'source-ip',
        `${ns.name}/web`,
        '--probe',
        '--echo-timeout',
        '8s',
        '--probe-timeout',
        '1s',
        '-o',
        'json',
        '--fail-on',
        'none',
      ]);
      const seen = await whileRunning(run);
      const r = await run;

      // Nothing answers at the mirror's address here: the probe could not run (exit 1), the report is still printed.
      expect(r.exitCode, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'DiagnosisReport' });
      expect(r.stderr).toMatch(
        /Warning: --probe: source-ip not proven: not reachable within 8 s: GET http:\/\/198\.51\.100\.23[2-5]:80\/clientip: /,
      );
      const kinds = [...seen.keys()].map((k) => k.replace(/-[0-9a-f]{6}$/, '-ID')).sort();
      expect(kinds).toEqual(['Pod/exposectl-echo-ID', 'Service/exposectl-echo-ID']);
      for (const o of seen.values()) {
        expect(o.metadata.labels).toMatchObject({
          'app.kubernetes.io/managed-by': 'exposectl',
          'exposectl.dev/service': 'web',
          'exposectl.dev/service-namespace': ns.name,
        });
      }
      const mirror = [...seen.values()].find((o) => o.kind === 'Service')!;
      // (MetalLB adds its ip-allocated-from-pool annotation to the mirror it served.)
      expect(mirror.metadata.annotations).toMatchObject({ 'metallb.io/address-pool': pool });
      expect(mirror.spec).toMatchObject({
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Cluster',
        selector: { 'exposectl.dev/probe': expect.stringMatching(/^[0-9a-f]{6}$/) },
      });
      expect(mirror.spec!.ports).toMatchObject([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);

      // Removed afterwards; the user's Service was only read.
      expect(await owned()).toEqual([]);
      const after = await userObject('service', 'web');
      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect((after.metadata.managedFields ?? []).map((m) => m.manager)).not.toContain('exposectl');
    } finally {
      await kubectl(['delete', 'ipaddresspool', pool, '-n', 'metallb-system', '--ignore-not-found']);
    }
  });

  it('Ctrl-C while waiting for the echo: the temporary objects are removed, exit 130', async () => {
    await applyUserObjects(`apiVersion: v1
kind: Service
metadata: {name: np}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`);
    const before = await userObject('service', 'np');
    const run = start([
      'diagnose',
      'source-ip',
      `${ns.name}/np`,
      '--probe',
      '--echo-timeout',
      '60s',
      '--probe-timeout',
      '1s',
    ]);
    await waitUntil('the echo objects exist', async () => (await owned()).length === 2, { timeoutMs: 60_000 });
    run.kill('SIGINT');
    const r = await run;
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toMatch(
      /source-ip probe: deleted pod\/exposectl-echo-[0-9a-f]{6}, service\/exposectl-echo-[0-9a-f]{6}/,
    );
    expect(r.stderr).toContain('interrupted');
    expect(await owned()).toEqual([]);
    expect((await userObject('service', 'np')).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('a Service behind an Ingress: a temporary Ingress of the same class is created and removed; the user Ingress is untouched', async () => {
    await applyUserObjects(`apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  ingressClassName: exposectl-test
  rules:
  - host: shop.example
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}]}
`);
    const before = await userObject('ingress', 'shop');
    const run = start([
      'diagnose',
      'source-ip',
      `${ns.name}/shop`,
      '--probe',
      '--echo-timeout',
      '5s',
      '--probe-timeout',
      '1s',
      '-o',
      'json',
      '--fail-on',
      'none',
    ]);
    const seen = await whileRunning(run);
    const r = await run;
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toContain(`Ingress ${ns.name}/exposectl-echo-`);
    expect(r.stderr).toContain('has no address yet');
    const ing = [...seen.values()].find((o) => o.kind === 'Ingress');
    expect(ing?.spec).toMatchObject({
      ingressClassName: 'exposectl-test',
      rules: [{ host: expect.stringMatching(/^exposectl-echo-[0-9a-f]{6}\.probe\.invalid$/) }],
    });
    expect([...seen.values()].map((o) => o.kind).sort()).toEqual(['Ingress', 'Pod', 'Service']);
    expect(await owned()).toEqual([]);
    expect((await userObject('ingress', 'shop')).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('a Service nothing exposes: not probed, with the reason; nothing is created', async () => {
    await applyUserObjects(`apiVersion: v1
kind: Service
metadata: {name: internal}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`);
    const run = start(['diagnose', 'source-ip', `${ns.name}/internal`, '--probe', '-o', 'json']);
    const seen = await whileRunning(run);
    const r = await run;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `--probe: source-ip not probed: Service ${ns.name}/internal (ClusterIP) is not reached from outside the cluster`,
    );
    expect(seen.size).toBe(0);
  });
});
