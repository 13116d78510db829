// Calico (hand-written CRDs, test/crds/calico) and Istio (CRDs from istio.io/istio, fetched
// by scripts/cluster/crds-extra.sh) against the real API server: the objects are accepted,
// list and diagnose read them live, and `expose --mode bgp` through Calico and `unexpose`
// change only exposectl's entries of the default BGPConfiguration: the admin's entries and
// fields, and entries written meanwhile, stay.
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { addCalicoRanges, removeCalicoRanges } from '../../src/expose/calico-config.js';
import { connect, type KubeClient } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/model/kube-object.js';
import { CALICO_ADDED_ANNOTATION, calicoAddRanges } from '../../src/modes/calico.js';
import { runCli } from '../helpers/cli.js';
import { kubectl, kubectlJson, testCluster, useNamespace } from './helpers.js';

const ns = useNamespace('calico-istio');

function cli(args: string[]) {
  const kubeconfig = testCluster().kubeconfig;
  return runCli([...args, '--kubeconfig', kubeconfig], { env: { KUBECONFIG: kubeconfig }, timeoutMs: 120_000 });
}
const apply = (manager: string, input: string) =>
  kubectl(['apply', '--server-side', `--field-manager=${manager}`, '-f', '-'], { input });

const BGP_CONFIG = 'bgpconfigurations.crd.projectcalico.org';
const getConfig = () => kubectlJson<KubeObject>(['get', BGP_CONFIG, 'default']);
const lbRanges = (cfg: KubeObject) =>
  (((cfg.spec as Record<string, unknown>).serviceLoadBalancerIPs ?? []) as Array<{ cidr: string }>).map((x) => x.cidr);

/** The admin's default BGPConfiguration and router peer (server-side apply, the admin's field manager). */
const adminConfig = () =>
  apply(
    'it-calico-admin',
    `
apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata: {name: default}
spec:
  asNumber: 64512
  serviceExternalIPs: [{cidr: 203.0.113.0/28}]
  serviceLoadBalancerIPs: [{cidr: 192.0.2.128/25}]
---
apiVersion: crd.projectcalico.org/v1
kind: BGPPeer
metadata: {name: it-tor}
spec: {peerIP: 192.0.2.1, asNumber: 65001}
`,
  );

// Cluster-scoped Calico objects would make later files' `expose --mode bgp` go through Calico.
afterAll(async () => {
  await kubectl(['delete', BGP_CONFIG, 'default', '--ignore-not-found']);
  await kubectl(['delete', 'bgppeers.crd.projectcalico.org', 'it-tor', '--ignore-not-found']);
  await kubectl([
    'delete',
    'ippools.crd.projectcalico.org',
    '-l',
    'app.kubernetes.io/managed-by=exposectl',
    '--ignore-not-found',
  ]);
});

describe('Calico and Istio objects on the real API server', () => {
  it('a Service whose external IP is in serviceExternalIPs is a bgp row of implementation calico', async () => {
    await adminConfig();
    await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
      input: `
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  externalIPs: [203.0.113.5]
  ports: [{port: 80, protocol: TCP}]
`,
    });
    const r = await cli(['list', '-n', ns.name, '-o', 'json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = (
      JSON.parse(r.stdout) as {
        items: Array<{ mode: string; implementation: string | null; addresses: string[]; name: string }>;
      }
    ).items;
    expect(rows.filter((x) => x.implementation === 'calico')).toEqual([
      expect.objectContaining({ name: 'web', mode: 'bgp', addresses: ['203.0.113.5'] }),
    ]);
  });

  it('expose --mode bgp through Calico and unexpose change only the serviceLoadBalancerIPs entries exposectl added', async () => {
    await adminConfig();
    const pools = await kubectlJson<{ items: unknown[] }>(['get', 'ipaddresspools.metallb.io', '-A']);
    expect(pools.items, 'a MetalLB pool is left in the cluster: expose would plan MetalLB, not Calico').toEqual([]);
    for (const name of ['shop', 'api'])
      await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
        input: `{apiVersion: v1, kind: Service, metadata: {name: ${name}}, spec: {selector: {app: ${name}}, ports: [{port: 80, protocol: TCP}]}}`,
      });
    const admin = { asNumber: 64512, serviceExternalIPs: [{ cidr: '203.0.113.0/28' }] };

    // --dry-run=server prints the object as it would be and changes nothing.
    const dry = await cli([
      'expose',
      'shop',
      '-n',
      ns.name,
      '--mode',
      'bgp',
      '--addresses',
      '198.51.100.0/28',
      '--dry-run=server',
      '-o',
      'yaml',
    ]);
    expect(dry.exitCode, dry.stderr).toBe(0);
    const planned = (parseAllDocuments(dry.stdout)[0]!.toJS() as { items: KubeObject[] }).items.find(
      (o) => o.kind === 'BGPConfiguration',
    )!;
    expect(lbRanges(planned)).toEqual(['192.0.2.128/25', '198.51.100.0/28']);
    expect(lbRanges(await getConfig())).toEqual(['192.0.2.128/25']);

    // expose: the missing CIDR is appended and recorded; the admin's entry and fields stay.
    const shop = await cli(['expose', 'shop', '-n', ns.name, '--mode', 'bgp', '--addresses', '198.51.100.0/28']);
    expect(shop.exitCode, shop.stderr).toBe(0);
    let cfg = await getConfig();
    expect(cfg.spec).toMatchObject(admin);
    expect(lbRanges(cfg)).toEqual(['192.0.2.128/25', '198.51.100.0/28']);
    expect(cfg.metadata.annotations?.[CALICO_ADDED_ANNOTATION]).toBe('198.51.100.0/28');
    // Again: nothing added twice.
    expect(
      (await cli(['expose', 'shop', '-n', ns.name, '--mode', 'bgp', '--addresses', '198.51.100.0/28'])).exitCode,
    ).toBe(0);
    expect(lbRanges(await getConfig())).toEqual(['192.0.2.128/25', '198.51.100.0/28']);

    // A range the admin listed already: not added, not recorded as exposectl's.
    const api = await cli(['expose', 'api', '-n', ns.name, '--mode', 'bgp', '--addresses', '192.0.2.128/25']);
    expect(api.exitCode, api.stderr).toBe(0);
    cfg = await getConfig();
    expect(lbRanges(cfg)).toEqual(['192.0.2.128/25', '198.51.100.0/28']);
    expect(cfg.metadata.annotations?.[CALICO_ADDED_ANNOTATION]).toBe('198.51.100.0/28');

    // The guard: a patch computed from an older read is refused by the API server.
    const stale = calicoAddRanges(cfg, ['10.20.0.0/24']);
    await kubectl([
      'patch',
      BGP_CONFIG,
      'default',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/spec/serviceLoadBalancerIPs/-","value":{"cidr":"10.10.0.0/24"}}]',
    ]);
    const refused = await kubectl(['patch', BGP_CONFIG, 'default', '--type=json', '-p', JSON.stringify(stale.patch)], {
      allowFailure: true,
    });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/request is invalid/); // 422: the test op failed
    expect(lbRanges(await getConfig())).toEqual(['192.0.2.128/25', '198.51.100.0/28', '10.10.0.0/24']);

    // unexpose shop: only exposectl's entry goes; what others wrote (10.10.0.0/24) stays.
    const dryUn = await cli(['unexpose', `${ns.name}/shop`, '--dry-run=server']);
    expect(dryUn.exitCode, dryUn.stderr).toBe(0);
    expect(dryUn.stdout).toContain('bgpconfiguration.crd.projectcalico.org/default patched (server dry run)');
    expect(lbRanges(await getConfig())).toEqual(['192.0.2.128/25', '198.51.100.0/28', '10.10.0.0/24']);
    const unShop = await cli(['unexpose', `${ns.name}/shop`]);
    expect(unShop.exitCode, unShop.stderr).toBe(0);
    cfg = await getConfig();
    expect(cfg.spec).toMatchObject(admin);
    expect(lbRanges(cfg)).toEqual(['192.0.2.128/25', '10.10.0.0/24']);
    expect(cfg.metadata.annotations?.[CALICO_ADDED_ANNOTATION]).toBeUndefined();

    // unexpose api: the admin listed 192.0.2.128/25 before exposectl; it stays.
    const unApi = await cli(['unexpose', `${ns.name}/api`]);
    expect(unApi.exitCode, unApi.stderr).toBe(0);
    expect(unApi.stderr).toContain('kept 192.0.2.128/25 in serviceLoadBalancerIPs of BGPConfiguration default');
    cfg = await getConfig();
    expect(cfg.spec).toMatchObject(admin);
    expect(lbRanges(cfg)).toEqual(['192.0.2.128/25', '10.10.0.0/24']);
    // exposectl's own objects are gone.
    const left = await kubectlJson<{ items: unknown[] }>([
      'get',
      'services,ippools.crd.projectcalico.org',
      '-A',
      '-l',
      'app.kubernetes.io/managed-by=exposectl',
    ]);
    expect(left.items).toEqual([]);
  });

  it("someone writes between exposectl's read and its patch: the guard fails, exposectl reads again, both writes stay", async () => {
    // Afresh: after exposectl's and kubectl's patches the admin's apply of the (atomic) list would conflict.
    await kubectl(['delete', BGP_CONFIG, 'default']);
    await adminConfig();
    const real = await connect({ kubeconfig: testCluster().kubeconfig });
    // The real client; after its first read of the object, the admin appends an entry.
    let interleave: string | undefined = '10.30.0.0/24';
    let patches = 0;
    const racing: KubeClient = {
      ...real,
      request: async <T>(path: string, opts?: Parameters<KubeClient['request']>[1]) => {
        if (opts?.method === 'PATCH') patches++;
        const answer = await real.request<T>(path, opts);
        if (interleave && path.endsWith('/bgpconfigurations/default') && (opts?.method ?? 'GET') === 'GET') {
          const cidr = interleave;
          interleave = undefined;
          await kubectl([
            'patch',
            BGP_CONFIG,
            'default',
            '--type=json',
            '-p',
            JSON.stringify([{ op: 'add', path: '/spec/serviceLoadBalancerIPs/-', value: { cidr } }]),
          ]);
        }
        return answer;
      },
    };
    try {
      const added = await addCalicoRanges(racing, ['198.51.100.64/28'], false);
      expect(added.change.added).toEqual(['198.51.100.64/28']);
      expect(patches, 'the first patch is refused (stale resourceVersion), the second made').toBe(2);
      expect(lbRanges(await getConfig())).toEqual(['192.0.2.128/25', '10.30.0.0/24', '198.51.100.64/28']);
      interleave = '10.40.0.0/24';
      const removed = await removeCalicoRanges(racing, ['198.51.100.64/28', '192.0.2.128/25'], false);
      expect(removed.change.removed).toEqual(['198.51.100.64/28']);
      expect(patches).toBe(4);
      const cfg = await getConfig();
      expect(lbRanges(cfg)).toEqual(['192.0.2.128/25', '10.30.0.0/24', '10.40.0.0/24']);
      expect(cfg.spec).toMatchObject({ asNumber: 64512, serviceExternalIPs: [{ cidr: '203.0.113.0/28' }] });
    } finally {
      await real.close();
    }
  });

  it('Istio: a VirtualService bound to a Gateway that does not exist is gateway/route-not-attached, live', async () => {
    await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
      input: `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*.example.com"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop}
spec:
  hosts: [shop.example.com]
  gateways: [missing]
  http: [{route: [{destination: {host: web, port: {number: 80}}}]}]
`,
    });
    const r = await cli(['diagnose', 'gateway', '-n', ns.name, '-o', 'json']);
    const findings = (
      JSON.parse(r.stdout) as { findings: Array<{ code: string; subject: { kind: string; name: string } }> }
    ).findings;
    expect(findings.filter((f) => f.subject.kind === 'VirtualService').map((f) => [f.code, f.subject.name])).toEqual([
      ['gateway/route-not-attached', 'shop'],
    ]);
    const list = await cli(['list', '-n', ns.name, '-o', 'json']);
    const rows = (
      JSON.parse(list.stdout) as { items: Array<{ kind: string; implementation: string | null; status: string }> }
    ).items;
    expect(rows.filter((x) => x.implementation === 'istio').map((x) => [x.kind, x.status])).toEqual([
      ['Gateway', 'broken'],
      ['VirtualService', 'broken'],
    ]);
  });
});
