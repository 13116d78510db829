import { describe, expect, it } from 'vitest';
import { localPolicyBlackholeFindings } from '../../../src/analyzers/probe-endpoints.js';
import { buildContext } from '../../../src/discover/context.js';
import { buildEndpointsReport } from '../../../src/discover/endpoints-report.js';
import type { Service } from '../../../src/model/snapshot.js';
import { node, service, slice, snap } from '../../helpers/builders.js';

const at = new Date('2026-11-27T12:00:00Z');
const report = (
  spec: Record<string, unknown>,
  eps: Parameters<typeof slice>[1],
  healthz?: Parameters<typeof buildEndpointsReport>[2]['healthz'],
) => {
  const s = snap([
    node('n1', '192.0.2.21'),
    node('n2', '192.0.2.22'),
    service('web', spec, { namespace: 'shop' }),
    slice('web', eps, 'IPv4', 'web-x', 'shop'),
  ]);
  return buildEndpointsReport(buildContext(s), s.services[0] as Service, { at, ...(healthz ? { healthz } : {}) });
};

describe('localPolicyBlackholeFindings', () => {
  it('reports the nodes that drop traffic, with their addresses (warning)', () => {
    const f = localPolicyBlackholeFindings(
      report({ type: 'NodePort', externalTrafficPolicy: 'Local' }, [{ ready: true, node: 'n1' }]),
    );
    expect(f.map((x) => [x.code, x.severity, x.subject])).toEqual([
      ['endpoints/local-policy-blackhole', 'warning', { kind: 'Service', namespace: 'shop', name: 'web' }],
    ]);
    expect(f[0]!.message).toContain('(n2: 192.0.2.22)');
    expect(f[0]!.message).toContain('ready endpoints on n1');
    expect(f[0]!.fix).toContain('spec.externalTrafficPolicy: Cluster on shop/web');
  });

  it("names kube-proxy's health check when it said so, and a stale count", () => {
    const f = localPolicyBlackholeFindings(
      report(
        { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100 },
        [
          { ready: true, node: 'n1' },
          { ready: true, node: 'n2' },
        ],
        [
          { node: 'n1', address: '192.0.2.21', status: 200, localEndpoints: 1, ms: 1 },
          { node: 'n2', address: '192.0.2.22', status: 503, localEndpoints: 0, ms: 1 },
        ],
      ),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('health check (port 32100/healthz) answers 503');
    expect(f[0]!.message).toContain('on n2 the EndpointSlices list a ready endpoint that kube-proxy does not count');
  });

  it("nothing with Cluster policy, with every node served, or with no ready endpoint at all (endpoints/none-ready's case)", () => {
    expect(localPolicyBlackholeFindings(report({ type: 'NodePort' }, [{ ready: true, node: 'n1' }]))).toEqual([]);
    expect(
      localPolicyBlackholeFindings(
        report({ type: 'NodePort', externalTrafficPolicy: 'Local' }, [
          { ready: true, node: 'n1' },
          { ready: true, node: 'n2' },
        ]),
      ),
    ).toEqual([]);
    expect(
      localPolicyBlackholeFindings(
        report({ type: 'NodePort', externalTrafficPolicy: 'Local' }, [{ ready: false, node: 'n1' }]),
      ),
    ).toEqual([]);
  });
});
