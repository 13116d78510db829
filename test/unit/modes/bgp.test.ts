import { describe, expect, it } from 'vitest';
import type { ExposeFacts, ExposeSpec } from '../../../src/modes/index.js';
import {
  bgpad,
  expectGolden,
  expectOK,
  expectOwnedLabels,
  expectProblem,
  type ProblemCase,
  peer,
  pool,
  svc,
} from './helpers.js';

const web = svc('web');
const base: ExposeSpec = { service: web, mode: 'bgp' };
const newPeer = { peer: '192.0.2.1', peerASN: 64500, myASN: 64512 };
const facts: ExposeFacts = {
  services: [web],
  pools: [pool('bgp-public', ['198.51.100.0/24'])],
  l2Advertisements: [],
  bgpAdvertisements: [bgpad('bgp-public', ['bgp-public'])],
  bgpPeers: [peer('tor1', '192.0.2.254', 64500, 64512)],
};

describe('bgp manifests (golden)', () => {
  const cases: Array<{ name: string; spec: Partial<ExposeSpec>; facts?: ExposeFacts; note?: RegExp }> = [
    {
      name: 'new-peer-addresses',
      spec: { ...newPeer, addresses: ['203.0.113.0/28'] },
      facts: { ...facts, bgpPeers: [] },
    },
    {
      name: 'advertisement-options',
      spec: {
        ...newPeer,
        addresses: ['203.0.113.0/28'],
        communities: ['65000:100', 'large:64512:1:2'],
        localPref: 150,
        aggregationLength: 28,
        nodeSelectors: [{ rack: 'r1' }],
      },
    },
    {
      name: 'ipv6-aggregation',
      spec: {
        ...newPeer,
        service: svc('web', { ipFamilies: ['IPv6'] }),
        addresses: ['2001:db8:5::/64'],
        aggregationLength: 64,
      },
    },
    { name: 'existing-peer-and-pool', spec: { pool: 'bgp-public', ip: '198.51.100.7' }, facts },
    {
      name: 'reuse-peer-by-address',
      spec: { peer: '192.0.2.254', pool: 'bgp-public', communities: ['65000:200'] },
      facts,
      note: /reuses BGPPeer tor1/,
    },
    { name: 'preserve-source-ip', spec: { pool: 'bgp-public', preserveSourceIP: true }, facts, note: /ready endpoint/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { manifests, notes } = expectOK({ ...base, ...c.spec }, c.facts);
      expectOwnedLabels(manifests, 'web');
      expectGolden(`bgp/${c.name}`, manifests);
      if (c.note) expect(notes.join('\n')).toMatch(c.note);
    });
  }

  it('the BGPPeer is named after the address, shared by every Service using it', () => {
    const { manifests } = expectOK({ ...base, ...newPeer, addresses: ['203.0.113.0/28'] });
    expect(manifests.find((o) => o.kind === 'BGPPeer')!.metadata.name).toBe('exposectl-peer-192-0-2-1');
  });

  it("a range pool passes when one of its CIDRs fits the aggregation length (MetalLB's rule)", () => {
    expectOK({ ...base, ...newPeer, addresses: ['203.0.113.1-203.0.113.3'], aggregationLength: 31 });
  });

  it('a community alias (a Community resource name) is accepted', () => {
    expectOK({ ...base, ...newPeer, addresses: ['203.0.113.0/28'], communities: ['no-export'] });
  });

  it('a different local preference is fine towards other peers or with another aggregation length', () => {
    const f = {
      ...facts,
      bgpAdvertisements: [
        { ...bgpad('pref', ['bgp-public']), spec: { ipAddressPools: ['bgp-public'], localPref: 100, peers: ['tor1'] } },
      ],
    };
    expectOK({ ...base, pool: 'bgp-public', localPref: 200, ...newPeer }, f);
    expectOK(
      { ...base, pool: 'bgp-public', localPref: 200, aggregationLength: 24 },
      {
        ...f,
        bgpAdvertisements: [
          { ...bgpad('pref', ['bgp-public']), spec: { ipAddressPools: ['bgp-public'], localPref: 100 } },
        ],
      },
    );
  });

  it('the largest ASN is accepted', () => {
    expectOK({ ...base, peer: '192.0.2.1', peerASN: 4294967295, myASN: 1, addresses: ['203.0.113.0/28'] });
  });

  it('eBGP local preference gives a note', () => {
    const { notes } = expectOK({ ...base, ...newPeer, addresses: ['203.0.113.0/28'], localPref: 10 });
    expect(notes.join('\n')).toMatch(/only matters on iBGP/);
  });
});

describe('bgp problems', () => {
  const cases: ProblemCase[] = [
    {
      name: 'ASN zero',
      spec: { ...newPeer, peerASN: 0, addresses: ['203.0.113.0/28'] },
      field: 'peerASN',
      message: 'peerASN must be an integer in 1..4294967295, got 0',
    },
    {
      name: 'ASN too large',
      spec: { ...newPeer, myASN: 4294967296, addresses: ['203.0.113.0/28'] },
      field: 'myASN',
      message: 'got 4294967296',
    },
    {
      name: 'ASN not an integer',
      spec: { ...newPeer, myASN: 64512.5, addresses: ['203.0.113.0/28'] },
      field: 'myASN',
      message: 'must be an integer',
    },
    {
      name: 'new peer without peer ASN',
      spec: { peer: '192.0.2.1', myASN: 64512, addresses: ['203.0.113.0/28'] },
      field: 'peerASN',
      message: 'needs --peer-asn',
    },
    {
      name: 'new peer without my ASN',
      spec: { peer: '192.0.2.1', peerASN: 64500, addresses: ['203.0.113.0/28'] },
      field: 'myASN',
      message: 'needs --my-asn',
    },
    {
      name: 'peer not an address',
      spec: { ...newPeer, peer: 'router1', addresses: ['203.0.113.0/28'] },
      field: 'peer',
      message: 'router1 is not an IP address',
    },
    {
      name: 'ASNs without peer',
      spec: { peerASN: 64500, addresses: ['203.0.113.0/28'] },
      field: 'peer',
      message: 'give --peer too',
    },
    {
      name: 'no peer at all',
      spec: { addresses: ['203.0.113.0/28'] },
      facts: { ...facts, bgpPeers: [] },
      field: 'peer',
      message: 'no BGPPeer exists',
    },
    {
      name: 'existing peer with another ASN',
      spec: { peer: '192.0.2.254', peerASN: 65001, pool: 'bgp-public' },
      facts,
      field: 'peerASN',
      message: 'already exists with peerASN 64500',
    },
    {
      name: 'bad community',
      spec: { ...newPeer, addresses: ['203.0.113.0/28'], communities: ['70000:1'] },
      field: 'communities',
      message: '"70000:1" is not a BGP community',
    },
    {
      name: 'bad large community',
      spec: { ...newPeer, addresses: ['203.0.113.0/28'], communities: ['large:1:2'] },
      field: 'communities',
      message: 'not a BGP community',
    },
    {
      name: 'local preference negative',
      spec: { ...newPeer, addresses: ['203.0.113.0/28'], localPref: -1 },
      field: 'localPref',
      message: '0..4294967295',
    },
    {
      name: 'aggregation length too long for IPv4',
      spec: { ...newPeer, addresses: ['203.0.113.0/28'], aggregationLength: 33 },
      field: 'aggregationLength',
      message: '0..32 for IPv4',
    },
    {
      name: 'aggregation length shorter than the pool prefix',
      spec: { ...newPeer, addresses: ['203.0.113.0/28'], aggregationLength: 24 },
      field: 'aggregationLength',
      message: 'aggregation length 24 is shorter than prefix /28 of pool entry 203.0.113.0/28',
    },
    {
      name: 'aggregation length and a range pool',
      spec: { ...newPeer, addresses: ['203.0.113.1-203.0.113.3'], aggregationLength: 30 },
      field: 'aggregationLength',
      message: 'shorter than prefix /31 of pool entry 203.0.113.1-203.0.113.3',
    },
    {
      name: 'bad community alias',
      spec: { ...newPeer, addresses: ['203.0.113.0/28'], communities: ['No Export'] },
      field: 'communities',
      message: 'or the name of a Community alias',
    },
    {
      name: 'local preference differs from another advertisement of the pool',
      spec: { pool: 'bgp-public', localPref: 200 },
      facts: {
        ...facts,
        bgpAdvertisements: [
          { ...bgpad('pref', ['bgp-public']), spec: { ipAddressPools: ['bgp-public'], localPref: 100 } },
        ],
      },
      field: 'localPref',
      message: 'BGPAdvertisement pref already announces pool bgp-public with local preference 100',
    },
    {
      name: 'aggregation length over a mixed pool',
      spec: { ...newPeer, addresses: ['203.0.113.0/28', '2001:db8::/124'], aggregationLength: 28 },
      field: 'aggregationLength',
      message: 'mixes IPv4 and IPv6',
    },
    {
      name: 'pool missing',
      spec: { pool: 'nope' },
      facts,
      field: 'pool',
      message: 'does not exist',
      code: 'lb/no-pool',
    },
    {
      name: 'ip not in pool',
      spec: { pool: 'bgp-public', ip: '203.0.113.1' },
      facts,
      field: 'ip',
      message: 'ip not in pool',
      code: 'lb/ip-not-in-pool',
    },
    {
      name: 'overlap',
      spec: { ...newPeer, addresses: ['198.51.100.128/25'] },
      facts,
      field: 'addresses',
      message: 'overlaps 198.51.100.0/24 of IPAddressPool bgp-public',
      code: 'lb/pool-overlap',
    },
    {
      name: 'auto-assign pools not announced over BGP',
      spec: {},
      facts: { ...facts, bgpAdvertisements: [] },
      field: 'pool',
      message: 'no BGPAdvertisement announces',
      code: 'lb/no-advertisement',
    },
    {
      name: 'L2 option in bgp',
      spec: { pool: 'bgp-public', interfaces: ['eth0'] },
      facts,
      field: 'interfaces',
      message: 'does not apply to mode bgp',
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expectProblem(base, c);
    });
});
