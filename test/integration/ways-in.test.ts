// The seed's other ways in against the real API server: external-dns's DNSEndpoint (CRD
// from sigs.k8s.io/external-dns, fetched by scripts/cluster/crds-extra.sh) and its
// annotations. The objects are accepted by the API server with their CRDs
// installed, and list, describe, topology and diagnose read them live.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { kubectl, testCluster, useNamespace, waitUntil } from './helpers.js';

const ns = useNamespace('ways-in');

function cli(args: string[]) {
  const kubeconfig = testCluster().kubeconfig;
  return runCli([...args, '--kubeconfig', kubeconfig], { env: { KUBECONFIG: kubeconfig }, timeoutMs: 120_000 });
}
const apply = (input: string) => kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], { input });

interface Row {
  kind: string;
  name: string;
  mode: string;
  implementation: string | null;
  addresses: string[];
  sourceIP: string;
  status: string;
  dnsNames?: string[];
}
const rows = async (extra: string[] = []) => {
  const r = await cli(['list', '-n', ns.name, '-o', 'json', ...extra]);
  expect(r.exitCode, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { apiVersion: string; items: Row[] }).items;
};
const findings = async (check: string) => {
  const r = await cli(['diagnose', check, '-n', ns.name, '-o', 'json']);
  return (
    JSON.parse(r.stdout) as {
      findings: Array<{ code: string; subject: { kind: string; name: string }; message: string }>;
    }
  ).findings;
};

describe('external-dns: names that lead to the ways in', () => {
  it('a DNSEndpoint pointing at a node without the hostNetwork gateway: accepted, listed, drawn, dns/gateway-not-on-node', async () => {
    await apply(`
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: edge}
spec:
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      hostNetwork: true
      nodeSelector: {kubernetes.io/hostname: node-1}
      containers: [{name: haproxy, image: haproxy:3.2, ports: [{containerPort: 8443}]}]
---
apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata: {name: edge}
spec:
  endpoints:
    - {dnsName: edge.example.com, recordType: A, recordTTL: 60, targets: [192.0.2.11, 192.0.2.12]}
`);
    await waitUntil('the edge DaemonSet Pod on node-1', async () => {
      const r = await kubectl([
        'get',
        'pods',
        '-n',
        ns.name,
        '-l',
        'app=edge',
        '-o',
        'jsonpath={.items[*].spec.nodeName}',
      ]);
      return r.stdout.trim() === 'node-1';
    });
    const edge = (await rows()).find((x) => x.kind === 'DaemonSet' && x.name === 'edge');
    expect(edge).toMatchObject({ mode: 'hostnetwork', addresses: ['192.0.2.11'], dnsNames: ['edge.example.com'] });

    const f = (await findings('dns')).filter((x) => x.subject.kind === 'DNSEndpoint');
    expect(f.map((x) => [x.code, x.subject.name])).toEqual([['dns/gateway-not-on-node', 'edge']]);
    expect(f[0]!.message).toContain('192.0.2.12 (node node-2)');

    const t = await cli(['topology', '-n', ns.name, '-o', 'json']);
    expect(t.exitCode, t.stderr).toBe(0);
    const topo = JSON.parse(t.stdout) as { edges: Array<{ from: string; to: string }> };
    expect(topo.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(
      expect.arrayContaining(['client -> name:edge.example.com', 'name:edge.example.com -> address:nodes:192.0.2.11']),
    );
  });

  it('a Service with the hostname annotation: describe shows the name before its external IP', async () => {
    await apply(`
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations: {external-dns.kubernetes.io/hostname: web.example.com, external-dns.kubernetes.io/ttl: 2m}
spec:
  selector: {app: web}
  externalIPs: [203.0.113.7]
  ports: [{port: 80, protocol: TCP}]
`);
    const d = await cli(['describe', `${ns.name}/web`]);
    expect(d.exitCode, d.stderr).toBe(0);
    expect(d.stdout).toMatch(
      /DNS Names:\n {2}web\.example\.com -> 203\.0\.113\.7 {2}\(from Service [^/]+\/web \(annotation external-dns\.kubernetes\.io\/hostname\)\)/,
    );
    expect((await findings('dns')).filter((x) => x.subject.name === 'web')).toEqual([]);
  });

  it('expose --mode hostnetwork --hostname: the API server takes the annotated DaemonSet; the note says kwok nodes have no ExternalIP', async () => {
    await apply(
      `{apiVersion: v1, kind: Service, metadata: {name: api}, spec: {selector: {app: api}, ports: [{port: 9443, protocol: TCP}]}}`,
    );
    const r = await cli([
      'expose',
      'api',
      '-n',
      ns.name,
      '--mode',
      'hostnetwork',
      '--node-selector',
      'kubernetes.io/hostname=node-3',
      '--hostname',
      'api.example.com',
      '--dry-run=server',
      '-o',
      'json',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const ds = (JSON.parse(r.stdout) as { items: Array<{ kind: string; spec?: unknown }> }).items.find(
      (o) => o.kind === 'DaemonSet',
    ) as { spec: { template: { metadata: { annotations: Record<string, string> } } } };
    expect(ds.spec.template.metadata.annotations).toMatchObject({
      'external-dns.kubernetes.io/hostname': 'api.example.com',
      'external-dns.alpha.kubernetes.io/hostname': 'api.example.com',
    });
    expect(r.stderr).toContain('node-3 has no ExternalIP');
  });
});

describe('Multus: Pods on the LAN', () => {
  it('a macvlan NetworkAttachmentDefinition and an attached Pod: accepted, a lan row (v1alpha2) with its LAN address', async () => {
    await apply(`
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: lan}
spec:
  config: '{"cniVersion":"0.3.1","type":"macvlan","master":"eth0","mode":"bridge","ipam":{"type":"static"}}'
---
apiVersion: v1
kind: Pod
metadata:
  name: streamer
  annotations:
    k8s.v1.cni.cncf.io/networks: '[{"name":"lan","interface":"net1","ips":["192.0.2.50/24"]}]'
    # Written by Multus once it wired the Pod; no Multus runs here, so the test writes it.
    k8s.v1.cni.cncf.io/network-status: '[{"name":"cbr0","interface":"eth0","ips":["10.244.1.7"],"default":true},{"name":"${ns.name}/lan","interface":"net1","ips":["192.0.2.50"]}]'
spec:
  nodeName: node-1
  containers: [{name: rtsp, image: bluenviron/mediamtx:1, ports: [{containerPort: 8554}]}]
`);
    await waitUntil('the streamer Pod ready', async () => {
      const r = await kubectl([
        'get',
        'pod',
        'streamer',
        '-n',
        ns.name,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]);
      return r.stdout.trim() === 'True';
    });
    const r = await cli(['list', '-n', ns.name, '-o', 'json', '--mode', 'lan']);
    expect(r.exitCode, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { apiVersion: string; items: Row[] };
    expect(list.apiVersion).toBe('exposectl.dev/v1alpha2');
    expect(list.items).toEqual([
      expect.objectContaining({
        kind: 'Pod',
        name: 'streamer',
        mode: 'lan',
        implementation: 'macvlan',
        addresses: ['192.0.2.50'],
        sourceIP: 'preserved',
        status: 'ready',
      }),
    ]);
    // Without lan rows the document stays v1alpha1 for its consumers.
    expect(
      (
        JSON.parse((await cli(['list', '-n', ns.name, '-o', 'json', '--mode', 'hostnetwork'])).stdout) as {
          apiVersion: string;
        }
      ).apiVersion,
    ).toBe('exposectl.dev/v1alpha1');
  });
});

describe('Emissary: Mapping and Host', () => {
  it('accepted with the hand-written CRDs; listed as ingress rows; a Mapping to a missing Service is ingress/backend-missing live', async () => {
    await apply(`
apiVersion: v1
kind: Service
metadata: {name: emissary-ingress, labels: {app.kubernetes.io/name: emissary-ingress}}
spec:
  selector: {app.kubernetes.io/name: emissary-ingress}
  externalIPs: [203.0.113.90]
  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
---
apiVersion: getambassador.io/v3alpha1
kind: Host
metadata: {name: shop}
spec: {hostname: shop.example.com}
---
apiVersion: getambassador.io/v3alpha1
kind: Mapping
metadata: {name: shop-api}
spec: {hostname: shop.example.com, prefix: /api/, service: "api-v2:8080"}
`);
    const emissary = (await rows()).filter((x) => x.implementation === 'emissary');
    expect(emissary.map((x) => [x.kind, x.name, x.mode, x.addresses, x.status])).toEqual([
      // No Emissary Pods run here: the Emissary Service selects nothing, so the Host is broken too.
      ['Host', 'shop', 'ingress', ['203.0.113.90'], 'broken'],
      ['Mapping', 'shop-api', 'ingress', ['203.0.113.90'], 'broken'],
    ]);
    const f = (await findings('ingress')).filter((x) => x.subject.kind === 'Mapping');
    expect(f.map((x) => [x.code, x.subject.name])).toEqual([['ingress/backend-missing', 'shop-api']]);
  });
});
