import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/discover/context.js';
import { dnsFacts, externalDnsAnnotation, parseTtl } from '../../../src/discover/external-dns.js';
import { discoverExposures } from '../../../src/discover/index.js';
import { ingress, lbStatus, node, pod, service, snap, workload } from './builders.js';
import { dnsEndpoint } from './external-dns-builders.js';

const names = (objects: Parameters<typeof snap>[0], source: 'files' | 'cluster' = 'files') =>
  dnsFacts(buildContext(snap(objects, source))).names.map((n) => ({
    name: n.name,
    scope: n.scope,
    source: `${n.source.kind} ${n.source.namespace}/${n.source.name}`,
    targets: n.targets,
    explicit: n.explicitTargets,
    ...(n.ttl !== undefined ? { ttl: n.ttl } : {}),
  }));

describe('external-dns names', () => {
  it('reads both annotation prefixes; the current one wins over the legacy one', () => {
    expect(externalDnsAnnotation({ 'external-dns.alpha.kubernetes.io/hostname': 'a.example.com' }, 'hostname')).toEqual(
      {
        value: 'a.example.com',
        key: 'external-dns.alpha.kubernetes.io/hostname',
      },
    );
    expect(
      externalDnsAnnotation(
        {
          'external-dns.alpha.kubernetes.io/hostname': 'old.example.com',
          'external-dns.kubernetes.io/hostname': 'new.example.com',
        },
        'hostname',
      )?.value,
    ).toBe('new.example.com');
  });

  it('ttl: seconds or a Go duration; 0 and garbage are no ttl', () => {
    expect([parseTtl('300'), parseTtl('1m30s'), parseTtl('1h'), parseTtl('0'), parseTtl('soon'), parseTtl('')]).toEqual(
      [300, 90, 3600, undefined, undefined, undefined],
    );
  });

  it('a LoadBalancer Service: hostname names point at its status addresses; internal-hostname at the ClusterIP', () => {
    const svc = service(
      'web',
      { type: 'LoadBalancer', clusterIP: '10.96.0.10' },
      {
        annotations: {
          'external-dns.kubernetes.io/hostname': 'Shop.Example.com., api.example.com',
          'external-dns.kubernetes.io/internal-hostname': 'web.internal.example.com',
          'external-dns.kubernetes.io/ttl': '60',
        },
      },
      lbStatus('198.51.100.10'),
    );
    expect(names([svc])).toEqual([
      {
        name: 'shop.example.com',
        scope: 'external',
        source: 'Service default/web',
        targets: ['198.51.100.10'],
        explicit: false,
        ttl: 60,
      },
      {
        name: 'api.example.com',
        scope: 'external',
        source: 'Service default/web',
        targets: ['198.51.100.10'],
        explicit: false,
        ttl: 60,
      },
      {
        name: 'web.internal.example.com',
        scope: 'internal',
        source: 'Service default/web',
        targets: ['10.96.0.10'],
        explicit: false,
        ttl: 60,
      },
    ]);
  });

  it('a target annotation replaces the addresses; a NodePort Service points at node addresses (private: InternalIPs)', () => {
    const nodes = [node('n1', '192.0.2.11', { external: '203.0.113.11' }), node('n2', '192.0.2.12')];
    const np = (access?: string) =>
      service(
        'np',
        { type: 'NodePort' },
        {
          annotations: {
            'external-dns.kubernetes.io/hostname': 'np.example.com',
            ...(access ? { 'external-dns.kubernetes.io/access': access } : {}),
          },
        },
      );
    expect(names([...nodes, np()])[0]!.targets).toEqual(['203.0.113.11', '192.0.2.12']);
    expect(names([...nodes, np('private')])[0]!.targets).toEqual(['192.0.2.11', '192.0.2.12']);
    const pinned = service(
      'pinned',
      { type: 'LoadBalancer' },
      {
        annotations: {
          'external-dns.alpha.kubernetes.io/hostname': 'pinned.example.com',
          'external-dns.alpha.kubernetes.io/target': '192.0.2.50,lb.example.net',
        },
      },
      lbStatus('198.51.100.10'),
    );
    expect(names([pinned])).toEqual([
      expect.objectContaining({
        name: 'pinned.example.com',
        targets: ['192.0.2.50', 'lb.example.net'],
        explicit: true,
      }),
    ]);
  });

  it('an Ingress counts only with an external-dns annotation; its rule hosts join the annotation names', () => {
    const rules = [{ host: 'www.example.com', http: { paths: [] } }];
    const plain = ingress('plain', { rules }, {}, lbStatus('198.51.100.20'));
    const annotated = ingress(
      'site',
      { rules },
      { annotations: { 'external-dns.kubernetes.io/hostname': 'site.example.com' } },
      lbStatus('198.51.100.20'),
    );
    const only = ingress(
      'only',
      { rules },
      {
        annotations: {
          'external-dns.kubernetes.io/hostname': 'only.example.com',
          'external-dns.kubernetes.io/ingress-hostname-source': 'annotation-only',
        },
      },
      lbStatus('198.51.100.20'),
    );
    expect(names([plain, annotated, only]).map((n) => [n.source, n.name, n.targets])).toEqual([
      ['Ingress default/site', 'site.example.com', ['198.51.100.20']],
      ['Ingress default/site', 'www.example.com', ['198.51.100.20']],
      ['Ingress default/only', 'only.example.com', ['198.51.100.20']],
    ]);
  });

  it("a hostNetwork workload's pod template hostname points at the ExternalIPs of the nodes its Pods run on (pod source)", () => {
    const ds = workload('DaemonSet', 'edge', {
      hostNetwork: true,
      containers: [{ name: 'haproxy', image: 'haproxy:3.2', ports: [{ containerPort: 443 }] }],
    });
    (ds.spec as { template: { metadata: Record<string, unknown> } }).template.metadata.annotations = {
      'external-dns.kubernetes.io/hostname': 'edge.example.com',
    };
    const objects = [
      node('n1', '192.0.2.11', { external: '203.0.113.11' }),
      node('n2', '192.0.2.12', { external: '203.0.113.12' }),
      // IPv4 InternalIP only: external-dns's pod source publishes nothing for it.
      node('n3', '192.0.2.13'),
      pod('edge-a', { app: 'edge' }, true, 'n1'),
      pod('edge-c', { app: 'edge' }, true, 'n3'),
      ds,
    ];
    expect(names(objects, 'cluster')).toEqual([
      {
        name: 'edge.example.com',
        scope: 'external',
        source: 'DaemonSet default/edge',
        targets: ['203.0.113.11'],
        explicit: false,
      },
    ]);
  });

  it('DNSEndpoint: A, AAAA and CNAME endpoints count; TXT does not', () => {
    const ep = dnsEndpoint('shop', [
      { dnsName: 'shop.example.com', targets: ['192.0.2.11', '192.0.2.12'], recordType: 'A', recordTTL: 180 },
      { dnsName: 'alias.example.com', targets: ['shop.example.com.'], recordType: 'CNAME' },
      { dnsName: 'txt.example.com', targets: ['"v=spf1 -all"'], recordType: 'TXT' },
    ]);
    expect(names([ep])).toEqual([
      {
        name: 'shop.example.com',
        scope: 'external',
        source: 'DNSEndpoint default/shop',
        targets: ['192.0.2.11', '192.0.2.12'],
        explicit: true,
        ttl: 180,
      },
      {
        name: 'alias.example.com',
        scope: 'external',
        source: 'DNSEndpoint default/shop',
        targets: ['shop.example.com'],
        explicit: true,
      },
    ]);
  });

  it('list rows carry the names that point at their addresses (DNS-NAMES)', () => {
    const svc = service(
      'web',
      { type: 'LoadBalancer' },
      { annotations: { 'external-dns.kubernetes.io/hostname': 'web.example.com' } },
      lbStatus('198.51.100.10'),
    );
    const rows = discoverExposures(
      snap([svc, dnsEndpoint('extra', [{ dnsName: 'www.example.com', targets: ['198.51.100.10'] }])]),
    );
    expect(rows.map((r) => [r.name, r.mode, r.dnsNames])).toEqual([
      ['web', 'loadbalancer', ['web.example.com', 'www.example.com']],
    ]);
  });
});
