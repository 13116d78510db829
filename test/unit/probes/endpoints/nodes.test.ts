// Endpoints per node and Local-policy blackholes per node, from EndpointSlices or Pods. Pure.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../../src/discover/context.js';
import { buildEndpointsReport, healthzTargets, toEndpointsProbe } from '../../../../src/discover/endpoints-report.js';
import type { Service } from '../../../../src/model/snapshot.js';
import { endpointsByNode, nodeInternalIP } from '../../../../src/probes/endpoints/nodes.js';
import { renderEndpointsReport } from '../../../../src/render/endpoints-report.js';
import { kubeVipDaemonSet, l2adv, live, node, pod, pool, service, slice, snap } from '../../../helpers/builders.js';

const at = new Date('2026-11-27T12:00:00Z');
const nodes = [node('n1', '192.0.2.21'), node('n2', '192.0.2.22'), node('n3', '192.0.2.23')];

describe('endpointsByNode', () => {
  it('counts ready and not-ready endpoints per node from the slices', () => {
    const s = snap([
      ...nodes,
      service('web', {}),
      slice('web', [
        { ready: true, node: 'n1' },
        { ready: true, node: 'n1' },
        { ready: false, node: 'n2' },
        { node: 'n3' },
        { ready: true },
      ]),
    ]);
    const r = endpointsByNode(buildContext(s), s.services[0] as Service);
    expect(r).toEqual({
      from: 'endpointslices',
      ready: 4,
      total: 5,
      nodes: [
        { node: 'n1', ready: 2, notReady: 0, serving: 2, terminating: 0 },
        { node: 'n2', ready: 0, notReady: 1, serving: 0, terminating: 0 },
        { node: 'n3', ready: 1, notReady: 0, serving: 1, terminating: 0 },
      ],
      unassigned: { ready: 1, notReady: 0 },
    });
  });

  it('counts one address family of a dual-stack Service, as discover does', () => {
    const s = snap([
      service('web', {}),
      slice('web', [{ ready: true, node: 'n1' }], 'IPv4'),
      slice('web', [{ ready: true, node: 'n1' }], 'IPv6'),
    ]);
    expect(endpointsByNode(buildContext(s), s.services[0] as Service).nodes).toEqual([
      { node: 'n1', ready: 1, notReady: 0, serving: 1, terminating: 0 },
    ]);
  });

  it('falls back to the selected Pods without slices', () => {
    const s = snap([
      service('web', {}),
      pod('a', { app: 'web' }, true, 'n2'),
      pod('b', { app: 'web' }, false, 'n2'),
      pod('c', { app: 'other' }, true, 'n1'),
    ]);
    expect(endpointsByNode(buildContext(s), s.services[0] as Service)).toMatchObject({
      from: 'pods',
      ready: 1,
      total: 2,
      nodes: [{ node: 'n2', ready: 1, notReady: 1 }],
    });
  });

  it('knows nothing from files without slices or Pods', () => {
    const s = snap([service('web', {})]);
    expect(endpointsByNode(buildContext(s), s.services[0] as Service)).toMatchObject({ from: 'none', nodes: [] });
  });
});

describe('buildEndpointsReport: Local-policy blackholes per node', () => {
  const objects = (spec: Record<string, unknown>) => [
    ...nodes,
    service('web', spec),
    slice('web', [
      { ready: true, node: 'n1' },
      { ready: false, node: 'n2' },
    ]),
  ];

  it('NodePort with Local: every node receives traffic; n2 and n3 have no ready endpoint and drop it', () => {
    const s = snap(objects({ type: 'NodePort', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100 }));
    const r = buildEndpointsReport(buildContext(s), s.services[0] as Service, { at });
    expect(r.blackholeNodes).toEqual(['n2', 'n3']);
    expect(r.nodes.map((n) => [n.node, n.ready, n.notReady, n.receivesTraffic, n.dropsTraffic])).toEqual([
      ['n1', 1, 0, true, false],
      ['n2', 0, 1, true, true],
      ['n3', 0, 0, true, true],
    ]);
    expect(r).toMatchObject({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 32100,
      healthzProbed: false,
      endpoints: { ready: 1, total: 2 },
    });
  });

  // kube-proxy drops on every node without a local endpoint, but an LB address reaches only
  // the nodes its announcer sends it to (src/discover/receiving-nodes.ts).
  it('LoadBalancer with Local and MetalLB: MetalLB announces only from n1 (ready endpoint), so no node drops', () => {
    const s = snap([
      ...objects({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
      pool('p', ['198.51.100.0/24']),
      l2adv('a'),
    ]);
    const r = buildEndpointsReport(buildContext(s), s.services[0] as Service, { at });
    expect(r.nodes.map((n) => [n.node, n.receivesTraffic, n.dropsTraffic])).toEqual([
      ['n1', true, false],
      ['n2', false, false],
      ['n3', false, false],
    ]);
    expect(r.blackholeNodes).toEqual([]);
  });

  it('LoadBalancer with Local and kube-vip without svc_election: the leader may be any node, n2 and n3 drop', () => {
    const s = snap([
      ...objects({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
      kubeVipDaemonSet({ svc_enable: 'true', vip_arp: 'true' }),
    ]);
    expect(buildEndpointsReport(buildContext(s), s.services[0] as Service, { at }).blackholeNodes).toEqual([
      'n2',
      'n3',
    ]);
  });

  it('LoadBalancer with Local and kube-vip with svc_election: elected among nodes with an endpoint, none drops', () => {
    const s = snap([
      ...objects({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
      kubeVipDaemonSet({ svc_enable: 'true', vip_arp: 'true', svc_election: 'true' }),
    ]);
    expect(buildEndpointsReport(buildContext(s), s.services[0] as Service, { at }).blackholeNodes).toEqual([]);
  });

  it('LoadBalancer with Local whose announcer is reported (kube-vip vipHost n3): n3 alone receives, and drops', () => {
    const s = snap([
      ...nodes,
      service(
        'web',
        { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
        { labels: { 'kube-vip.io/vipHost': 'n3' } },
      ),
      slice('web', [{ ready: true, node: 'n1' }]),
      kubeVipDaemonSet({ svc_enable: 'true', vip_arp: 'true' }),
    ]);
    expect(buildEndpointsReport(buildContext(s), s.services[0] as Service, { at }).blackholeNodes).toEqual(['n3']);
  });

  it('LoadBalancer with Local and no known implementation: the snapshot cannot say who receives; the nodes that answered healthz do', () => {
    const s = snap(objects({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100 }));
    const ctx = buildContext(s);
    const svc = s.services[0] as Service;
    const unknown = buildEndpointsReport(ctx, svc, { at });
    expect(unknown.blackholeNodes).toEqual([]);
    expect(unknown.receivers).toEqual({ known: false, rule: 'no known implementation announces the address' });
    // The text says so, and names the nodes that would drop what reaches them.
    expect(renderEndpointsReport(unknown, [])).toContain(
      'Who receives the address is not known (no known implementation announces the address). Nodes without a local ready endpoint drop what reaches them: n2, n3. Run with --healthz',
    );
    expect(healthzTargets(ctx, svc).map((t) => t.node)).toEqual(['n1', 'n2', 'n3']);
    const r = buildEndpointsReport(ctx, svc, {
      at,
      healthz: [
        { node: 'n1', address: 'a', status: 200, localEndpoints: 1 },
        { node: 'n2', address: 'b', status: 503, localEndpoints: 0 },
      ],
    });
    expect(r.blackholeNodes).toEqual(['n2']);
  });

  it('Cluster policy forwards: no node drops', () => {
    const s = snap(objects({ type: 'NodePort' }));
    const r = buildEndpointsReport(buildContext(s), s.services[0] as Service, { at });
    expect(r.blackholeNodes).toEqual([]);
    expect(r.externalTrafficPolicy).toBe('Cluster');
  });

  it('ClusterIP receives no external traffic', () => {
    const s = snap(objects({ externalTrafficPolicy: 'Local' }));
    const r = buildEndpointsReport(buildContext(s), s.services[0] as Service, { at });
    expect(r.nodes.every((n) => !n.receivesTraffic && !n.dropsTraffic)).toBe(true);
    expect(r.externalTrafficPolicy).toBeNull();
    expect(healthzTargets(buildContext(s), s.services[0] as Service)).toEqual([]);
  });

  it('a node named by an endpoint but not known as a Node still gets a row', () => {
    const s = live([
      node('n1', '192.0.2.21'),
      service('web', { type: 'NodePort', externalTrafficPolicy: 'Local' }),
      slice('web', [{ ready: true, node: 'ghost' }]),
    ]);
    const r = buildEndpointsReport(buildContext(s), s.services[0] as Service, { at });
    expect(r.nodes.map((n) => [n.node, n.receivesTraffic, n.dropsTraffic])).toEqual([
      ['n1', true, true],
      ['ghost', false, false],
    ]);
  });

  it('healthz answers decide what a node does, and disagreements with the slices are listed', () => {
    const s = snap(objects({ type: 'NodePort', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100 }));
    const ctx = buildContext(s);
    const svc = s.services[0] as Service;
    expect(healthzTargets(ctx, svc)).toEqual([
      { node: 'n1', address: '192.0.2.21' },
      { node: 'n2', address: '192.0.2.22' },
      { node: 'n3', address: '192.0.2.23' },
    ]);
    const h = (node: string, status: number | null, localEndpoints: number | null, error?: string) => ({
      node,
      address: `x-${node}`,
      status,
      localEndpoints,
      ms: 3,
      ...(error ? { error } : {}),
    });
    const r = buildEndpointsReport(ctx, svc, {
      at,
      healthz: [h('n1', 503, 0), h('n2', 200, 1), h('n3', null, null, 'connection refused')],
    });
    // n1: slices say 1 ready, kube-proxy says none: it drops. n2: kube-proxy has a local endpoint. n3: no answer, the slices decide.
    expect(r.nodes.map((n) => [n.node, n.dropsTraffic, n.healthz?.agrees])).toEqual([
      ['n1', true, false],
      ['n2', false, false],
      ['n3', true, null],
    ]);
    expect(r.blackholeNodes).toEqual(['n1', 'n3']);
    expect(r.healthzMismatches).toEqual(['n1', 'n2']);
    expect(r.healthzProbed).toBe(true);
    expect(toEndpointsProbe(r)).toEqual({
      service: { namespace: 'default', name: 'web' },
      healthCheckNodePort: 32100,
      at: at.toISOString(),
      answers: [
        { node: 'n1', address: 'x-n1', status: 503, localEndpoints: 0 },
        { node: 'n2', address: 'x-n2', status: 200, localEndpoints: 1 },
        { node: 'n3', address: 'x-n3', status: null, localEndpoints: null, error: 'connection refused' },
      ],
    });
  });

  it('a healthz answer without a count agrees when its status matches', () => {
    const s = snap(objects({ type: 'NodePort', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100 }));
    const r = buildEndpointsReport(buildContext(s), s.services[0] as Service, {
      at,
      healthz: [{ node: 'n1', address: 'a', status: 200, localEndpoints: null, ms: 1 }],
    });
    expect(r.nodes[0]!.healthz!.agrees).toBe(true);
  });
});

describe('nodeInternalIP', () => {
  it('prefers an IPv4 InternalIP', () => {
    const s = snap([
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'n' },
        status: {
          addresses: [
            { type: 'InternalIP', address: 'fd00::1' },
            { type: 'InternalIP', address: '192.0.2.9' },
          ],
        },
      } as never,
    ]);
    expect(nodeInternalIP(s.nodes[0]!)).toBe('192.0.2.9');
  });
});
