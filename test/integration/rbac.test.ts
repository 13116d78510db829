// The roles `exposectl rbac` prints, applied as they are to ServiceAccounts on the real
// control plane: the read-only role is enough for list, describe, topology and diagnose
// and stops expose before anything is written; the l2 role (namespaced: Roles in the
// namespace and metallb-system) and the gateway role (cluster-wide) let expose and
// unexpose of their mode through, and nothing more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { deploymentYaml, kubectl, kubectlJson, useNamespace } from './helpers.js';
import { serviceAccountKubeconfig } from './identity.js';

/** Each test runs several CLI processes; generous because the test machine is shared. */
const TEST_TIMEOUT_MS = 400_000;
const ns = useNamespace('rbac');
const other = useNamespace('rbac-other');
const kubeconfigs: Record<'readOnly' | 'l2' | 'gateway', string> = { readOnly: '', l2: '', gateway: '' };
/** Cluster-scoped names this file creates (ClusterRoles and bindings are named after the role). */
const clusterScoped: string[] = [];
let gatewayClass = '';

function cli(args: string[], kubeconfig: string): Promise<CliResult> {
  return runCli(args, { env: { KUBECONFIG: kubeconfig }, timeoutMs: 300_000 });
}

/** `exposectl rbac ARGS --bind serviceaccount:NS/SA`, applied with the admin's kubectl exactly as printed. */
async function applyRole(sa: string, args: string[]): Promise<void> {
  const r = await runCli(['rbac', ...args, '--bind', `serviceaccount:${ns.name}/${sa}`]);
  expect(r.exitCode, r.stderr).toBe(0);
  await kubectl(['apply', '-f', '-'], { input: r.stdout });
  const created = await kubectlJson<{ items: Array<{ kind: string; metadata: { name: string } }> }>([
    'get',
    'clusterroles,clusterrolebindings',
    '-l',
    'app.kubernetes.io/part-of=exposectl',
  ]);
  for (const o of created.items) {
    const ref = `${o.kind.toLowerCase()}/${o.metadata.name}`;
    if (o.metadata.name.includes(ns.name) && !clusterScoped.includes(ref)) clusterScoped.push(ref);
  }
}

async function exists(kind: string, name: string, namespace = ns.name): Promise<boolean> {
  return (await kubectl(['get', kind, name, '-n', namespace], { allowFailure: true })).exitCode === 0;
}

beforeAll(async () => {
  gatewayClass = `${ns.name}-gw`;
  await kubectl(['apply', '-n', ns.name, '-f', '-'], {
    input: `${deploymentYaml('web', 1)}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: ${gatewayClass}}
spec: {controllerName: example.com/gateway-controller}
`,
  });
  await kubectl(['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', other.name]);
  for (const [key, sa] of [
    ['readOnly', 'viewer'],
    ['l2', 'l2-exposer'],
    ['gateway', 'gw-exposer'],
  ] as const) {
    kubeconfigs[key] = await serviceAccountKubeconfig(ns.name, sa);
  }
  // Role names carry the namespace: ClusterRoles are cluster-scoped and other files may run rbac too.
  await applyRole('viewer', ['--read-only', '--name', `${ns.name}-ro`]);
  await applyRole('l2-exposer', ['--mode', 'l2', '-n', ns.name, '--name', `${ns.name}-l2`]);
  await applyRole('gw-exposer', ['--mode', 'gateway', '--name', `${ns.name}-gw`]);
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  if (clusterScoped.length > 0) await kubectl(['delete', ...clusterScoped, '--ignore-not-found']);
  await kubectl([
    'delete',
    `role/${ns.name}-l2`,
    `rolebinding/${ns.name}-l2-sa-${ns.name}-l2-exposer`,
    '-n',
    'metallb-system',
    '--ignore-not-found',
  ]);
  await kubectl([
    'delete',
    'ipaddresspools,l2advertisements',
    '-n',
    'metallb-system',
    '-l',
    `exposectl.dev/service-namespace=${ns.name}`,
    '--ignore-not-found',
  ]);
  if (gatewayClass) await kubectl(['delete', 'gatewayclass', gatewayClass, '--ignore-not-found']);
});

describe('the read-only role', () => {
  it(
    'is enough for list, describe, topology and diagnose',
    async () => {
      const ro = kubeconfigs.readOnly;
      const [list, describeR, topology, diagnose] = await Promise.all([
        cli(['list', '-A', '-o', 'json'], ro),
        cli(['describe', 'web', '-n', ns.name], ro),
        cli(['topology', 'web', '-n', ns.name, '-o', 'json'], ro),
        cli(['diagnose', '-n', ns.name, '-o', 'json'], ro),
      ]);
      expect(list.exitCode, list.stderr).toBe(0);
      expect(
        (JSON.parse(list.stdout) as { items: Array<{ namespace: string; name: string }> }).items.length,
      ).toBeGreaterThanOrEqual(0);
      // Only Secrets stay unread: the role leaves them out on purpose.
      expect(list.stderr).not.toMatch(/nodes|ingressclasses|gateway|metallb/);
      expect(describeR.exitCode, describeR.stderr).toBe(0);
      expect(describeR.stdout).toMatch(/web/);
      expect(topology.exitCode, topology.stderr).toBe(0);
      expect(topology.stdout).toMatch(/"web"/);
      expect([0, 3], diagnose.stderr).toContain(diagnose.exitCode);
      expect(() => JSON.parse(diagnose.stdout)).not.toThrow();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops expose before anything is written, naming the missing permissions and the rbac command',
    async () => {
      const r = await cli(['expose', 'web', '-n', ns.name, '--mode', 'nodeport'], kubeconfigs.readOnly);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        `error: user "viewer" may not patch services in namespace "${ns.name}"; create services in namespace "${ns.name}": nothing was changed`,
      );
      expect(r.stderr).toMatch(/exposectl rbac --mode nodeport/);
      expect(await exists('service', 'web-nodeport')).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('the l2 role, limited to one namespace', () => {
  it(
    'lets expose and unexpose of mode l2 through',
    async () => {
      const l2 = kubeconfigs.l2;
      const r = await cli(['expose', 'web', '-n', ns.name, '--mode', 'l2', '--addresses', '198.51.100.120/32'], l2);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/service\/web-lb serverside-applied/);
      expect(r.stdout).toMatch(/ipaddresspool\.metallb\.io\/\S+ serverside-applied/);
      expect(await exists('service', 'web-lb')).toBe(true);
      const again = await cli(['expose', 'web', '-n', ns.name, '--mode', 'l2', '--addresses', '198.51.100.120/32'], l2);
      expect(again.exitCode, again.stderr).toBe(0); // patch alone: everything exists now
      const un = await cli(['unexpose', 'web', '-n', ns.name], l2);
      expect(un.exitCode, un.stderr).toBe(0);
      expect(await exists('service', 'web-lb')).toBe(false);
      const pools = await kubectlJson<{ items: unknown[] }>([
        'get',
        'ipaddresspools',
        '-n',
        'metallb-system',
        '-l',
        `exposectl.dev/service-namespace=${ns.name}`,
      ]);
      expect(pools.items).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'allows no other mode and no other namespace',
    async () => {
      const gw = await cli(
        ['expose', 'web', '-n', ns.name, '--mode', 'gateway', '--gateway-class', gatewayClass],
        kubeconfigs.l2,
      );
      expect(gw.exitCode).toBe(1);
      expect(gw.stderr).toMatch(/may not .*gateways\.gateway\.networking\.k8s\.io/);
      expect(await exists('gateway', 'web-gateway')).toBe(false);
      const elsewhere = await cli(
        ['expose', 'web', '-n', other.name, '--mode', 'l2', '--addresses', '198.51.100.121/32'],
        kubeconfigs.l2,
      );
      expect(elsewhere.exitCode).toBe(1);
      expect(elsewhere.stderr).toMatch(new RegExp(`may not patch services in namespace "${other.name}"`));
      expect(await exists('service', 'web-lb', other.name)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('the gateway role', () => {
  it(
    'lets expose and unexpose of mode gateway through',
    async () => {
      const gw = kubeconfigs.gateway;
      const r = await cli(
        [
          'expose',
          'web',
          '-n',
          ns.name,
          '--mode',
          'gateway',
          '--gateway-class',
          gatewayClass,
          '--host',
          'web.example.com',
        ],
        gw,
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/gateway\.gateway\.networking\.k8s\.io\/web-gateway serverside-applied/);
      expect(r.stdout).toMatch(/httproute\.gateway\.networking\.k8s\.io\/\S+ serverside-applied/);
      expect(await exists('gateway', 'web-gateway')).toBe(true);
      const un = await cli(['unexpose', 'web', '-n', ns.name], gw);
      expect(un.exitCode, un.stderr).toBe(0);
      expect(await exists('gateway', 'web-gateway')).toBe(false);
      expect((await kubectlJson<{ items: unknown[] }>(['get', 'httproutes', '-n', ns.name])).items).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'cannot expose in mode l2 (no MetalLB writes)',
    async () => {
      const r = await cli(
        ['expose', 'web', '-n', ns.name, '--mode', 'l2', '--addresses', '198.51.100.122/32'],
        kubeconfigs.gateway,
      );
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/may not .*ipaddresspools\.metallb\.io in namespace "metallb-system"/);
      expect(r.stderr).toMatch(/exposectl rbac --mode l2/);
      expect(await exists('service', 'web-lb')).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});
