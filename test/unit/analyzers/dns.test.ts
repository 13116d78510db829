import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runAnalyzers } from '../../../src/analyzers/registry.js';
import { dnsEndpoint } from '../discover/external-dns-builders.js';
import { snapshotFromText } from './catalogue-helpers.js';
import { clock, diagnose, factsOf, lbStatus, node, pairs, pod, service, snapshotOf, workload } from './helpers.js';

const edgeDaemonSet = (annotations: Record<string, string> = {}) => {
  const ds = workload('DaemonSet', 'edge', {
    hostNetwork: true,
    nodeSelector: { role: 'edge' },
    containers: [{ name: 'haproxy', image: 'haproxy:3.2', ports: [{ containerPort: 443 }] }],
  });
  (ds.spec as { template: { metadata: Record<string, unknown> } }).template.metadata.annotations = annotations;
  return ds;
};
const nodes = [
  node('edge-1', '192.0.2.11', { labels: { role: 'edge' } }),
  node('edge-2', '192.0.2.12', { labels: { role: 'edge' } }),
  node('worker-1', '192.0.2.21'),
];
const dnsFindings = (objects: Parameters<typeof snapshotOf>[0], source: 'files' | 'cluster' = 'files') =>
  diagnose(snapshotOf(objects, source)).filter((f) => f.check === 'dns');

describe('dns: names against the ways in', () => {
  it('a DNSEndpoint that points at a node without the gateway: dns/gateway-not-on-node, naming the node', () => {
    const f = dnsFindings([
      ...nodes,
      edgeDaemonSet(),
      dnsEndpoint('shop', [{ dnsName: 'shop.example.com', targets: ['192.0.2.11', '192.0.2.21'] }]),
    ]);
    expect(pairs(f)).toEqual([['dns/gateway-not-on-node', 'DNSEndpoint default/shop']]);
    expect(f[0]!.message).toContain('192.0.2.21 (node worker-1)');
    expect(f[0]!.message).not.toContain('192.0.2.11 (node');
  });

  it("the gateway's own target annotation pointing beyond its nodes is judged against that gateway", () => {
    const ds = edgeDaemonSet({
      'external-dns.kubernetes.io/hostname': 'edge.example.com',
      'external-dns.kubernetes.io/target': '192.0.2.11,192.0.2.12,192.0.2.21',
    });
    const f = dnsFindings([...nodes, ds]);
    expect(pairs(f)).toEqual([['dns/gateway-not-on-node', 'DaemonSet default/edge']]);
    // Live, with the Pods on edge-1 only: edge-2 (schedulable, no Pod) is not a gateway node either.
    const live = dnsFindings([...nodes, ds, pod('edge-a', { app: 'edge' }, true, 'edge-1')], 'cluster');
    expect(live[0]!.message).toMatch(/192\.0\.2\.12 \(node edge-2\), 192\.0\.2\.21 \(node worker-1\)/);
  });

  it('names pointing only at gateway nodes, at a NodePort (every node) or at a LoadBalancer address: no finding', () => {
    expect(
      dnsFindings([
        ...nodes,
        edgeDaemonSet(),
        dnsEndpoint('ok', [{ dnsName: 'ok.example.com', targets: ['192.0.2.11', '192.0.2.12'] }]),
      ]),
    ).toEqual([]);
    expect(
      dnsFindings([
        ...nodes,
        service('np', { type: 'NodePort' }),
        dnsEndpoint('np', [{ dnsName: 'np.example.com', targets: ['192.0.2.21'] }]),
      ]),
    ).toEqual([]);
    expect(
      dnsFindings([
        ...nodes,
        service(
          'web',
          { type: 'LoadBalancer' },
          { annotations: { 'external-dns.kubernetes.io/hostname': 'web.example.com' } },
          lbStatus('198.51.100.10'),
        ),
      ]),
    ).toEqual([]);
  });

  it('a name pointing at an address nothing serves: dns/target-unserved when the input is complete, not from partial files', async () => {
    const stale = dnsEndpoint('old', [
      { dnsName: 'old.example.com', targets: ['203.0.113.50'] },
      { dnsName: 'cname.example.com', targets: ['elsewhere.example.net'], recordType: 'CNAME' },
    ]);
    // Read as files are read: an input holding Nodes stands for the whole cluster.
    const fromFiles = async (objects: unknown[]) => {
      const s = await snapshotFromText(objects.map((o) => stringify(o)).join('---\n'));
      return runAnalyzers(factsOf(s), clock).findings.filter((f) => f.check === 'dns');
    };
    // A Service in the input (whose address changed): an input with Nodes and Services stands for the cluster.
    const moved = service('shop', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.11'));
    expect(pairs(await fromFiles([...nodes, moved, stale]))).toEqual([
      ['dns/target-unserved', 'DNSEndpoint default/old'],
    ]);
    expect(await fromFiles([moved, stale])).toEqual([]);
    expect(pairs(dnsFindings([stale], 'cluster'))).toEqual([['dns/target-unserved', 'DNSEndpoint default/old']]);
    // Files without Nodes or Services: the address may be served by what the input does not hold.
    expect(dnsFindings([stale])).toEqual([]);
    expect(await fromFiles([...nodes, stale])).toEqual([]);
  });

  it('diagnose dns SERVICE: only the names of that Service or pointing at its addresses', () => {
    const web = service(
      'web',
      { type: 'LoadBalancer' },
      {
        annotations: {
          'external-dns.kubernetes.io/hostname': 'web.example.com',
          'external-dns.kubernetes.io/target': '203.0.113.9',
        },
      },
      lbStatus('198.51.100.10'),
    );
    const other = dnsEndpoint('old', [{ dnsName: 'old.example.com', targets: ['203.0.113.50'] }]);
    const f = diagnose(snapshotOf([...nodes, web, other]), { service: { namespace: 'default', name: 'web' } }).filter(
      (x) => x.check === 'dns',
    );
    expect(pairs(f)).toEqual([['dns/target-unserved', 'Service default/web']]);
  });
});
