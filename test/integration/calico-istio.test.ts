// Calico (hand-written CRDs, test/crds/calico) and Istio (CRDs from istio.io/istio, fetched
// by scripts/cluster/crds-extra.sh) against the real API server: the objects are accepted,
// list and diagnose read them live, and the default BGPConfiguration keeps every entry and
// field exposectl does not own when exposectl applies and releases its entries.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/model/kube-object.js';
import { CALICO_RANGES_ANNOTATION, calicoBgpConfiguration, calicoReleasePatch } from '../../src/modes/calico.js';
import { runCli } from '../helpers/cli.js';
import { kubectl, kubectlJson, testCluster, useNamespace } from './helpers.js';

const ns = useNamespace('calico-istio');

function cli(args: string[]) {
  const kubeconfig = testCluster().kubeconfig;
  return runCli([...args, '--kubeconfig', kubeconfig], { env: { KUBECONFIG: kubeconfig }, timeoutMs: 120_000 });
}
const apply = (manager: string, input: string) =>
  kubectl(['apply', '--server-side', `--field-manager=${manager}`, '-f', '-'], { input });

describe('Calico and Istio objects on the real API server', () => {
  it('a Service whose external IP is in serviceExternalIPs is a bgp row of implementation calico', async () => {
    await apply(
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

  it('the default BGPConfiguration: exposectl applies and releases only its serviceLoadBalancerIPs entries', async () => {
    const get = () => kubectlJson<KubeObject>(['get', 'bgpconfigurations.crd.projectcalico.org', 'default']);
    await kubectl(['apply', '--server-side', '--field-manager=exposectl', '-f', '-'], {
      input: stringify(calicoBgpConfiguration(['198.51.100.0/28'])),
    });
    let cfg = await get();
    expect(cfg.spec).toMatchObject({ asNumber: 64512, serviceExternalIPs: [{ cidr: '203.0.113.0/28' }] });
    expect(
      ((cfg.spec as Record<string, unknown>).serviceLoadBalancerIPs as Array<{ cidr: string }>)
        .map((x) => x.cidr)
        .sort(),
    ).toEqual(['192.0.2.128/25', '198.51.100.0/28']);
    // unexpose of the only exposure: every entry exposectl owned is released, the others stay.
    const published = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web-lb',
        namespace: ns.name,
        labels: { 'app.kubernetes.io/managed-by': 'exposectl', 'exposectl.dev/service': 'web' },
        annotations: { [CALICO_RANGES_ANNOTATION]: '198.51.100.0/28' },
      },
    } as KubeObject;
    const release = calicoReleasePatch([published], [published], { namespace: ns.name, name: 'web' })!;
    await kubectl(['apply', '--server-side', '--field-manager=exposectl', '--force-conflicts', '-f', '-'], {
      input: stringify(release),
    });
    cfg = await get();
    expect(cfg.spec).toMatchObject({
      asNumber: 64512,
      serviceLoadBalancerIPs: [{ cidr: '192.0.2.128/25' }],
      serviceExternalIPs: [{ cidr: '203.0.113.0/28' }],
    });
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
