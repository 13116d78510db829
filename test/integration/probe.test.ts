// `exposectl probe endpoints` and `probe arp` against the real control plane: Pods Running
// on kwok nodes, EndpointSlices from the controller manager, a healthCheckNodePort
// allocated by the API server. (The healthz GETs and ARP themselves are proven against
// real peers in network namespaces: test/network/endpoints, test/network/arp.)
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { deploymentYaml, kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

const ns = useNamespace('probe');

function cli(args: string[]) {
  const kubeconfig = testCluster().kubeconfig;
  return runCli([...args, '--kubeconfig', kubeconfig], { env: { KUBECONFIG: kubeconfig }, timeoutMs: 120_000 });
}

/** Waits until the EndpointSlices of Service `svc` list its 2 ready endpoints. */
function twoReadyEndpoints(svc: string) {
  return waitUntil(
    `the EndpointSlices of ${svc} list 2 ready endpoints`,
    async () => {
      const slices = await kubectlJson<{ items: Array<{ endpoints?: Array<{ conditions?: { ready?: boolean } }> }> }>([
        'get',
        'endpointslices',
        '-n',
        ns.name,
        '-l',
        `kubernetes.io/service-name=${svc}`,
      ]);
      return slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready === true).length === 2
        ? true
        : undefined;
    },
    { timeoutMs: 90_000 },
  );
}

describe('probe commands against a live cluster', () => {
  it('probe endpoints: endpoints per node, and the nodes that drop Local-policy traffic', async () => {
    await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
      input: `
${deploymentYaml('web', 2, { node: 'node-2' })}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`,
    });
    await twoReadyEndpoints('web');
    // The API server allocates a healthCheckNodePort for LoadBalancer Services with Local policy (not for NodePort).
    const svc = await kubectlJson<{ spec: { healthCheckNodePort: number } }>(['get', 'service', 'web', '-n', ns.name]);
    expect(svc.spec.healthCheckNodePort).toBeGreaterThan(0);

    const r = await cli(['probe', 'endpoints', 'web', '-n', ns.name, '-o', 'json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      kind: 'EndpointsProbe',
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: svc.spec.healthCheckNodePort,
      from: 'endpointslices',
      endpoints: { ready: 2, total: 2 },
    });
    // No MetalLB pool or other known announcer here: who receives the address is not known,
    // so no node is said to drop it; the text names the nodes that would.
    const rows = Object.fromEntries(doc.nodes.map((n: { node: string }) => [n.node, n]));
    expect(rows['node-2']).toMatchObject({ ready: 2, notReady: 0, receivesTraffic: false, address: '192.0.2.12' });
    expect(doc.receivers).toEqual({ known: false, rule: 'no known implementation announces the address' });
    expect(doc.blackholeNodes).toEqual([]);
    expect(doc.findings).toEqual([]);
    expect(schemaErrors('endpoints-probe.schema.json', doc)).toEqual([]);
    const text = await cli(['probe', 'endpoints', `${ns.name}/web`]);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('Nodes without a local ready endpoint drop what reaches them: node-1, node-3.');

    // A NodePort Service with Local policy: kube-proxy opens the port on every node, so the
    // nodes without a local endpoint drop what they receive.
    await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
      input: `
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`,
    });
    await twoReadyEndpoints('web-np');
    const np = await cli(['probe', 'endpoints', 'web-np', '-n', ns.name, '-o', 'json']);
    expect(np.exitCode, np.stderr).toBe(0);
    const npDoc = JSON.parse(np.stdout);
    const npRows = Object.fromEntries(npDoc.nodes.map((n: { node: string }) => [n.node, n]));
    expect(npRows['node-2']).toMatchObject({ ready: 2, receivesTraffic: true, dropsTraffic: false });
    expect(npDoc.blackholeNodes).toEqual(['node-1', 'node-3']);
    expect(npDoc.findings.map((f: { code: string }) => f.code)).toEqual(['endpoints/local-policy-blackhole']);
    expect(schemaErrors('endpoints-probe.schema.json', npDoc)).toEqual([]);

    const failing = await cli(['probe', 'endpoints', `${ns.name}/web-np`, '--fail-on', 'warning']);
    expect(failing.exitCode).toBe(3);
    expect(failing.stdout).toMatch(/node-1\s+192\.0\.2\.11\s+0\s+0\s+DROPPED/);
  });

  it("probe endpoints / probe arp: a Service that is not there exits 1 with kubectl's message", async () => {
    const e = await cli(['probe', 'endpoints', 'nope', '-n', ns.name]);
    expect(e.exitCode).toBe(1);
    expect(e.stderr).toContain(`services "nope" not found in namespace "${ns.name}"`);
    const a = await cli(['probe', 'arp', 'nope', '-n', ns.name, '--interface', 'eth0']);
    expect(a.exitCode).toBe(1);
    expect(a.stderr).toContain('services "nope" not found');
  });

  it('probe arp: a Service without a LoadBalancer address (no pool for this namespace) exits 1 before sending anything', async () => {
    const a = await cli(['probe', 'arp', 'web', '-n', ns.name, '--interface', 'eth0']);
    expect(a.exitCode, a.stderr).toBe(1);
    expect(a.stderr).toMatch(
      new RegExp(
        `Service ${ns.name}/web has no IPv4 LoadBalancer address to probe \\(type (NodePort|LoadBalancer, address pending)\\)`,
      ),
    );
  });
});
