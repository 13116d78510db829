// `exposectl topology` and `describe` against the real control plane: a MetalLB L2
// LoadBalancer (address assigned by MetalLB's controller), Pods Running on kwok nodes and
// listed in the EndpointSlice by the controller manager; the live NotFound exit.
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src/model/topology.js';
import { runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { deploymentYaml, kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

const ns = useNamespace('topology');

function cli(args: string[]) {
  const kubeconfig = testCluster().kubeconfig;
  return runCli([...args, '--kubeconfig', kubeconfig], { env: { KUBECONFIG: kubeconfig }, timeoutMs: 120_000 });
}

describe('topology and describe against a live cluster', () => {
  it('draws client -> MetalLB address -> announcer -> Service -> EndpointSlice -> Pods on their nodes', async () => {
    const pool = `${ns.name}-topo`;
    await kubectl(['apply', '--server-side', '-f', '-'], {
      input: `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: ${pool}, namespace: metallb-system}
spec:
  addresses: [203.0.113.220-203.0.113.229]
  serviceAllocation: {namespaces: [${ns.name}]}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: ${pool}, namespace: metallb-system}
spec: {ipAddressPools: [${pool}]}
`,
    });
    try {
      await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
        input: `
${deploymentYaml('web', 2)}
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
      const ip = await waitUntil(
        'MetalLB assigns the address',
        async () => {
          const svc = await kubectlJson<{ status: { loadBalancer?: { ingress?: { ip?: string }[] } } }>([
            'get',
            'service',
            'web',
            '-n',
            ns.name,
          ]);
          return svc.status.loadBalancer?.ingress?.[0]?.ip;
        },
        { timeoutMs: 90_000 },
      );
      await waitUntil(
        'the EndpointSlice lists 2 ready endpoints',
        async () => {
          const slices = await kubectlJson<{
            items: Array<{ endpoints?: Array<{ conditions?: { ready?: boolean } }> }>;
          }>(['get', 'endpointslices', '-n', ns.name, '-l', 'kubernetes.io/service-name=web']);
          return slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready === true).length === 2
            ? true
            : undefined;
        },
        { timeoutMs: 90_000 },
      );

      const json = await cli(['topology', 'web', '-n', ns.name, '-o', 'json']);
      expect(json.exitCode, json.stderr).toBe(0);
      const t = JSON.parse(json.stdout) as Topology;
      expect(schemaErrors('topology.schema.json', t)).toEqual([]);
      expect(t.service).toEqual({ namespace: ns.name, name: 'web' });
      expect(t.nodes.find((n) => n.id === `address:${ip}`)).toMatchObject({ kind: 'address', modes: ['l2'] });
      const announcers = t.nodes.filter((n) => n.kind === 'announcer');
      expect(announcers.length).toBeGreaterThan(0);
      const pods = t.nodes.filter((n) => n.kind === 'pod');
      expect(pods).toHaveLength(2);
      for (const p of pods) {
        expect(p.ready).toBe(true);
        expect(p.name).toMatch(/^web-/);
        expect(p.node).toBeTruthy();
      }
      // externalTrafficPolicy Local: no hop loses the client's address.
      expect(t.edges.filter((e) => e.sourceIpLost)).toEqual([]);

      const tree = await cli(['topology', `${ns.name}/web`]);
      expect(tree.exitCode, tree.stderr).toBe(0);
      expect(tree.stdout).toContain(`address ${ip} `);
      expect(tree.stdout).toMatch(/pod web-\S+ ready/);
      expect(tree.stdout).not.toMatch(/\u001b\[/);

      const text = await cli(['describe', 'web', '-n', ns.name]);
      expect(text.exitCode, text.stderr).toBe(0);
      expect(text.stdout).toMatch(
        new RegExp(`service/web\\s+l2\\s+metallb\\s+${ip.replace(/\./g, '\\.')}\\s+80:\\d+/TCP\\s+preserved`),
      );
      expect(text.stdout).toMatch(/Endpoints: +2\/2 ready/);
      expect(text.stdout).toMatch(/External Traffic Policy: +Local \(client source IP kept\)/);
      expect(text.stdout).toMatch(/Findings:\n/);
    } finally {
      await kubectl(['delete', 'service', 'web', '-n', ns.name, '--ignore-not-found']);
      await kubectl(['delete', 'l2advertisement', pool, '-n', 'metallb-system', '--ignore-not-found']);
      await kubectl(['delete', 'ipaddresspool', pool, '-n', 'metallb-system', '--ignore-not-found']);
    }
  });

  it("a Service that is not there: exit 1 with kubectl's NotFound message", async () => {
    for (const command of ['topology', 'describe']) {
      const r = await cli([command, 'nope', '-n', ns.name]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`error: services "nope" not found in namespace "${ns.name}"\n`);
    }
  });
});
