// expose and unexpose against the real control plane: every mode applies and `list`
// shows it, --wait returns when MetalLB assigned the address and kwok made the pods
// ready, a second run changes nothing, unowned objects are refused, unexpose keeps what
// others use, and a read-only user is stopped before anything is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { backendYaml, kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

const ns = useNamespace('expose');

interface Obj {
  metadata: {
    name: string;
    resourceVersion: string;
    labels?: Record<string, string>;
    managedFields?: Array<{ manager: string }>;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
}

/** What exposectl's own apply left on an object (controllers keep writing status, which bumps resourceVersion). */
function ownWrite(o: Obj): string {
  return JSON.stringify({
    name: o.metadata.name,
    labels: o.metadata.labels,
    spec: o.spec,
    applied: (o.metadata.managedFields ?? []).filter((m) => m.manager === 'exposectl'),
  });
}
interface ExposureItem {
  namespace: string | null;
  name: string;
  kind: string;
  mode: string;
  implementation: string | null;
  addresses: string[];
  status: string;
  endpoints: { ready: number; total: number } | null;
}

function cli(args: string[], kubeconfig = testCluster().kubeconfig): Promise<CliResult> {
  return runCli(args, { env: { KUBECONFIG: kubeconfig }, timeoutMs: 120_000 });
}

async function exposures(): Promise<ExposureItem[]> {
  const r = await cli(['list', '-n', ns.name, '-o', 'json']);
  expect(r.exitCode, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { items: ExposureItem[] }).items;
}

const backend = (name: string) => backendYaml(name, 2);

afterAll(async () => {
  // MetalLB objects live in metallb-system and outlive the test namespace.
  await kubectl([
    'delete',
    'ipaddresspools,l2advertisements,bgpadvertisements,bgppeers',
    '-n',
    'metallb-system',
    '-l',
    `exposectl.dev/service-namespace=${ns.name}`,
    '--ignore-not-found',
  ]);
  await kubectl(['delete', 'ingressclass/it-nginx', 'gatewayclass/it-gateways', '--ignore-not-found']);
});

beforeAll(async () => {
  await kubectl(['apply', '-n', ns.name, '-f', '-'], {
    input: ['web', 'api', 'db', 'shop', 'site'].map(backend).join('---\n'),
  });
  await kubectl(['apply', '-f', '-'], {
    input: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: it-nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: it-gateways}
spec: {controllerName: example.com/gateway-controller}
`,
  });
});

describe('expose against the real control plane', () => {
  it('l2: MetalLB assigns an address from the new pool, --wait returns when it serves, list shows l2/metallb', async () => {
    const r = await cli([
      'expose',
      'web',
      '-n',
      ns.name,
      '--mode',
      'l2',
      '--addresses',
      '198.51.100.40-198.51.100.49',
      '--preserve-source-ip',
      '--wait',
      '--timeout',
      '90s',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('service/web-lb serverside-applied');
    expect(r.stdout).toMatch(/serving: .*service\/web-lb address 198\.51\.100\.4\d/);
    expect(r.stderr).toMatch(/ready: +service\/web-lb endpoints: 2\/2 ready/);
    const svc = await kubectlJson<Obj>(['get', 'service', 'web-lb', '-n', ns.name]);
    expect(svc.spec?.externalTrafficPolicy).toBe('Local');
    expect(svc.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'exposectl',
      'exposectl.dev/service': 'web',
    });
    const row = (await exposures()).find((e) => e.name === 'web-lb');
    expect(row).toMatchObject({
      mode: 'l2',
      implementation: 'metallb',
      status: 'ready',
      endpoints: { ready: 2, total: 2 },
    });
  });

  it('running the same command again changes nothing', async () => {
    const before = await kubectlJson<{ items: Obj[] }>([
      'get',
      'service,ipaddresspools,l2advertisements',
      '-A',
      '--show-managed-fields',
      '-l',
      `exposectl.dev/service=web,exposectl.dev/service-namespace=${ns.name}`,
    ]);
    const r = await cli([
      'expose',
      'web',
      '-n',
      ns.name,
      '--mode',
      'l2',
      '--addresses',
      '198.51.100.40-198.51.100.49',
      '--preserve-source-ip',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const after = await kubectlJson<{ items: Obj[] }>([
      'get',
      'service,ipaddresspools,l2advertisements',
      '-A',
      '--show-managed-fields',
      '-l',
      `exposectl.dev/service=web,exposectl.dev/service-namespace=${ns.name}`,
    ]);
    expect(after.items.map(ownWrite)).toEqual(before.items.map(ownWrite));
    expect(after.items).toHaveLength(3);
  });

  it('bgp: pool, peer and advertisement, and an address assigned', async () => {
    const r = await cli([
      'expose',
      'api',
      '-n',
      ns.name,
      '--mode',
      'bgp',
      '--addresses',
      '203.0.113.64/28',
      '--peer',
      '192.0.2.1',
      '--peer-asn',
      '64500',
      '--my-asn',
      '64512',
      '--wait',
      '--timeout',
      '90s',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('bgppeer.metallb.io/exposectl-peer-192-0-2-1 serverside-applied');
    const row = (await exposures()).find((e) => e.name === 'api-lb');
    expect(row).toMatchObject({ mode: 'bgp', implementation: 'metallb', status: 'ready' });
    expect(row?.addresses[0]).toMatch(/^203\.0\.113\.(6[4-9]|7\d)$/);
  });

  it('nodeport: a fixed node port, list shows nodeport', async () => {
    const r = await cli([
      'expose',
      'db',
      '-n',
      ns.name,
      '--mode',
      'nodeport',
      '--node-port',
      '31234',
      '--wait',
      '--timeout',
      '60s',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const svc = await kubectlJson<Obj>(['get', 'service', 'db-nodeport', '-n', ns.name]);
    expect(svc.spec?.ports[0].nodePort).toBe(31234);
    expect((await exposures()).find((e) => e.name === 'db-nodeport')).toMatchObject({
      mode: 'nodeport',
      status: 'ready',
    });
  });

  it('nodeport: a node port already taken is refused before anything is written', async () => {
    const r = await cli(['expose', 'shop', '-n', ns.name, '--mode', 'nodeport', '--node-port', '31234']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--node-port: .*31234/);
    expect(
      (await kubectl(['get', 'service', 'shop-nodeport', '-n', ns.name], { allowFailure: true })).exitCode,
    ).not.toBe(0);
  });

  it('hostnetwork: a hostNetwork DaemonSet whose pods kwok makes ready', async () => {
    const r = await cli([
      'expose',
      'shop',
      '-n',
      ns.name,
      '--mode',
      'hostnetwork',
      '--node-selector',
      'kubernetes.io/hostname=node-2',
      '--wait',
      '--timeout',
      '90s',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const ds = await kubectlJson<Obj>(['get', 'daemonset', 'shop-hostnet', '-n', ns.name]);
    expect(ds.spec?.template.spec.hostNetwork).toBe(true);
    expect(ds.status?.numberReady).toBe(1);
    expect((await exposures()).find((e) => e.name === 'shop-hostnet')).toMatchObject({
      mode: 'hostnetwork',
      implementation: 'haproxy',
    });
  });

  it('ingress: applies, and --wait times out with exit 1 naming what is missing (no ingress controller runs)', async () => {
    const r = await cli([
      'expose',
      'site',
      '-n',
      ns.name,
      '--mode',
      'ingress',
      '--host',
      'site.example',
      '--ingress-class',
      'it-nginx',
      '--wait',
      '--timeout',
      '5s',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('ingress.networking.k8s.io/site-ingress serverside-applied');
    expect(r.stderr).toMatch(
      /timed out after 5s .*still missing:\n\s+ingress\/site-ingress address: no address from the ingress controller yet/s,
    );
    expect((await exposures()).find((e) => e.kind === 'Ingress' && e.name === 'site-ingress')).toMatchObject({
      mode: 'ingress',
      implementation: 'ingress-nginx',
    });
  });

  it('ingress: --wait returns once the controller (played by the test) publishes an address', async () => {
    const waiting = cli([
      'expose',
      'site',
      '-n',
      ns.name,
      '--mode',
      'ingress',
      '--host',
      'site.example',
      '--ingress-class',
      'it-nginx',
      '--wait',
      '--timeout',
      '90s',
    ]);
    await waitUntil(
      'the Ingress exists',
      async () =>
        (await kubectl(['get', 'ingress', 'site-ingress', '-n', ns.name], { allowFailure: true })).exitCode === 0,
    );
    await kubectl([
      'patch',
      'ingress',
      'site-ingress',
      '-n',
      ns.name,
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"loadBalancer":{"ingress":[{"ip":"198.51.100.60"}]}}}',
    ]);
    const r = await waiting;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /serving: ingress\/site-ingress address 198\.51\.100\.60, service\/site endpoints 2\/2 ready/,
    );
  });

  it('gateway: a Gateway and an HTTPRoute; server-side dry run stores nothing', async () => {
    const dry = await cli([
      'expose',
      'site',
      '-n',
      ns.name,
      '--mode',
      'gateway',
      '--gateway-class',
      'it-gateways',
      '--host',
      'site.example',
      '--dry-run=server',
    ]);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(
      /gateway\.gateway\.networking\.k8s\.io\/site-gateway serverside-applied \(server dry run\)/,
    );
    expect(
      (await kubectl(['get', 'gateway', 'site-gateway', '-n', ns.name], { allowFailure: true })).exitCode,
    ).not.toBe(0);
    const r = await cli([
      'expose',
      'site',
      '-n',
      ns.name,
      '--mode',
      'gateway',
      '--gateway-class',
      'it-gateways',
      '--host',
      'site.example',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = await exposures();
    expect(rows.find((e) => e.kind === 'Gateway')).toMatchObject({ name: 'site-gateway', mode: 'gateway' });
    // --wait returns once the Gateway is Programmed and the route Accepted (the test plays the controller).
    const waiting = cli([
      'expose',
      'site',
      '-n',
      ns.name,
      '--mode',
      'gateway',
      '--gateway-class',
      'it-gateways',
      '--host',
      'site.example',
      '--wait',
      '--timeout',
      '90s',
    ]);
    const now = new Date().toISOString();
    const condition = (type: string) => ({
      type,
      status: 'True',
      reason: type,
      message: '',
      lastTransitionTime: now,
      observedGeneration: 1,
    });
    await kubectl([
      'patch',
      'gateway',
      'site-gateway',
      '-n',
      ns.name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          addresses: [{ type: 'IPAddress', value: '198.51.100.61' }],
          conditions: [condition('Accepted'), condition('Programmed')],
        },
      }),
    ]);
    const route = rows.find((e) => e.kind === 'HTTPRoute')!.name;
    await kubectl([
      'patch',
      'httproute',
      route,
      '-n',
      ns.name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          parents: [
            {
              parentRef: { name: 'site-gateway' },
              controllerName: 'example.com/gateway-controller',
              conditions: [condition('Accepted')],
            },
          ],
        },
      }),
    ]);
    const served = await waiting;
    expect(served.exitCode, served.stderr).toBe(0);
    expect(served.stdout).toMatch(/serving: gateway\/site-gateway 198\.51\.100\.61, httproute\/\S+ accepted/);
    expect(rows.find((e) => e.kind === 'HTTPRoute')).toMatchObject({ mode: 'gateway' });
  });

  it('refuses to take over an object it does not own, unless --force', async () => {
    await kubectl(['create', 'service', 'clusterip', 'api-nodeport', '--tcp=80:8080', '-n', ns.name]);
    const refused = await cli(['expose', 'api', '-n', ns.name, '--mode', 'nodeport']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      /Service .*api-nodeport already exists, managed by someone else: refusing to take it over \(--force to override\)/,
    );
    const untouched = await kubectlJson<Obj>(['get', 'service', 'api-nodeport', '-n', ns.name]);
    expect(untouched.spec?.type).toBe('ClusterIP');
    const forced = await cli(['expose', 'api', '-n', ns.name, '--mode', 'nodeport', '--force', '--force-conflicts']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect((await kubectlJson<Obj>(['get', 'service', 'api-nodeport', '-n', ns.name])).spec?.type).toBe('NodePort');
  });

  it('a read-only user is told which permission is missing and nothing is written', async () => {
    const r = await cli(['expose', 'site', '-n', ns.name, '--mode', 'nodeport'], testCluster().kubeconfigReadonly);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/user "exposectl-readonly" may not patch services in namespace/);
    expect(
      (await kubectl(['get', 'service', 'site-nodeport', '-n', ns.name], { allowFailure: true })).exitCode,
    ).not.toBe(0);
  });

  it('unexpose deletes only what it owns and keeps a pool another Service uses', async () => {
    // shop shares web's pool: the pool (and its advertisement) must survive unexpose web.
    const pool = `exposectl-${ns.name}-web`;
    const shared = await cli([
      'expose',
      'shop',
      '-n',
      ns.name,
      '--mode',
      'l2',
      '--pool',
      pool,
      '--wait',
      '--timeout',
      '90s',
    ]);
    expect(shared.exitCode, shared.stderr).toBe(0);
    for (const [mode, said] of [
      ['server', 'server dry run'],
      ['client', 'dry run'],
    ]) {
      const dry = await cli(['unexpose', 'web', '-n', ns.name, `--dry-run=${mode}`]);
      expect(dry.exitCode, dry.stderr).toBe(0);
      expect(dry.stdout).toBe(`service/web-lb deleted (${said})`);
      expect(dry.stderr).toMatch(
        new RegExp(`kept ipaddresspool.metallb.io/${pool}: pool still used by ${ns.name}/shop-lb`),
      );
      expect((await kubectl(['get', 'service', 'web-lb', '-n', ns.name], { allowFailure: true })).exitCode).toBe(0);
    }

    const r = await cli(['unexpose', 'web', '-n', ns.name]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('service/web-lb deleted');
    expect(r.stderr).toMatch(
      new RegExp(`kept ipaddresspool.metallb.io/${pool}: pool still used by ${ns.name}/shop-lb`),
    );
    expect((await kubectl(['get', 'service', 'web-lb', '-n', ns.name], { allowFailure: true })).exitCode).not.toBe(0);
    expect((await kubectl(['get', 'service', 'web', '-n', ns.name])).exitCode).toBe(0);
    expect((await kubectl(['get', 'ipaddresspool', pool, '-n', 'metallb-system'])).exitCode).toBe(0);

    const again = await cli(['unexpose', 'web', '-n', ns.name]);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(/kept ipaddresspool/);
  });
});

describe('list: the live cluster and a kubectl dump of it agree', () => {
  it('shows the same exposures', async () => {
    const kinds =
      'services,endpointslices,pods,nodes,configmaps,ingresses,ingressclasses,daemonsets,deployments,gatewayclasses,gateways,httproutes,ipaddresspools,l2advertisements,bgpadvertisements,bgppeers';
    const dump = await kubectl(['get', kinds, '-A', '-o', 'yaml']);
    const live = await cli(['list', '-A', '-o', 'json']);
    const files = await runCli(['list', '-A', '-f', '-', '-o', 'json'], { input: dump.stdout });
    expect(live.exitCode, live.stderr).toBe(0);
    expect(files.exitCode, files.stderr).toBe(0);
    // Files never prove that something is missing, so where the live status rests on an
    // absence (a pool or controller that is not there: pending, broken) the same rows read
    // from files say only what they can: unknown or pending.
    const parse = (text: string) => (JSON.parse(text) as { items: Array<Record<string, unknown>> }).items;
    const facts = (items: Array<Record<string, unknown>>) => items.map(({ reason: _r, status: _s, ...rest }) => rest);
    const liveItems = parse(live.stdout);
    const fileItems = parse(files.stdout);
    expect(liveItems.length).toBeGreaterThan(5);
    expect(facts(fileItems)).toEqual(facts(liveItems));
    fileItems.forEach((item, i) => {
      if (item.status !== liveItems[i]!.status) {
        expect([item.status, liveItems[i]!.status], String(item.name)).toEqual([
          expect.stringMatching(/^(unknown|pending)$/),
          expect.stringMatching(/^(pending|broken)$/),
        ]);
      }
    });
  });
});
