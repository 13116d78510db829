// `exposectl probe bgp` through the built CLI against a real GoBGP speaker: the CLI runs
// inside the probe's network namespace and listens on 192.0.2.1:17901; gobgpd, in its own
// namespace on the same bridge, peers with it and advertises IPv4 and IPv6 prefixes with
// communities, large communities, MED and AS paths. The JSON the CLI prints must match
// what `gobgp global rib` holds, and, with -f manifests, the comparison must name exactly
// the LoadBalancer addresses that are not advertised and the expected peer that never
// connected.
//
// Needs root, iproute2 and gobgpd (Debian package gobgpd). Missing tools fail the test.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../../helpers/schema.js';
import { type CliResult, collect, stableCli } from '../arp/lab.js';
import { type Host, Lab, requireTools, sbinEnv, waitUntil } from './lab.js';
import { GoBgp, type SentRoute } from './speakers.js';

const PORT = 17901;
const LOCAL_AS = 64512; // the AS GoBgp is configured to expect from the probe
const GOBGP_AS = 65001;
const SILENT_PEER = '192.0.2.9'; // an expected peer that nothing in the lab runs

/** What GoBGP originates: two IPv4 and two IPv6 routes, each with communities. */
const ROUTES: Array<{ family: 'ipv4' | 'ipv6'; prefix: string; nextHop: 'v4' | 'v6'; attrs: string[] }> = [
  {
    family: 'ipv4',
    prefix: '198.51.100.10/32',
    nextHop: 'v4',
    attrs: ['aspath', '65100,65200', 'community', '65001:100,65001:200', 'large-community', '65001:1:2', 'med', '10'],
  },
  { family: 'ipv4', prefix: '198.51.100.11/32', nextHop: 'v4', attrs: ['community', '65001:101'] },
  {
    family: 'ipv6',
    prefix: '2001:db8:100::10/128',
    nextHop: 'v6',
    attrs: ['aspath', '65100 {65300,65301}', 'community', '65001:300', 'large-community', '65001:3:4'],
  },
  { family: 'ipv6', prefix: '2001:db8:200::/48', nextHop: 'v6', attrs: ['community', '65001:301'] },
];

/**
 * The cluster as manifests: MetalLB announces pool "routed" over BGP; node-a is the GoBGP
 * host (192.0.2.2), node-b another node. shop/web (dual-stack) is advertised; shop/api
 * (Local policy, endpoints only on node-b) is advertised with next hop node-a; shop/db's
 * two addresses are advertised by nobody (2001:db8:200::/48 covers neither).
 */
const MANIFESTS = `
apiVersion: v1
kind: Node
metadata: { name: node-a }
status:
  addresses: [{ type: InternalIP, address: 192.0.2.2 }, { type: InternalIP, address: "2001:db8::2" }]
  conditions: [{ type: Ready, status: "True" }]
---
apiVersion: v1
kind: Node
metadata: { name: node-b }
status:
  addresses: [{ type: InternalIP, address: 192.0.2.3 }]
  conditions: [{ type: Ready, status: "True" }]
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: { name: routed, namespace: metallb-system }
spec: { addresses: [198.51.100.0/24, "2001:db8:100::/64"] }
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: { name: routed, namespace: metallb-system }
spec: { ipAddressPools: [routed] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: LoadBalancer
  ipFamilyPolicy: PreferDualStack
  selector: { app: web }
  ports: [{ port: 80, protocol: TCP }]
status:
  loadBalancer: { ingress: [{ ip: 198.51.100.10 }, { ip: "2001:db8:100::10" }] }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: { app: api }
  ports: [{ port: 80, protocol: TCP }]
status:
  loadBalancer: { ingress: [{ ip: 198.51.100.11 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: api-1, namespace: shop, labels: { kubernetes.io/service-name: api } }
addressType: IPv4
ports: [{ port: 80, protocol: TCP }]
endpoints:
  - addresses: [10.244.2.5]
    nodeName: node-b
    conditions: { ready: true }
---
apiVersion: v1
kind: Service
metadata: { name: db, namespace: shop }
spec:
  type: LoadBalancer
  ipFamilyPolicy: PreferDualStack
  selector: { app: db }
  ports: [{ port: 5432, protocol: TCP }]
status:
  loadBalancer: { ingress: [{ ip: 198.51.100.12 }, { ip: "2001:db8:100::12" }] }
`;

interface Route {
  family: string;
  prefix: string;
  nextHop: string;
  asPath: string;
  communities: string[];
  largeCommunities: string[];
  med?: number;
}
interface Notification {
  direction: string;
  code: number;
  subcode: number;
  codeName: string;
  subcodeName: string;
  data: string;
  reason?: string;
}
interface Peer {
  address: string;
  state: string;
  expected: boolean;
  remoteAs: number | null;
  connections: number;
  routes: Route[];
  lastNotification: Notification | null;
  lastCloseReason: string | null;
}
interface Finding {
  code: string;
  severity: string;
  subject: { kind: string; namespace: string | null; name: string };
  message: string;
}
interface Observation {
  kind: string;
  listen: { address: string; port: number };
  localAs: number;
  peers: Peer[];
  findings: Finding[];
}

let lab: Lab;
let gobgp: GoBgp;
let speaker: Host;
let cliPath: string;
let manifests: string;

/** Starts `exposectl probe bgp` inside the probe's namespace; resolves once it listens. */
async function startProbe(args: string[]): Promise<{ child: ChildProcess; done: Promise<CliResult> }> {
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      lab.probe.ns,
      process.execPath,
      cliPath,
      'probe',
      'bgp',
      '--listen',
      `${lab.probe.v4}:${PORT}`,
      '--local-as',
      String(LOCAL_AS),
      '-o',
      'json',
      ...args,
    ],
    {
      env: { ...sbinEnv(), NO_COLOR: '1', KUBECONFIG: lab.logPath('no-kubeconfig') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  lab.track(child);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const done = collect(child, 90_000);
  await waitUntil(
    async () => /listening for BGP on /.test(stderr) || child.exitCode !== null,
    'probe bgp to listen',
    30_000,
  );
  if (child.exitCode !== null) throw new Error(`probe bgp exited with ${child.exitCode}: ${stderr}`);
  return { child, done };
}

/** GoBGP's side: the session with the probe is Established and all routes are in its Adj-RIB-Out. */
async function gobgpSentAll(): Promise<SentRoute[]> {
  return waitUntil(
    async () => {
      const state = await gobgp.cli(['neighbor', lab.probe.v4]);
      if (!/BGP state\s*=\s*established/i.test(state)) return undefined;
      const out = [...(await gobgp.adjOut('ipv4')), ...(await gobgp.adjOut('ipv6'))];
      return out.length === ROUTES.length ? out : undefined;
    },
    'GoBGP to establish a session with the probe and advertise its routes',
    60_000,
  );
}

function parse(r: CliResult): Observation {
  expect(r.stdout.trim().startsWith('{'), `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(true);
  const doc = JSON.parse(r.stdout) as Observation;
  expect(schemaErrors('bgp-observation.schema.json', doc)).toEqual([]);
  return doc;
}

const byPrefix = (a: { prefix: string }, b: { prefix: string }) =>
  a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0;

beforeAll(async () => {
  await requireTools(['ip', 'gobgpd', 'gobgp']);
  lab = new Lab();
  cliPath = stableCli(lab.dir);
  await lab.create();
  speaker = await lab.addHost('gobgp', 2);
  // Idle hold 1 s: each test starts a new probe, and GoBGP must reconnect after the previous one's Cease.
  gobgp = new GoBgp(lab, speaker, GOBGP_AS, { address: lab.probe.v4, port: PORT }, 1);
  await gobgp.start();
  for (const r of ROUTES) await gobgp.add(r.family, r.prefix, r.nextHop === 'v4' ? speaker.v4 : speaker.v6, r.attrs);
  manifests = lab.file('cluster.yaml', MANIFESTS);
}, 120_000);

afterAll(async () => {
  await lab?.destroy();
}, 60_000);

describe('exposectl probe bgp (CLI) against gobgpd', () => {
  it("prints, as JSON, GoBGP's IPv4 and IPv6 routes as `gobgp global rib` holds them (prefix, next hop, AS path, communities)", async () => {
    const { child, done } = await startProbe(['--no-compare']);
    await gobgpSentAll();
    // GoBGP has queued its UPDATEs: give them a moment on the wire, then stop as a user would (Ctrl-C).
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r);
    expect(doc).toMatchObject({
      kind: 'BgpObservation',
      listen: { address: lab.probe.v4, port: PORT },
      localAs: LOCAL_AS,
      findings: [],
    });
    const peer = doc.peers.find((p) => p.address === speaker.v4);
    expect(peer).toMatchObject({ state: 'Established', remoteAs: GOBGP_AS });

    const rib = [...(await gobgp.rib('ipv4')), ...(await gobgp.rib('ipv6'))].sort(byPrefix);
    expect(rib.map((x) => x.prefix)).toEqual(ROUTES.map((x) => x.prefix).sort());
    const got = [...peer!.routes].sort(byPrefix);
    // eBGP: GoBGP prepends its own AS to the path in its RIB (empty for the routes given without one).
    expect(
      got.map((x) => ({
        prefix: x.prefix,
        nextHop: x.nextHop,
        asPath: x.asPath,
        communities: x.communities,
        largeCommunities: x.largeCommunities,
        med: x.med,
      })),
    ).toEqual(
      rib.map((x) => ({
        prefix: x.prefix,
        nextHop: x.nextHop,
        asPath: [String(GOBGP_AS), x.asPath ?? ''].join(' ').trim(),
        communities: x.communities,
        largeCommunities: x.largeCommunities,
        med: x.med,
      })),
    );
    // Spot checks against the literal values given to `gobgp global rib add`, so a parser slip on both sides cannot hide.
    expect(got.find((x) => x.prefix === '198.51.100.10/32')).toMatchObject({
      family: 'ipv4',
      nextHop: '192.0.2.2',
      asPath: '65001 65100 65200',
      communities: ['65001:100', '65001:200'],
      largeCommunities: ['65001:1:2'],
      med: 10,
    });
    expect(got.find((x) => x.prefix === '2001:db8:100::10/128')).toMatchObject({
      family: 'ipv6',
      nextHop: '2001:db8::2',
      asPath: '65001 65100 {65300,65301}',
      communities: ['65001:300'],
      largeCommunities: ['65001:3:4'],
    });
  });

  it('with -f manifests: bgp/not-advertised names exactly the missing addresses, the silent expected peer is bgp/session-down; --fail-on error exits 3', async () => {
    const { done } = await startProbe([
      '-f',
      manifests,
      '--peer',
      speaker.v4,
      '--peer',
      SILENT_PEER,
      '--duration',
      '15s',
      '--fail-on',
      'error',
    ]);
    await gobgpSentAll();
    const r = await done;
    expect(r.code, r.stderr).toBe(3);
    const doc = parse(r);
    expect(doc.peers.find((p) => p.address === speaker.v4)).toMatchObject({ state: 'Established', expected: true });
    expect(doc.peers.find((p) => p.address === SILENT_PEER)).toMatchObject({ expected: true, connections: 0 });
    expect(doc.peers.find((p) => p.address === speaker.v4)!.routes).toHaveLength(ROUTES.length);

    const notAdvertised = doc.findings.filter((f) => f.code === 'bgp/not-advertised');
    const named = notAdvertised.map((f) => /LoadBalancer address (\S+) of Service/.exec(f.message)?.[1]).sort();
    expect(named).toEqual(['198.51.100.12', '2001:db8:100::12']);
    expect(notAdvertised.map((f) => f.subject)).toEqual([
      { kind: 'Service', namespace: 'shop', name: 'db' },
      { kind: 'Service', namespace: 'shop', name: 'db' },
    ]);
    const down = doc.findings.filter((f) => f.code === 'bgp/session-down');
    expect(down.map((f) => f.subject)).toEqual([{ kind: 'BGPPeer', namespace: null, name: SILENT_PEER }]);
    expect(down[0]!.message).toContain('never connected');
    // shop/api is advertised, but with next hop node-a, which has none of its (Local-policy) endpoints.
    const hop = doc.findings.filter((f) => f.code === 'bgp/nexthop-without-endpoints');
    expect(hop.map((f) => f.subject.name)).toEqual(['api']);
    expect(hop[0]!.message).toContain('node node-a');
    expect(doc.findings.map((f) => f.code).sort()).toEqual([
      'bgp/nexthop-without-endpoints',
      'bgp/not-advertised',
      'bgp/not-advertised',
      'bgp/session-down',
    ]);
  });

  it('everything the manifests expect is advertised by the one expected peer: no finding, --fail-on warning exits 0', async () => {
    const onlyWeb = lab.file(
      'web-only.yaml',
      MANIFESTS.split('\n---\n')
        .filter((d) => !/name: (api|db)\b/.test(d))
        .join('\n---\n'),
    );
    const { done } = await startProbe([
      '-f',
      onlyWeb,
      '--peer',
      speaker.v4,
      '--duration',
      '15s',
      '--fail-on',
      'warning',
    ]);
    await gobgpSentAll();
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r);
    expect(doc.peers.map((p) => [p.address, p.state])).toEqual([[speaker.v4, 'Established']]);
    expect(doc.findings).toEqual([]);
  });

  it('--max-prefixes 3: GoBGP announces 4, the probe ends the session with Cease / Maximum Number of Prefixes Reached (AFI, SAFI, 3), GoBGP receives it, and the observation is still printed', async () => {
    const logBefore = readFileSync(lab.logPath('gobgpd.log'), 'utf8').length;
    const { child, done } = await startProbe(['--no-compare', '--max-prefixes', '3']);
    const gobgpLog = () => readFileSync(lab.logPath('gobgpd.log'), 'utf8').slice(logBefore);
    await waitUntil(
      async () => /received notification/i.test(gobgpLog()),
      'GoBGP to receive the NOTIFICATION of the probe',
      60_000,
    );
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r);
    const peer = doc.peers.find((p) => p.address === speaker.v4);
    expect(peer, r.stdout).toBeDefined();
    expect(peer!.connections).toBeGreaterThanOrEqual(1);
    expect(peer!.lastNotification).toMatchObject({
      direction: 'sent',
      code: 6,
      subcode: 1,
      codeName: 'Cease',
      reason: '4 prefixes received, more than the limit of 3 (--max-prefixes)',
    });
    // RFC 4486: AFI (1 IPv4 or 2 IPv6), SAFI 1 (unicast), the upper bound 3.
    expect(peer!.lastNotification!.data).toMatch(/^000[12]0100000003$/);
    // GoBGP's side: it logged the NOTIFICATION it received from the probe, code 6 subcode 1.
    const log = gobgpLog();
    const received = log.split('\n').filter((l) => /received notification/i.test(l));
    expect(received.length, log.slice(-3000)).toBeGreaterThan(0);
    expect(
      received.some((l) => /"Code":6\b/.test(l) && /"Subcode":1\b/.test(l)),
      received.join('\n'),
    ).toBe(true);
  });
});
