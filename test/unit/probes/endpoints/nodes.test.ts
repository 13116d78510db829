// Endpoints per node and Local-policy blackholes per node, from EndpointSlices or Pods. Pure.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../../src/discover/context.js';
import type { Service } from '../../../../src/model/snapshot.js';
import { endpointsByNode, nodeInternalIP } from '../../../../src/probes/endpoints/nodes.js';
import { buildEndpointsReport, healthzTargets, toEndpointsProbe } from '../../../../src/probes/endpoints/report.js';
import { live, node, pod, service, slice, snap } from '../../discover/builders.js';

const at = new Date('2026-11-27T12:00:00Z');
const nodes = [node('n1', '192.0.2.21'), node('n2', '192.0.2.22'), node('n3', '192.0.2.23')];

describe('endpointsByNode', () => {
  it('counts ready and not-ready endpoints per node from the slices', () => {
    const s = snap([...nodes, service('web', {}), slice('web', [{ ready: true, node: 'n1' }, { ready: true, node: 'n1' }, { ready: false, node: 'n2' }, { node: 'n3' }, { ready: true }])]);
    const r = endpointsByNode(buildContext(s), s.services[0] as Service);
    expect(r).toEqual({
      from: 'endpointslices', ready: 4, total: 5,
      nodes: [{ node: 'n1', ready: 2, notReady: 0 }, { node: 'n2', ready: 0, notReady: 1 }, { node: 'n3', ready: 1, notReady: 0 }],
      unassigned: { ready: 1, notReady: 0 },
    });
  });

  it('counts one address family of a dual-stack Service, as discover does', () => {
    const s = snap([service('web', {}), slice('web', [{ ready: true, node: 'n1' }], 'IPv4'), slice('web', [{ ready: true, node: 'n1' }], 'IPv6')]);
    expect(endpointsByNode(buildContext(s), s.services[0] as Service).nodes).toEqual([{ node: 'n1', ready: 1, notReady: 0 }]);
  });

  it('falls back to the selected Pods without slices', () => {
    const s = snap([service('web', {}), pod('a', { app: 'web' }, true, 'n2'), pod('b', { app: 'web' }, false, 'n2'), pod('c', { app: 'other' }, true, 'n1')]);
    expect(endpointsByNode(buildContext(s), s.services[0] as Service)).toMatchObject({ from: 'pods', ready: 1, total: 2, nodes: [{ node: 'n2', ready: 1, notReady: 1 }] });
  });

  it('knows nothing from files without slices or Pods', () => {
    const s = snap([service('web', {})]);
    expect(endpointsByNode(buildContext(s), s.services[0] as Service)).toMatchObject({ from: 'none', nodes: [] });
  });
});

describe('buildEndpointsReport: Local-policy blackholes per node', () => {
  const objects = (spec: Record<string, unknown>) => [...nodes, service('web', spec), slice('web', [{ ready: true, node: 'n1' }, { ready: false, node: 'n2' }])];

  it('NodePort with Local: every node receives traffic; n2 and n3 have no ready endpoint and drop it', () => {
    const s = snap(objects({ type: 'NodePort', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100 }));
    const r = buildEndpointsReport(buildContext(s), s.services[0] as Service, { at });
    expect(r.blackholeNodes).toEqual(['n2', 'n3']);
    expect(r.nodes.map((n) => [n.node, n.ready, n.notReady, n.receivesTraffic, n.dropsTraffic])).toEqual([
      ['n1', 1, 0, true, false], ['n2', 0, 1, true, true], ['n3', 0, 0, true, true],
    ]);
    expect(r).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100, healthzProbed: false, endpoints: { ready: 1, total: 2 } });
  });

  it('LoadBalancer with Local: the same with kube-proxy on every node', () => {
    const s = snap(objects({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
    expect(buildEndpointsReport(buildContext(s), s.services[0] as Service, { at }).blackholeNodes).toEqual(['n2', 'n3']);
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
    const s = live([node('n1', '192.0.2.21'), service('web', { type: 'NodePort', externalTrafficPolicy: 'Local' }), slice('web', [{ ready: true, node: 'ghost' }])]);
    const r = buildEndpointsReport(buildContext(s), s.services[0] as Service, { at });
    expect(r.nodes.map((n) => [n.node, n.receivesTraffic, n.dropsTraffic])).toEqual([['n1', true, true], ['ghost', false, false]]);
  });

  it('healthz answers decide what a node does, and disagreements with the slices are listed', () => {
    const s = snap(objects({ type: 'NodePort', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100 }));
    const ctx = buildContext(s);
    const svc = s.services[0] as Service;
    expect(healthzTargets(ctx, svc)).toEqual([{ node: 'n1', address: '192.0.2.21' }, { node: 'n2', address: '192.0.2.22' }, { node: 'n3', address: '192.0.2.23' }]);
    const h = (node: string, status: number | null, localEndpoints: number | null, error?: string) =>
      ({ node, address: `x-${node}`, status, localEndpoints, ms: 3, ...(error ? { error } : {}) });
    const r = buildEndpointsReport(ctx, svc, { at, healthz: [h('n1', 503, 0), h('n2', 200, 1), h('n3', null, null, 'connection refused')] });
    // n1: slices say 1 ready, kube-proxy says none: it drops. n2: kube-proxy has a local endpoint. n3: no answer, the slices decide.
    expect(r.nodes.map((n) => [n.node, n.dropsTraffic, n.healthz?.agrees])).toEqual([['n1', true, false], ['n2', false, false], ['n3', true, null]]);
    expect(r.blackholeNodes).toEqual(['n1', 'n3']);
    expect(r.healthzMismatches).toEqual(['n1', 'n2']);
    expect(r.healthzProbed).toBe(true);
    expect(toEndpointsProbe(r)).toEqual({
      service: { namespace: 'default', name: 'web' }, healthCheckNodePort: 32100, at: at.toISOString(),
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
      at, healthz: [{ node: 'n1', address: 'a', status: 200, localEndpoints: null, ms: 1 }],
    });
    expect(r.nodes[0]!.healthz!.agrees).toBe(true);
  });
});

describe('nodeInternalIP', () => {
  it('prefers an IPv4 InternalIP', () => {
    const s = snap([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { addresses: [{ type: 'InternalIP', address: 'fd00::1' }, { type: 'InternalIP', address: '192.0.2.9' }] } } as never]);
    expect(nodeInternalIP(s.nodes[0]!)).toBe('192.0.2.9');
  });
});
