// The BGP probe against real speakers in network namespaces: GoBGP and BIRD 2 peer with
// the collector on a non-privileged port and advertise IPv4 and IPv6 prefixes with
// communities and large communities; a raw TCP peer sends malformed UPDATEs; sessions
// are torn down. What the probe records must match what the speakers say they sent.
//
// Needs root, iproute2, gobgpd and bird2. Missing tools fail the test (never skip).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareBgp } from '../../../src/analyzers/bgp-compare.js';
import { encodeMessage } from '../../../src/probes/bgp/codec.js';
import type { BgpObservation, BgpPeerObservation } from '../../../src/probes/bgp/collector.js';
import type { BgpRoute } from '../../../src/probes/bgp/session.js';
import { CollectorProcess, type Host, Lab, requireTools, waitUntil } from './lab.js';
import { Bird, GoBgp, RawPeer, type SentRoute, startBird } from './speakers.js';

const PORT = 17900;
const LOCAL_AS = 64512;
const GOBGP_AS = 65001;
const BIRD_AS = 65002;
const RAW_AS = 65004;
const OLD_AS = 65003; // BIRD with 4-octet AS support switched off (RFC 6793 "OLD" speaker)
const FAR_AS = 4200000001; // a 4-octet AS it puts in the path

let lab: Lab;
let collector: CollectorProcess;
let gobgp: GoBgp;
let bird: Bird;
let hosts: { gobgp: Host; bird: Host; raw: Host; old: Host };
let oldBird: { cli(args: string[]): Promise<string> };

function peer(o: BgpObservation, address: string): BgpPeerObservation | undefined {
  return o.peers.find((p) => p.address === address);
}

function established(o: BgpObservation, address: string): boolean {
  return peer(o, address)?.state === 'Established';
}

function prefixes(o: BgpObservation, address: string): string[] {
  return (peer(o, address)?.routes ?? []).map((r) => r.prefix);
}

/** The probe's view of a route in the shape the speakers' outputs are parsed into. */
function asSent(r: BgpRoute): SentRoute {
  const s: SentRoute = {
    prefix: r.prefix,
    nextHop: r.nextHop,
    asPath: r.asPath,
    communities: r.communities,
    largeCommunities: r.largeCommunities,
  };
  if (r.med !== undefined) s.med = r.med;
  return s;
}

beforeAll(async () => {
  await requireTools(['ip', 'gobgpd', 'gobgp', 'bird', 'birdc']);
  lab = new Lab();
  await lab.create();
  hosts = {
    gobgp: await lab.addHost('gobgp', 2),
    bird: await lab.addHost('bird', 3),
    raw: await lab.addHost('raw', 4),
    old: await lab.addHost('old', 5),
  };
  collector = await CollectorProcess.start(lab, lab.probe.ns, {
    listen: '::',
    port: PORT,
    localAs: LOCAL_AS,
    routerId: lab.probe.v4,
    holdTime: 9,
    peers: [
      { address: hosts.gobgp.v4, remoteAs: GOBGP_AS },
      { address: hosts.bird.v4, remoteAs: BIRD_AS },
      { address: hosts.bird.v6, remoteAs: BIRD_AS },
      { address: hosts.raw.v4, remoteAs: RAW_AS },
      { address: hosts.old.v4, remoteAs: OLD_AS },
    ],
  });
  expect(collector.port).toBe(PORT);
  gobgp = new GoBgp(lab, hosts.gobgp, GOBGP_AS, { address: lab.probe.v4, port: PORT });
  bird = new Bird(
    lab,
    hosts.bird,
    BIRD_AS,
    { v4: lab.probe.v4, v6: lab.probe.v6, port: PORT },
    {
      v4: [{ prefix: '198.51.100.20/32', med: 20 }, { prefix: '203.0.113.0/24' }],
      v6: [{ prefix: '2001:db8:200::/48' }, { prefix: '2001:db8:100::20/128' }],
    },
    [BIRD_AS, 200],
    [BIRD_AS, 10, 20],
  );
  await Promise.all([gobgp.start(), bird.start()]);
  oldBird = await startBird(
    lab,
    hosts.old,
    'bird-old',
    `protocol static static_old { ipv4; route 198.51.100.50/32 blackhole; }
protocol bgp probe_old {
  local ${hosts.old.v4} as ${OLD_AS};
  neighbor ${lab.probe.v4} port ${PORT} as ${LOCAL_AS};
  enable as4 off;
  hold time 9;
  connect delay time 1;
  connect retry time 1;
  ipv4 { import none; export filter { bgp_path.prepend(${FAR_AS}); accept; }; };
}`,
  );
}, 120_000);

afterAll(async () => {
  await collector?.stop().catch(() => {});
  await lab?.destroy();
}, 60_000);

describe('probe bgp against GoBGP and BIRD 2', () => {
  it('both speakers establish sessions (GoBGP over IPv4, BIRD over IPv4 and IPv6)', async () => {
    const o = await collector.waitFor(
      (s) => established(s, hosts.gobgp.v4) && established(s, hosts.bird.v4) && established(s, hosts.bird.v6),
      'gobgpd and BIRD sessions to be Established',
      60_000,
    );
    expect(peer(o, hosts.gobgp.v4)).toMatchObject({
      remoteAs: GOBGP_AS,
      routerId: hosts.gobgp.v4,
      holdTime: 9,
      expected: true,
    });
    expect(peer(o, hosts.gobgp.v4)!.capabilities).toMatchObject({
      fourOctetAs: true,
      families: expect.arrayContaining(['ipv4-unicast', 'ipv6-unicast']),
    });
    expect(peer(o, hosts.bird.v6)).toMatchObject({ remoteAs: BIRD_AS, routerId: hosts.bird.v4, holdTime: 9 });
    expect(peer(o, hosts.raw.v4)).toMatchObject({ state: 'Active', connections: 0 });
    expect(JSON.parse(JSON.stringify(o))).toEqual(o);
  });

  it("records GoBGP's IPv4 and IPv6 routes exactly as `gobgp neighbor adj-out` says they were sent", async () => {
    await gobgp.add('ipv4', '198.51.100.10/32', hosts.gobgp.v4, [
      'community',
      '65001:100,65001:200',
      'large-community',
      '65001:1:2',
      'med',
      '10',
    ]);
    await gobgp.add('ipv4', '198.51.100.11/32', hosts.gobgp.v4, ['community', '65001:101']);
    await gobgp.add('ipv6', '2001:db8:100::10/128', hosts.gobgp.v6, [
      'community',
      '65001:300',
      'large-community',
      '65001:3:4',
    ]);
    const o = await collector.waitFor((s) => prefixes(s, hosts.gobgp.v4).length === 3, "GoBGP's three routes");

    const sent = [...(await gobgp.adjOut('ipv4')), ...(await gobgp.adjOut('ipv6'))];
    expect(sent.map((r) => r.prefix).sort()).toEqual(['198.51.100.10/32', '198.51.100.11/32', '2001:db8:100::10/128']);
    const got = peer(o, hosts.gobgp.v4)!.routes;
    expect(got.map(asSent)).toEqual(sent.sort((a, b) => (a.prefix < b.prefix ? -1 : 1)));

    // And against the speaker's own RIB, which is what an operator would look at.
    const rib = [...(await gobgp.rib('ipv4')), ...(await gobgp.rib('ipv6'))];
    for (const r of rib) {
      const g = got.find((x) => x.prefix === r.prefix)!;
      expect(g.communities).toEqual(r.communities);
      expect(g.largeCommunities).toEqual(r.largeCommunities);
      expect(g.nextHop).toBe(r.nextHop);
      expect(g.asPath).toBe(String(GOBGP_AS)); // eBGP: GoBGP prepends its AS to the empty local path
    }
    const v4 = got.find((r) => r.prefix === '198.51.100.10/32')!;
    expect(v4).toMatchObject({
      family: 'ipv4',
      nextHop: hosts.gobgp.v4,
      asPath: String(GOBGP_AS),
      med: 10,
      communities: ['65001:100', '65001:200'],
      largeCommunities: ['65001:1:2'],
    });
    const v6 = got.find((r) => r.prefix === '2001:db8:100::10/128')!;
    expect(v6).toMatchObject({
      family: 'ipv6',
      nextHop: hosts.gobgp.v6,
      asPath: String(GOBGP_AS),
      communities: ['65001:300'],
      largeCommunities: ['65001:3:4'],
    });
  });

  it("records BIRD's routes exactly as `birdc show route export` says they were sent", async () => {
    const o = await collector.waitFor(
      (s) => prefixes(s, hosts.bird.v4).length === 2 && prefixes(s, hosts.bird.v6).length === 2,
      "BIRD's routes",
    );
    const sent4 = await bird.exported('probe4');
    const sent6 = await bird.exported('probe6');
    expect(sent4.map((r) => r.prefix)).toEqual(['198.51.100.20/32', '203.0.113.0/24']);
    expect(sent6.map((r) => r.prefix)).toEqual(['2001:db8:100::20/128', '2001:db8:200::/48']);
    for (const [address, sent] of [
      [hosts.bird.v4, sent4],
      [hosts.bird.v6, sent6],
    ] as const) {
      const got = peer(o, address)!.routes;
      expect(got.map((r) => r.prefix)).toEqual(sent.map((r) => r.prefix));
      for (const s of sent) {
        const g = got.find((r) => r.prefix === s.prefix)!;
        expect(g.communities).toEqual(s.communities);
        expect(g.largeCommunities).toEqual(s.largeCommunities);
        if (s.med !== undefined) expect(g.med).toBe(s.med);
        expect(g.asPath).toBe(String(BIRD_AS));
      }
    }
    // eBGP: BIRD announces itself as next hop; over IPv6 with its link-local address too.
    expect(peer(o, hosts.bird.v4)!.routes[0]).toMatchObject({
      nextHop: hosts.bird.v4,
      med: 20,
      communities: ['65002:200'],
      largeCommunities: ['65002:10:20'],
    });
    const v6 = peer(o, hosts.bird.v6)!.routes[0]!;
    expect(v6.nextHop).toBe(hosts.bird.v6);
    expect(v6.nextHopLinkLocal).toMatch(/^fe80:/);
  });

  it('a 2-octet-only speaker (BIRD, as4 off): AS_TRANS in AS_PATH, the real path rebuilt from AS4_PATH', async () => {
    const o = await collector
      .waitFor(
        (s) => established(s, hosts.old.v4) && prefixes(s, hosts.old.v4).length === 1,
        'the OLD speaker and its route',
        60_000,
      )
      .catch(async (e: Error) => {
        throw new Error(
          `${e.message.slice(0, 300)}\nbirdc show protocols all probe_old:\n${await oldBird.cli(['show', 'protocols', 'all', 'probe_old'])}\npeer: ${JSON.stringify(peer(await collector.snapshot(), hosts.old.v4))}`,
        );
      });
    const p = peer(o, hosts.old.v4)!;
    expect(p.capabilities?.fourOctetAs).toBe(false);
    expect(p.remoteAs).toBe(OLD_AS);
    expect(p.routes[0]).toMatchObject({
      prefix: '198.51.100.50/32',
      nextHop: hosts.old.v4,
      asPath: `${OLD_AS} ${FAR_AS}`,
    });
    const exported = await oldBird.cli(['show', 'route', 'export', 'probe_old', 'all']);
    expect(exported).toContain('198.51.100.50/32');
    expect(exported).toMatch(new RegExp(`BGP.as_path: ${FAR_AS}`));
  });

  it('a withdrawal from GoBGP removes the route', async () => {
    await gobgp.del('ipv4', '198.51.100.11/32');
    const o = await collector.waitFor(
      (s) => prefixes(s, hosts.gobgp.v4).length === 2,
      'the withdrawal of 198.51.100.11/32',
    );
    expect(prefixes(o, hosts.gobgp.v4)).toEqual(['198.51.100.10/32', '2001:db8:100::10/128']);
    expect((await gobgp.adjOut('ipv4')).map((r) => r.prefix)).toEqual(['198.51.100.10/32']);
  });

  it('a raw peer: treat-as-withdraw keeps its session, a malformed UPDATE gets a NOTIFICATION; the others stay up', async () => {
    const raw = new RawPeer(lab, hosts.raw);
    await raw.connect({ address: lab.probe.v4, port: PORT });
    raw.send(
      encodeMessage({
        type: 'open',
        version: 4,
        myAs: RAW_AS,
        holdTime: 90,
        bgpId: hosts.raw.v4,
        capabilities: [
          { code: 1, kind: 'multiprotocol', afi: 1, safi: 1 },
          { code: 65, kind: 'four-octet-as', asn: RAW_AS },
        ],
      }),
    );
    await collector.waitFor((s) => peer(s, hosts.raw.v4)?.state === 'OpenConfirm', 'the raw peer in OpenConfirm');
    raw.send(encodeMessage({ type: 'keepalive' }));
    await collector.waitFor((s) => established(s, hosts.raw.v4), 'the raw peer Established');

    // A valid UPDATE, then the same prefix with ORIGIN = 7: RFC 7606 treat-as-withdraw.
    const attrs = '40 01 01 00  40 02 06 02 01 0000fdec  40 03 04 c0000204';
    const nlri = '20 c6336428'; // 198.51.100.40/32
    const update = (a: string, n: string) => {
      const body = Buffer.from(
        `0000${(a.replace(/\s/g, '').length / 2).toString(16).padStart(4, '0')}${a}${n}`.replace(/\s/g, ''),
        'hex',
      );
      const len = 19 + body.length;
      return `${'ff'.repeat(16)}${len.toString(16).padStart(4, '0')}02${body.toString('hex')}`;
    };
    raw.send(update(attrs, nlri));
    await collector.waitFor((s) => prefixes(s, hosts.raw.v4).includes('198.51.100.40/32'), 'the raw peer route');
    raw.send(update('40 01 01 07  40 02 06 02 01 0000fdec  40 03 04 c0000204', nlri));
    let o = await collector.waitFor((s) => peer(s, hosts.raw.v4)?.updateErrors === 1, 'the treat-as-withdraw');
    expect(peer(o, hosts.raw.v4)).toMatchObject({ state: 'Established', routes: [] });
    expect(peer(o, hosts.raw.v4)!.lastUpdateError).toContain('Invalid ORIGIN');
    expect(raw.received.filter((m) => m.msgType === 3)).toEqual([]);

    // NLRI with prefix length 33: UPDATE Message Error / Invalid Network Field, session reset.
    raw.send(update(attrs, '21 c633642800'));
    o = await collector.waitFor((s) => peer(s, hosts.raw.v4)?.state === 'Idle', 'the raw session to be closed');
    expect(peer(o, hosts.raw.v4)!.lastNotification).toMatchObject({
      direction: 'sent',
      code: 3,
      subcode: 10,
      subcodeName: 'Invalid Network Field',
    });
    await waitUntil(async () => raw.closed, 'the raw connection to close', 10_000);
    expect(raw.received.filter((m) => m.msgType === 3).map((m) => [m.code, m.subcode])).toEqual([[3, 10]]);

    // The collector still serves the others.
    expect(established(o, hosts.gobgp.v4) && established(o, hosts.bird.v4) && established(o, hosts.bird.v6)).toBe(true);
    await gobgp.add('ipv4', '198.51.100.12/32', hosts.gobgp.v4, []);
    await collector.waitFor(
      (s) => prefixes(s, hosts.gobgp.v4).includes('198.51.100.12/32'),
      'a new GoBGP route after the bad peer',
    );
  });

  it('the findings the cluster comparison draws from this observation', async () => {
    const o = await collector.snapshot();
    const findings = compareBgp(o, {
      expectedPeers: [hosts.gobgp.v4, hosts.bird.v4, hosts.bird.v6, hosts.raw.v4],
      nodeAddresses: { 'node-gobgp': [hosts.gobgp.v4, hosts.gobgp.v6], 'node-bird': [hosts.bird.v4, hosts.bird.v6] },
      loadBalancerAddresses: [
        {
          address: '198.51.100.10',
          service: { namespace: 'shop', name: 'web' },
          localPolicy: true,
          nodesWithReadyEndpoints: ['node-gobgp'],
        },
        {
          address: '198.51.100.20',
          service: { namespace: 'shop', name: 'api' },
          localPolicy: true,
          nodesWithReadyEndpoints: ['node-gobgp'],
        },
        {
          address: '198.51.100.99',
          service: { namespace: 'shop', name: 'lost' },
          localPolicy: false,
          nodesWithReadyEndpoints: [],
        },
        {
          address: '2001:db8:200::7',
          service: { namespace: 'shop', name: 'v6' },
          localPolicy: false,
          nodesWithReadyEndpoints: [],
        },
      ],
    });
    expect(findings.map((f) => [f.code, f.subject.name])).toEqual([
      ['bgp/session-down', hosts.raw.v4],
      ['bgp/nexthop-without-endpoints', 'api'],
      ['bgp/not-advertised', 'lost'],
    ]);
    expect(findings[0]!.message).toContain('Invalid Network Field');
  });

  it('BIRD disabling its session sends Cease, recorded with its shutdown communication; re-enabled it comes back', async () => {
    await bird.cli(['disable', 'probe4', '"maintenance window"']);
    let o = await collector.waitFor(
      (s) => peer(s, hosts.bird.v4)?.state === 'Idle',
      'the BIRD IPv4 session to go down',
    );
    const p = peer(o, hosts.bird.v4)!;
    expect(p.lastNotification).toMatchObject({ direction: 'received', code: 6, codeName: 'Cease' });
    expect(p.lastNotification).toMatchObject({
      subcode: 2,
      subcodeName: 'Administrative Shutdown',
      reason: 'maintenance window',
    });
    expect(p.routes).toEqual([]);
    expect(p.history.at(-1)).toMatchObject({ from: 'Established', to: 'Idle' });
    expect(established(o, hosts.bird.v6)).toBe(true);

    await bird.cli(['enable', 'probe4']);
    o = await collector.waitFor(
      (s) => established(s, hosts.bird.v4) && prefixes(s, hosts.bird.v4).length === 2,
      'BIRD IPv4 back with its routes',
      60_000,
    );
    expect(peer(o, hosts.bird.v4)!.establishedCount).toBe(2);
  });

  it('killing gobgpd: the session goes down, its routes are gone, compareBgp reports it', async () => {
    gobgp.kill();
    const o = await collector.waitFor(
      (s) => peer(s, hosts.gobgp.v4)?.state === 'Idle',
      'the GoBGP session to go down (connection reset, or the 9 s hold timer)',
      30_000,
    );
    const p = peer(o, hosts.gobgp.v4)!;
    expect(p.routes).toEqual([]);
    expect(p.establishedAt).toBeNull();
    expect(p.lastCloseReason).toMatch(/connection closed by peer|hold timer expired/);
    expect(p.history.at(-1)).toMatchObject({ from: 'Established', to: 'Idle' });
    const findings = compareBgp(o, {
      expectedPeers: [hosts.gobgp.v4],
      nodeAddresses: {},
      loadBalancerAddresses: [
        {
          address: '198.51.100.10',
          service: { namespace: 'shop', name: 'web' },
          localPolicy: false,
          nodesWithReadyEndpoints: [],
        },
      ],
    });
    expect(findings.map((f) => f.code)).toEqual(['bgp/session-down', 'bgp/not-advertised']);
  });
});
