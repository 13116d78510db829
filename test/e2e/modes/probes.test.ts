// The network probes against the lab's real MetalLB speakers, from the client namespace:
// `probe arp` sees the speaker that announces an L2 address (its node's MAC), and with
// --watch reports the failover when that node's speaker is stopped (its Pod deleted: another
// node's speaker takes the address over with gratuitous ARP); `probe bgp`, peered with every
// node's speaker through a BGPPeer of its own, receives exactly the BGP LoadBalancer addresses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BGP_POOL, NODE_ASN } from '../../../scripts/lab/topology.ts';
import { CLIENT, cli, cliIn, kubectl, kubectlJson, labEcho, NODES, useEcho } from '../lab.ts';

const L2_ADDRESS = '198.51.100.40';
const BGP_ADDRESS = '203.0.113.40';
const PROBE_AS = 64510;

/** Every LoadBalancer address of the cluster in the lab's BGP range (what the speakers should advertise). */
async function bgpLoadBalancerAddresses(): Promise<string[]> {
  const svcs = await kubectlJson<{
    items: Array<{ status?: { loadBalancer?: { ingress?: Array<{ ip?: string }> } } }>;
  }>(['get', 'services', '-A']);
  const prefix = BGP_POOL.split('.').slice(0, 3).join('.');
  return svcs.items
    .flatMap((s) => (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? ''))
    .filter((ip) => ip.startsWith(`${prefix}.`))
    .sort();
}

describe('probe arp and probe bgp against the real MetalLB speakers', () => {
  const echo = useEcho('e2e-probes');
  // useEcho unexposes `web`; the pool and advertisement of `api` are exposectl's to remove too (runs first)
  afterAll(async () => {
    await cli(['unexpose', `${echo.ns}/api`]).catch(() => undefined);
  });

  beforeAll(async () => {
    await labEcho(echo.ns, 'web', 3);
    await labEcho(echo.ns, 'api', 2);
    for (const [svc, mode, ip] of [
      ['web', 'l2', L2_ADDRESS],
      ['api', 'bgp', BGP_ADDRESS],
    ] as const) {
      const r = await cli(['expose', svc, '-n', echo.ns, '--mode', mode, '--addresses', `${ip}/30`, '--ip', ip]);
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    }
    for (const svc of ['web-lb', 'api-lb'])
      await kubectl([
        'wait',
        '-n',
        echo.ns,
        `service/${svc}`,
        '--for=jsonpath={.status.loadBalancer.ingress[0].ip}',
        '--timeout=60s',
      ]);
  }, 300_000);

  it('probe arp sees the announcing speaker, and --watch reports the failover when it stops', async () => {
    const once = await cliIn(CLIENT.role, ['probe', 'arp', `${echo.ns}/web-lb`, '-i', 'eth0', '-o', 'json']);
    expect(once.code, `${once.stderr}\n${once.stdout}`).toBe(0);
    const observed = JSON.parse(once.stdout) as {
      replies: Array<{ mac: string; node: string | null }>;
      announcer: { node: string | null } | null;
    };
    // exactly one speaker answers, with its node's own MAC
    expect(observed.replies, once.stdout).toHaveLength(1);
    const holder = NODES.find((n) => n.mac === observed.replies[0]!.mac);
    expect(holder, once.stdout).toBeDefined();
    expect(observed.replies[0]!.node).toBe(holder!.name);
    // the speaker that answers is the one MetalLB reports (ServiceL2Status)
    expect(observed.announcer?.node).toBe(holder!.name);

    const watching = cliIn(
      CLIENT.role,
      ['probe', 'arp', `${echo.ns}/web-lb`, '-i', 'eth0', '--watch', '--duration', '20s', '-o', 'json'],
      60_000,
    );
    await new Promise((r) => setTimeout(r, 4000));
    // stop the holder's speaker: its Pod deleted, the lab kubelet stops the process
    const speakers = await kubectlJson<{ items: Array<{ metadata: { name: string }; spec: { nodeName: string } }> }>([
      'get',
      'pods',
      '-n',
      'metallb-system',
    ]);
    const speaker = speakers.items.find(
      (p) => p.spec.nodeName === holder!.name && p.metadata.name.startsWith('speaker'),
    );
    expect(speaker, `no speaker Pod on ${holder!.name}`).toBeDefined();
    await kubectl(['delete', 'pod', '-n', 'metallb-system', speaker!.metadata.name, '--wait=false']);
    const w = await watching;
    expect(w.code, w.stderr).toBe(0);
    const summary = JSON.parse(w.stdout.trim().split('\n').at(-1)!) as {
      kind: string;
      failovers: Array<{ from: string[]; to: string[]; gratuitousAt: string | null }>;
      nodeOfMac: Record<string, string>;
    };
    expect(summary.kind).toBe('ArpWatch');
    // The first change starts from the stopped node's MAC. The network fixes no order after
    // that: for a moment two speakers may both answer (each announces until memberlist
    // agrees), and the DaemonSet's new speaker Pod may take the address back. What must be
    // seen is another node's MAC answering, announced by gratuitous ARP.
    const first = summary.failovers[0];
    expect(first, w.stdout).toBeDefined();
    expect(first!.from).toEqual([holder!.mac]);
    const moved = summary.failovers.find((f) => f.to.some((mac) => mac !== holder!.mac));
    expect(moved, w.stdout).toBeDefined();
    const taker = moved!.to.find((mac) => mac !== holder!.mac)!;
    expect(NODES.map((n) => n.name)).toContain(summary.nodeOfMac[taker]);
    expect(
      summary.failovers.some((f) => f.gratuitousAt !== null),
      w.stdout,
    ).toBe(true);
  }, 120_000);

  describe('probe bgp', () => {
    const peer = `e2e-probe-${echo.ns.slice(-4)}`;
    afterAll(async () => {
      await kubectl(['delete', 'bgppeers.metallb.io', '-n', 'metallb-system', peer, '--ignore-not-found']);
    });

    it('peered with every node speaker, receives exactly the BGP LoadBalancer addresses', async () => {
      await kubectl(
        ['apply', '-f', '-'],
        `apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: { name: ${peer}, namespace: metallb-system }
spec: { peerAddress: ${CLIENT.ip}, peerASN: ${PROBE_AS}, myASN: ${NODE_ASN}, holdTime: 9s }
`,
      );
      const r = await cliIn(
        CLIENT.role,
        [
          'probe',
          'bgp',
          '--listen',
          `${CLIENT.ip}:179`,
          '--local-as',
          String(PROBE_AS),
          '--duration',
          '15s',
          '-o',
          'json',
        ],
        60_000,
      );
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      const obs = JSON.parse(r.stdout) as {
        peers: Array<{
          address: string;
          state: string;
          remoteAs: number;
          routes: Array<{ prefix: string; nextHop: string }>;
        }>;
        findings: Array<{ code: string; message: string }>;
      };
      const expected = await bgpLoadBalancerAddresses();
      expect(expected).toContain(BGP_ADDRESS);
      expect(obs.peers.map((p) => p.address).sort()).toEqual(NODES.map((n) => n.ip));
      for (const p of obs.peers) {
        expect(p.state, JSON.stringify(p)).toBe('Established');
        expect(p.remoteAs).toBe(NODE_ASN);
        expect(p.routes.map((x) => x.prefix.replace(/\/32$/, '')).sort(), `routes from ${p.address}`).toEqual(expected);
        expect(p.routes.every((x) => x.nextHop === p.address)).toBe(true);
      }
      // compared with the cluster: nothing missing, nothing unexpected
      expect(obs.findings, JSON.stringify(obs.findings)).toEqual([]);
    }, 90_000);
  });
});
