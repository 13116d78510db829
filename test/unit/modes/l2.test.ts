import { describe, expect, it } from 'vitest';
import type { ExposeFacts, ExposeSpec } from '../../../src/modes/index.js';
import {
  expectGolden,
  expectOK,
  expectOwnedLabels,
  expectProblem,
  l2ad,
  type ProblemCase,
  pool,
  svc,
} from './helpers.js';

const web = svc('web');
const base: ExposeSpec = { service: web, mode: 'l2' };
const publicPool = pool('public', ['198.51.100.0/29']);
const dnsTCP = svc('dns-tcp', {
  namespace: 'infra',
  type: 'LoadBalancer',
  ip: '198.51.100.3',
  selector: { app: 'dns' },
  ports: [{ name: 'dns', port: 53, protocol: 'TCP' }],
  annotations: { 'metallb.io/allow-shared-ip': 'dns' },
});
const facts: ExposeFacts = {
  services: [web, dnsTCP],
  pools: [publicPool, pool('lab', ['10.20.0.10-10.20.0.20'], { autoAssign: false })],
  l2Advertisements: [l2ad('public', ['public'])],
  bgpAdvertisements: [],
};

describe('l2 manifests (golden)', () => {
  const cases: Array<{ name: string; spec: Partial<ExposeSpec>; facts?: ExposeFacts; note?: RegExp }> = [
    { name: 'addresses-range', spec: { addresses: ['203.0.113.10-203.0.113.20'] }, facts },
    {
      name: 'addresses-no-facts',
      spec: { addresses: ['203.0.113.10 - 203.0.113.20', '203.0.113.64/28', '203.0.113.99'] },
      note: /./,
    },
    {
      name: 'addresses-ipv6',
      spec: {
        service: svc('web', { ipFamilies: ['IPv6'] }),
        addresses: ['2001:db8:100::/120'],
        ip: '2001:db8:100::10',
      },
      facts,
    },
    { name: 'pool-with-ip', spec: { pool: 'public', ip: '198.51.100.5' }, facts },
    { name: 'pool-without-advertisement', spec: { pool: 'lab' }, facts },
    {
      name: 'pool-interfaces-node-selectors',
      spec: {
        pool: 'public',
        interfaces: ['eth1', 'bond0.100'],
        nodeSelectors: [{ 'node-role.kubernetes.io/edge': '' }, { zone: 'a' }],
      },
      facts,
      note: /L2Advertisement public already announces pool public from every node/,
    },
    {
      name: 'share-ip',
      spec: {
        service: svc('dns-udp', {
          namespace: 'infra',
          selector: { app: 'dns' },
          ports: [{ name: 'dns-udp', port: 53, protocol: 'UDP' }],
        }),
        pool: 'public',
        shareIP: 'dns',
      },
      facts,
      note: /shares 198\.51\.100\.3 with infra\/dns-tcp/,
    },
    {
      name: 'ip-shared-explicitly',
      spec: {
        service: svc('dns-udp', {
          namespace: 'infra',
          selector: { app: 'dns' },
          ports: [{ port: 53, protocol: 'UDP' }],
        }),
        ip: '198.51.100.3',
        shareIP: 'dns',
      },
      facts,
    },
    {
      name: 'mixed-protocols',
      spec: {
        service: svc('dns', {
          ports: [
            { name: 'dns-tcp', port: 53, protocol: 'TCP' },
            { name: 'dns-udp', port: 53, protocol: 'UDP' },
          ],
        }),
        pool: 'public',
      },
      facts,
      note: /mixes TCP and UDP/,
    },
    {
      name: 'preserve-sticky',
      spec: { addresses: ['203.0.113.10-203.0.113.20'], preserveSourceIP: true, sticky: true, stickyTimeout: 3600 },
      facts,
    },
    { name: 'in-place', spec: { inPlace: true, pool: 'public', ip: '198.51.100.6', preserveSourceIP: true }, facts },
    { name: 'auto-assign', spec: {}, facts: { ...facts, pools: [publicPool] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const spec = { ...base, ...c.spec };
      const { manifests, notes } = expectOK(spec, c.facts);
      expectOwnedLabels(manifests, spec.service.metadata.name!);
      expectGolden(`l2/${c.name}`, manifests);
      if (c.note) expect(notes.join('\n')).toMatch(c.note);
    });
  }

  it('re-running over its own pool and Service changes nothing (idempotent)', () => {
    const spec: ExposeSpec = { ...base, addresses: ['203.0.113.10-203.0.113.11'], ip: '203.0.113.11' };
    const first = expectOK(spec, facts).manifests;
    const created = (kind: string) => first.find((o) => o.kind === kind)!;
    const lb = { ...created('Service'), status: { loadBalancer: { ingress: [{ ip: '203.0.113.11' }] } } };
    const again = expectOK(spec, {
      ...facts,
      services: [...facts.services!, lb as never],
      pools: [...facts.pools!, created('IPAddressPool')],
      l2Advertisements: [...facts.l2Advertisements!, created('L2Advertisement')],
    }).manifests;
    expect(again).toEqual(first);
  });

  it('a pool with one address left is not exhausted', () => {
    const small = pool('small', ['192.0.2.1-192.0.2.2']);
    const user = svc('a', { type: 'LoadBalancer', ip: '192.0.2.1' });
    expectOK(
      { ...base, pool: 'small' },
      { ...facts, pools: [small], l2Advertisements: [l2ad('all')], services: [user] },
    );
  });

  it('Services with Local policy and the same selector may share', () => {
    const a = svc('a', {
      type: 'LoadBalancer',
      ip: '198.51.100.2',
      etp: 'Local',
      selector: { app: 'web' },
      ports: [{ port: 443 }],
      annotations: { 'metallb.io/allow-shared-ip': 'k' },
    });
    expectOK({ ...base, ip: '198.51.100.2', shareIP: 'k', preserveSourceIP: true }, { ...facts, services: [a] });
  });
});

const full = (svcs: ReturnType<typeof svc>[]): ExposeFacts => ({ ...facts, services: svcs });

describe('l2 problems', () => {
  const cases: ProblemCase[] = [
    {
      name: 'pool missing',
      spec: { pool: 'nope' },
      facts,
      field: 'pool',
      message: 'IPAddressPool nope does not exist (pools: public, lab)',
      code: 'lb/no-pool',
    },
    {
      name: 'pool and addresses',
      spec: { pool: 'public', addresses: ['10.0.0.1/32'] },
      facts,
      field: 'pool',
      message: 'not both',
    },
    {
      name: 'bad address',
      spec: { addresses: ['198.51.100.300-198.51.100.301'] },
      field: 'addresses',
      message: '198.51.100.300 is not an IP address',
    },
    {
      name: 'reversed range',
      spec: { addresses: ['10.0.0.5-10.0.0.1'] },
      field: 'addresses',
      message: 'first address is after the last',
    },
    {
      name: 'mixed-family range',
      spec: { addresses: ['10.0.0.1-2001:db8::1'] },
      field: 'addresses',
      message: 'mixes IPv4 and IPv6',
    },
    {
      name: 'CIDR too long',
      spec: { addresses: ['10.0.0.0/33'] },
      field: 'addresses',
      message: 'prefix length 33 is too long',
    },
    {
      name: 'not an address at all',
      spec: { addresses: ['public'] },
      field: 'addresses',
      message: 'not an IP address, a FIRST-LAST range or a CIDR',
    },
    {
      name: 'entries overlap each other',
      spec: { addresses: ['10.0.0.0/24', '10.0.0.128-10.0.0.130'] },
      field: 'addresses',
      message: '10.0.0.0/24 overlaps 10.0.0.128-10.0.0.130',
    },
    {
      name: "pool name taken by another Service's pool",
      spec: { service: svc('b-web', { namespace: 'a' }), addresses: ['10.9.0.0/24'] },
      facts: {
        pools: [
          {
            ...pool('exposectl-a-b-web', ['10.8.0.0/24']),
            metadata: {
              name: 'exposectl-a-b-web',
              namespace: 'metallb-system',
              labels: { 'exposectl.dev/service': 'web', 'exposectl.dev/service-namespace': 'a-b' },
            },
          },
        ],
      },
      field: 'addresses',
      message: "IPAddressPool exposectl-a-b-web already exists and is not exposectl's pool for a/b-web",
    },
    {
      name: 'overlap with an existing pool',
      spec: { addresses: ['198.51.100.6-198.51.100.9'] },
      facts,
      field: 'addresses',
      message: 'overlaps 198.51.100.0/29 of IPAddressPool public',
      code: 'lb/pool-overlap',
    },
    {
      name: 'ip not in the given pool',
      spec: { pool: 'public', ip: '198.51.100.9' },
      facts,
      field: 'ip',
      message: 'ip not in pool',
      code: 'lb/ip-not-in-pool',
    },
    {
      name: 'ip not in the created pool',
      spec: { addresses: ['203.0.113.10-203.0.113.20'], ip: '203.0.113.21' },
      field: 'ip',
      message: 'ip not in pool',
      code: 'lb/ip-not-in-pool',
    },
    {
      name: 'ip in no pool',
      spec: { ip: '192.0.2.77' },
      facts,
      field: 'ip',
      message: 'ip not in pool: 192.0.2.77 is in no IPAddressPool',
      code: 'lb/ip-not-in-pool',
    },
    { name: 'ip not an address', spec: { ip: '198.51.100' }, field: 'ip', message: 'is not an IP address' },
    {
      name: 'ip family differs from the Service',
      spec: { service: svc('web', { ipFamilies: ['IPv4'] }), addresses: ['2001:db8::/120'], ip: '2001:db8::5' },
      field: 'ip',
      message: 'has ipFamilies IPv4',
    },
    {
      name: 'pool exhausted',
      spec: { pool: 'tiny' },
      facts: {
        pools: [pool('tiny', ['192.0.2.1-192.0.2.2'])],
        l2Advertisements: [],
        bgpAdvertisements: [],
        services: [
          svc('a', { type: 'LoadBalancer', ip: '192.0.2.1' }),
          svc('b', { type: 'LoadBalancer', annotations: { 'metallb.io/address-pool': 'tiny' } }),
        ],
      },
      field: 'pool',
      message: 'has no free address (2 in all, used by shop/a, shop/b)',
      code: 'lb/pool-exhausted',
    },
    {
      name: 'avoidBuggyIPs leaves nothing',
      spec: { pool: 'edge' },
      facts: { pools: [pool('edge', ['10.0.0.255-10.0.1.0'], { avoidBuggyIPs: true })], services: [] },
      field: 'pool',
      message: 'no free address',
      code: 'lb/pool-exhausted',
    },
    {
      name: 'pool restricted to other namespaces',
      spec: { pool: 'team' },
      facts: { pools: [pool('team', ['10.1.0.0/24'], { serviceAllocation: { namespaces: ['team-a'] } })] },
      field: 'pool',
      message: 'serves only namespaces team-a, not shop',
      code: 'lb/no-pool',
    },
    {
      name: 'no auto-assign pool',
      spec: {},
      facts: { ...facts, pools: [pool('lab', ['10.20.0.0/24'], { autoAssign: false })] },
      field: 'pool',
      message: 'no IPAddressPool with autoAssign',
      code: 'lb/no-pool',
    },
    {
      name: 'auto-assign pools not announced',
      spec: {},
      facts: { ...facts, l2Advertisements: [l2ad('other', ['lab'])] },
      field: 'pool',
      message: 'no L2Advertisement announces',
      code: 'lb/no-advertisement',
    },
    {
      name: 'auto-assign pools exhausted',
      spec: {},
      facts: {
        ...facts,
        pools: [pool('one', ['192.0.2.9/32'])],
        l2Advertisements: [l2ad('all')],
        services: [svc('x', { type: 'LoadBalancer', ip: '192.0.2.9' })],
      },
      field: 'pool',
      message: 'have no free address',
      code: 'lb/pool-exhausted',
    },
    {
      name: 'ip held by a Service without key',
      spec: { pool: 'public', ip: '198.51.100.4' },
      facts: full([svc('a', { type: 'LoadBalancer', ip: '198.51.100.4', ports: [{ port: 443 }] })]),
      field: 'ip',
      message: 'shop/a has no metallb.io/allow-shared-ip key',
      code: 'lb/sharing-conflict',
    },
    {
      name: 'sharing key differs',
      spec: {
        ip: '198.51.100.3',
        shareIP: 'other',
        service: svc('dns-udp', {
          namespace: 'infra',
          selector: { app: 'dns' },
          ports: [{ port: 53, protocol: 'UDP' }],
        }),
      },
      facts,
      field: 'shareIP',
      message: 'sharing key "other" differs from infra/dns-tcp\'s "dns"',
      code: 'lb/sharing-conflict',
    },
    {
      name: 'sharing on the same port',
      spec: {
        ip: '198.51.100.3',
        shareIP: 'dns',
        service: svc('dns2', { namespace: 'infra', selector: { app: 'dns' }, ports: [{ port: 53, protocol: 'TCP' }] }),
      },
      facts,
      field: 'shareIP',
      message: 'port 53/TCP is also used by infra/dns-tcp',
      code: 'lb/sharing-conflict',
    },
    {
      name: 'sharing with another traffic policy',
      spec: {
        ip: '198.51.100.3',
        shareIP: 'dns',
        preserveSourceIP: true,
        service: svc('dns-udp', {
          namespace: 'infra',
          selector: { app: 'dns' },
          ports: [{ port: 53, protocol: 'UDP' }],
        }),
      },
      facts,
      field: 'shareIP',
      message: "externalTrafficPolicy Local differs from infra/dns-tcp's Cluster",
      code: 'lb/sharing-conflict',
    },
    {
      name: 'sharing with Local and another selector',
      spec: { ip: '198.51.100.2', shareIP: 'k', preserveSourceIP: true },
      facts: full([
        svc('a', {
          type: 'LoadBalancer',
          ip: '198.51.100.2',
          etp: 'Local',
          selector: { app: 'other' },
          ports: [{ port: 443 }],
          annotations: { 'metallb.io/allow-shared-ip': 'k' },
        }),
      ]),
      field: 'shareIP',
      message: "selector must match shop/a's (app=other)",
      code: 'lb/sharing-conflict',
    },
    {
      name: 'share key without compatible partner',
      spec: { pool: 'public', shareIP: 'dns', service: svc('dns2', { namespace: 'infra', ports: [{ port: 53 }] }) },
      facts,
      field: 'shareIP',
      message: 'cannot share an address with the Services of sharing key "dns"',
      code: 'lb/sharing-conflict',
    },
    {
      name: 'shared address outside the pool',
      spec: {
        pool: 'lab',
        shareIP: 'dns',
        service: svc('dns-udp', {
          namespace: 'infra',
          selector: { app: 'dns' },
          ports: [{ port: 53, protocol: 'UDP' }],
        }),
      },
      facts,
      field: 'shareIP',
      message: 'not in IPAddressPool lab',
      code: 'lb/ip-not-in-pool',
    },
    {
      name: 'bad sharing key',
      spec: { addresses: ['10.9.0.0/24'], shareIP: 'a key' },
      field: 'shareIP',
      message: 'must be a non-empty annotation value',
    },
    {
      name: 'bad interface',
      spec: { pool: 'public', interfaces: ['eth0/1'] },
      facts,
      field: 'interfaces',
      message: 'not a network interface name',
    },
    {
      name: 'empty node selector',
      spec: { pool: 'public', nodeSelectors: [{}] },
      facts,
      field: 'nodeSelectors',
      message: 'node selector #1 is empty',
    },
    {
      name: 'advertisement options without a pool',
      spec: { interfaces: ['eth0'] },
      field: 'interfaces',
      message: 'need a pool to announce',
    },
    {
      name: 'no selector',
      spec: { service: svc('web', { selector: null }), pool: 'public' },
      facts,
      field: 'inPlace',
      message: 'use --in-place',
    },
    {
      name: 'dual-stack Service, single-family pool',
      spec: {
        service: { ...svc('web'), spec: { ...svc('web').spec, ipFamilyPolicy: 'RequireDualStack' } } as never,
        pool: 'public',
      },
      facts,
      field: 'pool',
      message: 'requires dual-stack but IPAddressPool public has only IPv4 addresses',
      code: 'lb/no-pool',
    },
    {
      name: 'BGP option in l2',
      spec: { addresses: ['10.9.0.0/24'], peer: '10.0.0.1' },
      field: 'peer',
      message: 'does not apply to mode l2',
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expectProblem(base, c);
    });
});
