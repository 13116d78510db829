import { describe, expect, it } from 'vitest';
import type { ExposeFacts, ExposeSpec } from '../../../src/modes/index.js';
import {
  daemonSet,
  expectGolden,
  expectOK,
  expectOwnedLabels,
  expectProblem,
  node,
  type ProblemCase,
  svc,
} from './helpers.js';

const web = svc('web', {
  ports: [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'https', port: 443, targetPort: 8443 },
  ],
});
const dns = svc('dns', {
  namespace: 'infra',
  ports: [
    { name: 'dns-tcp', port: 53 },
    { name: 'dns-udp', port: 53, protocol: 'UDP' },
  ],
});
const base: ExposeSpec = {
  service: web,
  mode: 'hostnetwork',
  nodeSelector: { 'node-role.kubernetes.io/edge': 'true' },
};
const edge = { 'node-role.kubernetes.io/edge': 'true' };
const facts: ExposeFacts = {
  services: [web, dns],
  nodes: [
    node('edge-1', edge),
    node('edge-2', edge),
    node('worker-1'),
    node('cp-1', { 'node-role.kubernetes.io/control-plane': '' }, [
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]),
  ],
  hostWorkloads: [
    daemonSet('node-exporter', 'monitoring', { hostNetwork: true, ports: [{ containerPort: 9100 }] }),
    daemonSet('ingress', 'ingress', { nodeSelector: { zone: 'b' }, ports: [{ containerPort: 8080, hostPort: 443 }] }),
  ],
};

describe('hostnetwork manifests (golden)', () => {
  const cases: Array<{ name: string; spec: Partial<ExposeSpec>; facts?: ExposeFacts; note?: RegExp }> = [
    { name: 'haproxy', spec: {}, facts, note: /runs on edge-1, edge-2/ },
    { name: 'haproxy-preserve-source-ip', spec: { preserveSourceIP: true }, facts, note: /PROXY protocol v2/ },
    { name: 'nginx-tcp-udp', spec: { service: dns, gatewayImpl: 'nginx', nodeSelector: undefined }, facts },
    {
      name: 'nginx-preserve-custom-image',
      spec: { gatewayImpl: 'nginx', preserveSourceIP: true, gatewayImage: 'registry.local/nginx:1.29.1' },
      facts,
      note: /PROXY protocol v1/,
    },
    {
      name: 'haproxy-sticky',
      spec: { sticky: true, stickyTimeout: 1800, preserveSourceIP: true },
      facts,
      note: /remembers each client for 1800s/,
    },
    {
      name: 'nginx-sticky',
      spec: { service: svc('api', { ports: [{ port: 8443, targetPort: 9443 }] }), gatewayImpl: 'nginx', sticky: true },
      facts,
      note: /resolved at start/,
    },
    { name: 'no-facts', spec: {}, note: /not checked/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const spec = { ...base, ...c.spec };
      const { manifests, notes } = expectOK(spec, c.facts);
      expectOwnedLabels(manifests, spec.service.metadata.name!);
      expectGolden(`hostnetwork/${c.name}`, manifests);
      if (c.note) expect(notes.join('\n')).toMatch(c.note);
    });
  }

  it('the DaemonSet runs on the host network with the cluster DNS and the config mounted', () => {
    const { manifests } = expectOK(base, facts);
    const ds = manifests.find((o) => o.kind === 'DaemonSet')!;
    const pod = (ds.spec as any).template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(pod.nodeSelector).toEqual(edge);
    expect(pod.containers[0].image).toBe('haproxy:3.2');
    expect(pod.containers[0].ports).toEqual([
      { containerPort: 80, hostPort: 80, protocol: 'TCP' },
      { containerPort: 443, hostPort: 443, protocol: 'TCP' },
    ]);
    expect(pod.volumes[0].configMap.name).toBe('web-hostnet');
    const cfg = (manifests[0] as any).data['haproxy.cfg'] as string;
    expect(cfg).toContain('server web web.shop.svc.cluster.local:80');
  });

  it('a configuration change changes the pod template hash (rolls the pods)', () => {
    const hash = (spec: ExposeSpec) =>
      (expectOK(spec, facts).manifests[1]!.spec as any).template.metadata.annotations['exposectl.dev/config-hash'];
    expect(hash(base)).not.toBe(hash({ ...base, preserveSourceIP: true }));
    expect(hash(base)).toBe(hash(base));
  });

  it('re-running over its own DaemonSet is not a port conflict (idempotent)', () => {
    const own = expectOK(base, facts).manifests[1]!;
    expectOK(base, { ...facts, hostWorkloads: [...facts.hostWorkloads!, own as never] });
  });

  it('a workload on other nodes does not conflict', () => {
    expectOK(base, {
      ...facts,
      hostWorkloads: [
        daemonSet('other', 'x', { hostNetwork: true, nodeSelector: { zone: 'z' }, ports: [{ containerPort: 80 }] }),
      ],
    });
  });
});

describe('hostnetwork problems', () => {
  const cases: ProblemCase[] = [
    {
      name: 'UDP with haproxy',
      spec: { service: dns },
      field: 'gatewayImpl',
      message: 'HAProxy cannot forward UDP (port 53): use --gateway-impl nginx',
    },
    {
      name: 'SCTP',
      spec: { service: svc('sig', { ports: [{ port: 3868, protocol: 'SCTP' }] }), gatewayImpl: 'nginx' },
      field: 'service',
      message: 'cannot forward SCTP',
    },
    {
      name: 'unknown implementation',
      spec: { gatewayImpl: 'envoy' as never },
      field: 'gatewayImpl',
      message: 'must be haproxy or nginx',
    },
    {
      name: 'bad image',
      spec: { gatewayImage: 'has space' },
      field: 'gatewayImage',
      message: 'not an image reference',
    },
    {
      name: 'selector matches no node',
      spec: { nodeSelector: { 'node-role.kubernetes.io/gateway': 'true' } },
      facts,
      field: 'nodeSelector',
      message: 'node selector node-role.kubernetes.io/gateway=true matches no node',
      code: 'hostnetwork/no-gateway-nodes',
    },
    {
      name: 'only tainted nodes match',
      spec: { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } },
      facts,
      field: 'nodeSelector',
      message: 'cp-1: node-role.kubernetes.io/control-plane:NoSchedule',
      code: 'hostnetwork/no-gateway-nodes',
    },
    {
      name: 'host port taken by a hostNetwork workload',
      spec: {},
      facts: {
        ...facts,
        hostWorkloads: [
          daemonSet('traefik', 'kube-system', {
            hostNetwork: true,
            nodeSelector: edge,
            ports: [{ containerPort: 80 }, { containerPort: 8443 }],
          }),
        ],
      },
      field: 'nodeSelector',
      message: 'host port 80/TCP is already taken on nodes edge-1, edge-2 by DaemonSet kube-system/traefik',
      code: 'hostnetwork/port-conflict',
    },
    {
      name: 'host port taken by a hostPort workload on one node',
      spec: {},
      facts: {
        ...facts,
        hostWorkloads: [
          daemonSet('proxy', 'x', {
            nodeSelector: { 'kubernetes.io/hostname': 'edge-2' },
            ports: [{ containerPort: 8443, hostPort: 443 }],
          }),
        ],
      },
      field: 'nodeSelector',
      message: 'host port 443/TCP is already taken on node edge-2 by DaemonSet x/proxy',
      code: 'hostnetwork/port-conflict',
    },
    {
      name: 'host port conflict without node facts (selectors overlap)',
      spec: {},
      facts: { hostWorkloads: [daemonSet('lb', 'x', { hostNetwork: true, ports: [{ containerPort: 443 }] })] },
      field: 'nodeSelector',
      message: 'host port 443/TCP is already taken on the same nodes by DaemonSet x/lb',
      code: 'hostnetwork/port-conflict',
    },
    {
      name: 'UDP host port taken',
      spec: { service: dns, gatewayImpl: 'nginx', nodeSelector: undefined },
      facts: {
        ...facts,
        hostWorkloads: [
          daemonSet('coredns-host', 'kube-system', {
            hostNetwork: true,
            ports: [{ containerPort: 53, protocol: 'UDP' }],
          }),
        ],
      },
      field: 'nodeSelector',
      message: 'host port 53/UDP',
      code: 'hostnetwork/port-conflict',
    },
    {
      name: 'sticky with in-place',
      spec: { sticky: true, inPlace: true },
      field: 'inPlace',
      message: 'does not touch the Service',
    },
    {
      name: 'sticky without a selector',
      spec: { service: svc('ext', { selector: null }), sticky: true },
      field: 'sticky',
      message: 'headless Service with the same selector',
    },
    {
      name: 'sticky nginx with a timeout',
      spec: { gatewayImpl: 'nginx', sticky: true, stickyTimeout: 60 },
      field: 'stickyTimeout',
      message: 'open-source nginx has no sticky timeout',
    },
    {
      name: 'sticky nginx with a named targetPort',
      spec: {
        service: svc('api', { ports: [{ name: 'http', port: 80, targetPort: 'web' }] }),
        gatewayImpl: 'nginx',
        sticky: true,
      },
      field: 'sticky',
      message: 'targets the container port named web: nginx reaches Pods by address and port number',
    },
    {
      name: 'sticky haproxy unnamed port with a named targetPort',
      spec: { service: svc('api', { ports: [{ port: 80, targetPort: 'web' }] }), sticky: true },
      field: 'sticky',
      message: 'HAProxy needs a port name (SRV record) or a targetPort number',
    },
    {
      name: 'option of another mode',
      spec: { ip: '10.0.0.1' },
      field: 'ip',
      message: 'does not apply to mode hostnetwork',
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expectProblem(base, c);
    });
});

describe('hostnetwork notes', () => {
  it('warns about ports node components usually hold', () => {
    const { notes } = expectOK({ ...base, service: svc('api', { ports: [{ port: 6443 }] }) }, facts);
    expect(notes.join('\n')).toMatch(/6443 \(kube-apiserver\)/);
  });
});
