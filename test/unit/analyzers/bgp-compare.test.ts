import { describe, expect, it } from 'vitest';
import { type BgpExpectations, compareBgp } from '../../../src/analyzers/bgp-compare.js';
import type { BgpObservation, BgpPeerObservation, BgpRoute } from '../../../src/model/bgp-observation.js';

function route(prefix: string, nextHop: string, extra: Partial<BgpRoute> = {}): BgpRoute {
  return {
    family: prefix.includes(':') ? 'ipv6' : 'ipv4',
    prefix,
    nextHop,
    asPath: '64600',
    asPathSegments: [{ type: 'sequence', asns: [64600] }],
    communities: [],
    largeCommunities: [],
    receivedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function peer(address: string, over: Partial<BgpPeerObservation> = {}): BgpPeerObservation {
  return {
    address,
    expected: true,
    state: 'Established',
    remoteAs: 64600,
    routerId: address,
    holdTime: 90,
    capabilities: null,
    establishedAt: '2026-01-01T00:00:00.000Z',
    connections: 1,
    establishedCount: 1,
    lastNotification: null,
    lastCloseReason: null,
    lastClosedAt: null,
    updateErrors: 0,
    lastUpdateError: null,
    endOfRib: [],
    routes: [],
    history: [],
    ...over,
  };
}

function observation(peers: BgpPeerObservation[]): BgpObservation {
  return {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: 'BgpObservation',
    listen: { address: '192.0.2.1', port: 1790 },
    localAs: 64512,
    routerId: '192.0.2.1',
    startedAt: '2026-01-01T00:00:00.000Z',
    capturedAt: '2026-01-01T00:01:00.000Z',
    peers,
    rejected: [],
  };
}

const nodes = { 'node-a': ['192.0.2.11', '2001:db8::11'], 'node-b': ['192.0.2.12'], 'node-c': ['192.0.2.13'] };
const web = { namespace: 'shop', name: 'web' };

function expectations(over: Partial<BgpExpectations> = {}): BgpExpectations {
  return { loadBalancerAddresses: [], expectedPeers: [], nodeAddresses: nodes, ...over };
}

interface Case {
  name: string;
  peers: BgpPeerObservation[];
  expect: Partial<BgpExpectations>;
  codes: Array<[string, string]>; // [code, subject name]
  check?: (messages: string[], fixes: string[]) => void;
}

const cases: Case[] = [
  {
    name: 'everything fine: peer up, address advertised from nodes with endpoints',
    peers: [peer('192.0.2.11', { routes: [route('198.51.100.10/32', '192.0.2.11')] })],
    expect: {
      expectedPeers: ['192.0.2.11'],
      loadBalancerAddresses: [
        { address: '198.51.100.10', service: web, localPolicy: true, nodesWithReadyEndpoints: ['node-a'] },
      ],
    },
    codes: [],
  },
  // bgp/session-down
  {
    name: 'expected peer never connected',
    peers: [],
    expect: { expectedPeers: ['192.0.2.12'] },
    codes: [['bgp/session-down', '192.0.2.12']],
    check: (m, f) => {
      expect(m[0]).toContain('never connected');
      expect(f[0]).toContain('port 1790');
      expect(f[0]).toContain('remote AS 64512');
    },
  },
  {
    name: 'expected peer connected but refused with Bad Peer AS',
    peers: [
      peer('192.0.2.12', {
        state: 'Idle',
        establishedAt: null,
        connections: 3,
        lastNotification: {
          direction: 'sent',
          code: 2,
          subcode: 2,
          codeName: 'OPEN Message Error',
          subcodeName: 'Bad Peer AS',
          data: '',
          at: '2026-01-01T00:00:00.000Z',
        },
      }),
    ],
    expect: { expectedPeers: ['192.0.2.12'] },
    codes: [['bgp/session-down', '192.0.2.12']],
    check: (m, f) => {
      expect(m[0]).toContain('Bad Peer AS');
      expect(f[0]).toContain('remote AS 64512');
    },
  },
  {
    name: 'expected peer stuck in OpenConfirm; unexpected established peers do not count',
    peers: [peer('192.0.2.12', { state: 'OpenConfirm', establishedAt: null }), peer('192.0.2.99')],
    expect: { expectedPeers: ['192.0.2.12'] },
    codes: [['bgp/session-down', '192.0.2.12']],
  },
  {
    name: 'expected peers are matched in any address spelling',
    peers: [peer('2001:db8::11')],
    expect: { expectedPeers: ['2001:0db8:0::11'] },
    codes: [],
  },
  // bgp/not-advertised
  {
    name: 'address advertised by no peer',
    peers: [peer('192.0.2.11', { routes: [route('198.51.100.20/32', '192.0.2.11')] })],
    expect: {
      loadBalancerAddresses: [
        { address: '198.51.100.10', service: web, localPolicy: false, nodesWithReadyEndpoints: [] },
      ],
    },
    codes: [['bgp/not-advertised', 'web']],
    check: (m, f) => {
      expect(m[0]).toContain('198.51.100.10');
      expect(m[0]).toContain('dropped');
      expect(f[0]).toContain('BGPAdvertisement');
    },
  },
  {
    name: 'address advertised only by a peer whose session is down',
    peers: [peer('192.0.2.11', { state: 'Active', routes: [route('198.51.100.10/32', '192.0.2.11')] })],
    expect: {
      loadBalancerAddresses: [
        { address: '198.51.100.10', service: web, localPolicy: false, nodesWithReadyEndpoints: [] },
      ],
    },
    codes: [['bgp/not-advertised', 'web']],
    check: (m) => expect(m[0]).toContain('no BGP peer has an established session'),
  },
  {
    name: 'a covering aggregate counts as advertised',
    peers: [peer('192.0.2.11', { routes: [route('198.51.100.0/24', '192.0.2.11')] })],
    expect: {
      loadBalancerAddresses: [
        { address: '198.51.100.10', service: web, localPolicy: false, nodesWithReadyEndpoints: [] },
      ],
    },
    codes: [],
  },
  {
    name: 'IPv6 LoadBalancer address advertised as /128',
    peers: [peer('2001:db8::11', { routes: [route('2001:db8:100::10/128', '2001:db8::11')] })],
    expect: {
      loadBalancerAddresses: [
        { address: '2001:db8:100::10', service: web, localPolicy: true, nodesWithReadyEndpoints: ['node-a'] },
      ],
    },
    codes: [],
  },
  {
    name: 'IPv6 address not advertised (only an IPv4 route)',
    peers: [peer('192.0.2.11', { routes: [route('198.51.100.0/24', '192.0.2.11')] })],
    expect: {
      loadBalancerAddresses: [
        { address: '2001:db8:100::10', service: web, localPolicy: false, nodesWithReadyEndpoints: [] },
      ],
    },
    codes: [['bgp/not-advertised', 'web']],
    check: (_m, f) => expect(f[0]).toContain('2001:db8:100::10/128'),
  },
  // bgp/nexthop-without-endpoints
  {
    name: 'Local policy: one of two next hops has no endpoint',
    peers: [
      peer('192.0.2.11', { routes: [route('198.51.100.10/32', '192.0.2.11')] }),
      peer('192.0.2.12', { routes: [route('198.51.100.10/32', '192.0.2.12')] }),
    ],
    expect: {
      loadBalancerAddresses: [
        { address: '198.51.100.10', service: web, localPolicy: true, nodesWithReadyEndpoints: ['node-a'] },
      ],
    },
    codes: [['bgp/nexthop-without-endpoints', 'web']],
    check: (m, f) => {
      expect(m[0]).toContain('node-b');
      expect(m[0]).toContain('drops');
      expect(f[0]).toContain('node-b');
    },
  },
  {
    name: 'Cluster policy: next hops without endpoints are fine',
    peers: [peer('192.0.2.12', { routes: [route('198.51.100.10/32', '192.0.2.12')] })],
    expect: {
      loadBalancerAddresses: [
        { address: '198.51.100.10', service: web, localPolicy: false, nodesWithReadyEndpoints: ['node-a'] },
      ],
    },
    codes: [],
  },
  {
    name: 'Local policy: a next hop that is no node (a router) is not judged',
    peers: [peer('192.0.2.12', { routes: [route('198.51.100.10/32', '192.0.2.200')] })],
    expect: {
      loadBalancerAddresses: [
        { address: '198.51.100.10', service: web, localPolicy: true, nodesWithReadyEndpoints: ['node-a'] },
      ],
    },
    codes: [],
  },
  {
    name: 'Local policy: IPv6 next hop of a node without endpoints, reported once for two peers',
    peers: [
      peer('192.0.2.11', { routes: [route('2001:db8:100::10/128', '2001:db8::11')] }),
      peer('192.0.2.12', { routes: [route('2001:db8:100::10/128', '2001:db8::11')] }),
    ],
    expect: {
      loadBalancerAddresses: [
        { address: '2001:db8:100::10', service: web, localPolicy: true, nodesWithReadyEndpoints: [] },
      ],
    },
    codes: [['bgp/nexthop-without-endpoints', 'web']],
    check: (m) => expect(m[0]).toContain('no node has a ready endpoint'),
  },
  {
    name: 'several findings come out in a stable order',
    peers: [peer('192.0.2.12', { routes: [route('198.51.100.10/32', '192.0.2.12')] })],
    expect: {
      expectedPeers: ['192.0.2.13', '192.0.2.11'],
      loadBalancerAddresses: [
        {
          address: '198.51.100.30',
          service: { namespace: 'b', name: 'z' },
          localPolicy: false,
          nodesWithReadyEndpoints: [],
        },
        {
          address: '198.51.100.10',
          service: { namespace: 'a', name: 'y' },
          localPolicy: true,
          nodesWithReadyEndpoints: [],
        },
      ],
    },
    codes: [
      ['bgp/session-down', '192.0.2.11'],
      ['bgp/session-down', '192.0.2.13'],
      ['bgp/nexthop-without-endpoints', 'y'],
      ['bgp/not-advertised', 'z'],
    ],
  },
];

describe('compareBgp', () => {
  for (const c of cases) {
    it(c.name, () => {
      const findings = compareBgp(observation(c.peers), expectations(c.expect));
      expect(findings.map((f) => [f.code, f.subject.name])).toEqual(c.codes);
      for (const f of findings) {
        expect(f.check).toBe('bgp');
        expect(f.severity).toBe(f.code === 'bgp/nexthop-without-endpoints' ? 'warning' : 'error');
        expect(f.subject.kind).toBe(f.code === 'bgp/session-down' ? 'BGPPeer' : 'Service');
        expect(f.message.length).toBeGreaterThan(20);
        expect(f.fix.length).toBeGreaterThan(20);
      }
      c.check?.(
        findings.map((f) => f.message),
        findings.map((f) => f.fix),
      );
    });
  }

  it('is pure: the same input gives the same output and the input is not changed', () => {
    const o = observation([peer('192.0.2.12', { routes: [route('198.51.100.10/32', '192.0.2.12')] })]);
    const e = expectations({
      expectedPeers: ['192.0.2.11'],
      loadBalancerAddresses: [
        { address: '198.51.100.10', service: web, localPolicy: true, nodesWithReadyEndpoints: [] },
      ],
    });
    const before = JSON.stringify([o, e]);
    expect(compareBgp(o, e)).toEqual(compareBgp(o, e));
    expect(JSON.stringify([o, e])).toBe(before);
  });
});
