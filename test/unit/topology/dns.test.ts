import { describe, expect, it } from 'vitest';
import { renderDescription } from '../../../src/render/topology/describe-text.js';
import { buildTopology } from '../../../src/topology/build.js';
import { describeService } from '../../../src/topology/describe.js';
import { lbStatus, service, slice, snap } from '../discover/builders.js';
import { dnsEndpoint } from '../discover/external-dns-builders.js';

const web = service(
  'web',
  { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
  { annotations: { 'external-dns.kubernetes.io/hostname': 'web.example.com' } },
  lbStatus('198.51.100.10'),
);

describe('topology: the path starts at the name', () => {
  it('client -> name -> address replaces client -> address for addresses a name points at', () => {
    const t = buildTopology(snap([web, slice('web', [{ ready: true }])]));
    const edges = t.edges.map((e) => `${e.from} -> ${e.to}${e.label ? ` [${e.label}]` : ''}`);
    expect(edges).toContain('client -> name:web.example.com');
    expect(edges.find((e) => e.startsWith('name:web.example.com ->'))).toMatch(
      /^name:web\.example\.com -> address:198\.51\.100\.10 \[198\.51\.100\.10 · 80\/TCP\]$/,
    );
    expect(edges.some((e) => e.startsWith('client -> address:'))).toBe(false);
    const name = t.nodes.find((n) => n.kind === 'name')!;
    expect(name).toMatchObject({ label: 'web.example.com', namespace: null, addresses: ['198.51.100.10'] });
    expect(name.details?.[0]).toBe('from Service default/web (annotation external-dns.kubernetes.io/hostname)');
  });

  it('two names (annotation and DNSEndpoint) meet on one address; describe lists them', () => {
    const s = snap([
      web,
      dnsEndpoint('www', [{ dnsName: 'www.example.com', targets: ['198.51.100.10', '203.0.113.1'] }]),
    ]);
    const t = buildTopology(s, { service: { namespace: 'default', name: 'web' } });
    expect(t.nodes.filter((n) => n.kind === 'name').map((n) => n.label)).toEqual([
      'web.example.com',
      'www.example.com',
    ]);
    const d = describeService(s, { namespace: 'default', name: 'web' }, [], t, { findings: null });
    expect(d.dnsNames).toEqual([
      {
        name: 'web.example.com',
        addresses: ['198.51.100.10'],
        targets: ['198.51.100.10'],
        from: 'Service default/web (annotation external-dns.kubernetes.io/hostname)',
      },
      {
        name: 'www.example.com',
        addresses: ['198.51.100.10'],
        targets: ['198.51.100.10', '203.0.113.1'],
        from: 'DNSEndpoint default/www (spec.endpoints[0])',
      },
    ]);
    const text = renderDescription(d);
    expect(text).toMatch(/DNS Names:\n {2}web\.example\.com -> 198\.51\.100\.10 {2}\(from Service default\/web/);
  });

  it('no names: the client still goes straight to the address', () => {
    const plain = service('web', { type: 'LoadBalancer' }, {}, lbStatus('198.51.100.10'));
    const t = buildTopology(snap([plain]));
    expect(t.edges.map((e) => e.id)).toContain('client->address:198.51.100.10');
  });
});
