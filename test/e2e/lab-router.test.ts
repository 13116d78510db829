// The lab's router (BIRD 2 with lab:up's configuration) and addressing, with GoBGP standing in
// for the MetalLB speakers of node-1 and node-2 (same ASN, same peering as the BGPPeer
// lab-router): the router learns a BGP address from both, installs an ECMP route, and the
// client, which routes 203.0.113.0/24 to the router, reaches a server on the nodes through
// it; when one speaker goes, its next hop goes with it. Also: Pods behind different nodes
// reach each other and the client over the lab's routed Pod network. Needs root.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, startDetached, waitFor } from '../../scripts/lab/host.ts';
import { createNetwork, createPodNetwork, destroyNetwork, startRouter } from '../../scripts/lab/network.ts';
import { CLIENT, labId, NODE_ASN, NODES, nsName, ROUTER, ROUTER_ASN } from '../../scripts/lab/topology.ts';
import { REPO_ROOT } from '../helpers/cli.js';
import { goBgpConfig } from '../helpers/gobgp-config.js';

const run = promisify(execFile);
const ENV = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };
const VIP = '203.0.113.5';
const ECHO = path.join(REPO_ROOT, 'scripts/lab/echo-server.ts');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-labrouter-'));
const id = labId(dir);
let sock: string;
const speakers = new Map<string, number>();

async function inNs(role: string, cmd: string, args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const r = await run('ip', ['netns', 'exec', nsName(id, role), cmd, ...args], { env: ENV, timeout: 20_000 });
    return { code: 0, stdout: r.stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '' };
  }
}

async function routerRoute(): Promise<string> {
  return (await run('ip', ['-n', nsName(id, ROUTER.role), 'route', 'show', `${VIP}/32`], { env: ENV })).stdout;
}

async function echoFrom(
  role: string,
  url: string,
): Promise<{ node: string; pod: string; client: { address: string } } | undefined> {
  const r = await inNs(role, 'curl', ['-s', '-m', '3', url]);
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

/** GoBGP in a node namespace, peering with the router as the node's MetalLB speaker would, announcing VIP. */
async function startSpeaker(node: (typeof NODES)[number]): Promise<void> {
  const conf = path.join(dir, `gobgpd-${node.name}.toml`);
  fs.writeFileSync(
    conf,
    goBgpConfig({
      asn: NODE_ASN,
      routerId: node.ip,
      neighbors: [
        {
          address: ROUTER.ip,
          peerAs: ROUTER_ASN,
          localAddress: node.ip,
          holdTime: 9,
          keepaliveInterval: 3,
          afiSafis: ['ipv4-unicast'],
        },
      ],
    }),
  );
  const api = `127.0.0.1:${50060 + NODES.indexOf(node)}`;
  const p = startDetached(
    nsName(id, node.name),
    'gobgpd',
    ['-f', conf, '-t', 'toml', '--api-hosts', api, '--pprof-disable'],
    path.join(dir, `gobgpd-${node.name}.log`),
  );
  speakers.set(node.name, p.pid);
  await waitFor(
    `gobgpd API on ${node.name}`,
    async () => (await inNs(node.name, 'gobgp', ['-u', '127.0.0.1', '-p', api.split(':')[1]!, 'global'])).code === 0,
    20_000,
  );
  const add = await inNs(node.name, 'gobgp', [
    '-u',
    '127.0.0.1',
    '-p',
    api.split(':')[1]!,
    'global',
    'rib',
    'add',
    `${VIP}/32`,
    '-a',
    'ipv4',
    'nexthop',
    node.ip,
  ]);
  expect(add.code).toBe(0);
}

beforeAll(async () => {
  createNetwork(id);
  sock = await startRouter(id, path.join(dir, 'lab'));
  for (const node of NODES.slice(0, 2)) {
    // The address on the node, a server behind it: what kube-proxy's rules would lead to.
    await run('ip', ['-n', nsName(id, node.name), 'addr', 'add', `${VIP}/32`, 'dev', 'lo'], { env: ENV });
    startDetached(nsName(id, node.name), process.execPath, [ECHO], path.join(dir, `echo-${node.name}.log`), {
      NODE_NAME: node.name,
      POD_NAME: `host-${node.name}`,
      PORT: '8080',
    });
    await startSpeaker(node);
  }
}, 120_000);

afterAll(async () => {
  await destroyNetwork(id);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the lab router', () => {
  it('learns the address from both speakers over BGP and installs an ECMP route through both nodes', async () => {
    await waitFor(
      'an ECMP route to the VIP via node-1 and node-2 on the router',
      async () => {
        const r = await routerRoute();
        return r.includes(`via ${NODES[0]!.ip}`) && r.includes(`via ${NODES[1]!.ip}`);
      },
      60_000,
      () => fs.readFileSync(path.join(dir, 'lab/logs/bird.log'), 'utf8'),
    );
    const protocols = (await run('birdc', ['-s', sock, 'show', 'protocols'], { env: ENV })).stdout;
    expect(protocols.match(/Established/g)).toHaveLength(2);
  });

  it("routes the client to the address: a node answers, and sees the client's own address", async () => {
    const e = await echoFrom(CLIENT.role, `http://${VIP}:8080/`);
    expect(e).toBeDefined();
    expect(['node-1', 'node-2']).toContain(e!.node);
    expect(e!.client.address).toBe(CLIENT.ip);
  });

  it('a speaker that goes takes its next hop with it; the client still gets through the other node', async () => {
    await killAll([speakers.get('node-1')!]);
    await waitFor(
      'the route via node-1 withdrawn',
      async () => {
        const r = await routerRoute();
        return !r.includes(`via ${NODES[0]!.ip}`) && r.includes(NODES[1]!.ip);
      },
      30_000,
    );
    const e = await echoFrom(CLIENT.role, `http://${VIP}:8080/`);
    expect(e?.node).toBe('node-2');
  });
});

describe('the lab Pod network', () => {
  it('Pods behind different nodes reach each other by Pod address, and the client reaches them through the router', async () => {
    createPodNetwork({ nodeNs: nsName(id, 'node-1'), podNs: nsName(id, 'pod-a'), veth: 'lvrtesta', ip: '10.244.1.2' });
    createPodNetwork({ nodeNs: nsName(id, 'node-3'), podNs: nsName(id, 'pod-b'), veth: 'lvrtestb', ip: '10.244.3.2' });
    startDetached(nsName(id, 'pod-b'), process.execPath, [ECHO], path.join(dir, 'echo-pod-b.log'), {
      POD_NAME: 'b',
      NODE_NAME: 'node-3',
      PORT: '8080',
    });
    await waitFor(
      'the echo in pod-b',
      async () => (await echoFrom('pod-a', 'http://10.244.3.2:8080/')) !== undefined,
      20_000,
    );
    expect((await echoFrom('pod-a', 'http://10.244.3.2:8080/'))?.client.address).toBe('10.244.1.2');
    expect((await echoFrom(CLIENT.role, 'http://10.244.3.2:8080/'))?.client.address).toBe(CLIENT.ip);
    // The node itself reaches its Pod from its own address in the Pod network.
    expect((await echoFrom('node-3', 'http://10.244.3.2:8080/'))?.client.address).toBe(NODES[2]!.podGateway);
  });
});
