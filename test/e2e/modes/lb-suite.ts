// The LoadBalancer modes in the lab (l2: a speaker answers ARP for the address on the
// segment; bgp: the router learned it from the speakers and routes the client there): after
// `expose --wait`, a real request from the client reaches an echo Pod, and the address the
// Pod saw is what `list` (SOURCE-IP) and `diagnose source-ip --probe` said, under policy
// Cluster (a node address) and with --preserve-source-ip (the client's own), where the node
// without an endpoint drops its NodePort and its real kube-proxy's health check answers 503;
// --sticky keeps the client on one Pod for 20 connections.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  answer,
  CLIENT,
  cli,
  endpointsProbe,
  kubectlJson,
  labEcho,
  listItem,
  NODE_SOURCES,
  NODES,
  podsAnswering,
  request,
  sourceIpProof,
  useEcho,
} from '../lab.ts';

async function lbAddressOf(ns: string, svc: string): Promise<string> {
  const s = await kubectlJson<{ status: { loadBalancer?: { ingress?: Array<{ ip?: string }> } } }>([
    'get',
    'service',
    svc,
    '-n',
    ns,
  ]);
  const ip = s.status.loadBalancer?.ingress?.[0]?.ip;
  if (!ip) throw new Error(`${ns}/${svc} has no LoadBalancer address`);
  return ip;
}

/**
 * `addresses`: the first address of a /30 each (the pool exposectl creates): the Service asks
 * for it with --ip, and the source-ip probe's mirror Service takes another one of the pool.
 */
export function loadBalancerSuite(
  mode: 'l2' | 'bgp',
  addresses: { cluster: string; local: string },
  extra: string[] = [],
): void {
  describe(`${mode}, externalTrafficPolicy Cluster`, () => {
    const echo = useEcho(`e2e-${mode}`);

    beforeAll(async () => {
      await labEcho(echo.ns, 'web', 3);
      const r = await cli([
        'expose',
        'web',
        '-n',
        echo.ns,
        '--mode',
        mode,
        '--addresses',
        `${addresses.cluster}/30`,
        '--ip',
        addresses.cluster,
        ...extra,
        '--wait',
        '--timeout',
        '120s',
      ]);
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      expect(await lbAddressOf(echo.ns, 'web-lb')).toBe(addresses.cluster);
    }, 300_000);

    it('the address reaches an echo Pod, which saw a node address, as list and diagnose source-ip --probe say (lost)', async () => {
      const pods = new Set((await echo.pods()).map((p) => p.name));
      const e = await answer(`http://${addresses.cluster}/`, { timeoutS: 5 });
      expect(e, `no answer from ${addresses.cluster}`).toBeDefined();
      expect(pods.has(e!.pod)).toBe(true);
      expect(NODE_SOURCES.has(e!.client.address), `${e!.client.address} is not a node address`).toBe(true);
      expect((await listItem(echo.ns, 'web-lb')).sourceIP).toBe('lost');
      const proof = await sourceIpProof(echo.ns, 'web-lb');
      expect(proof.verdict, proof.text).toBe('lost');
      expect(
        NODE_SOURCES.has(proof.seen ?? ''),
        `the probe's echo saw ${proof.seen}, not a node address\n${proof.text}`,
      ).toBe(true);
    });

    it('--sticky: 20 connections from the client land on one Pod', async () => {
      const r = await cli([
        'expose',
        'web',
        '-n',
        echo.ns,
        '--mode',
        mode,
        '--addresses',
        `${addresses.cluster}/30`,
        '--ip',
        addresses.cluster,
        ...extra,
        '--sticky',
        '--wait',
        '--timeout',
        '120s',
      ]);
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      const seen = await podsAnswering(`http://${addresses.cluster}/`, 20);
      expect(new Set(seen).size, seen.join(' ')).toBe(1);
    });
  });

  describe(`${mode}, --preserve-source-ip (externalTrafficPolicy Local)`, () => {
    const echo = useEcho(`e2e-${mode}l`);

    beforeAll(async () => {
      await labEcho(echo.ns, 'web', 2);
      const r = await cli([
        'expose',
        'web',
        '-n',
        echo.ns,
        '--mode',
        mode,
        '--addresses',
        `${addresses.local}/30`,
        '--ip',
        addresses.local,
        ...extra,
        '--preserve-source-ip',
        '--wait',
        '--timeout',
        '120s',
      ]);
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      expect(await lbAddressOf(echo.ns, 'web-lb')).toBe(addresses.local);
    }, 300_000);

    it("the echo Pod saw the client's own address, as list and diagnose source-ip --probe say (preserved)", async () => {
      for (let i = 0; i < 5; i++) {
        const e = await answer(`http://${addresses.local}/`, { timeoutS: 5 });
        expect(e, `no answer from ${addresses.local}`).toBeDefined();
        expect(e!.client.address).toBe(CLIENT.ip);
      }
      expect((await listItem(echo.ns, 'web-lb')).sourceIP).toBe('preserved');
      const proof = await sourceIpProof(echo.ns, 'web-lb');
      expect(proof.verdict, proof.text).toBe('preserved');
      expect(proof.seen, proof.text).toBe(CLIENT.ip);
    });

    it('the node without an endpoint drops its NodePort, and its real kube-proxy health check says so, as probe endpoints --healthz reports', async () => {
      const placed = await echo.pods();
      const empty = NODES.find((n) => !placed.some((p) => p.node === n.name))!;
      const nodePort = (
        await kubectlJson<{ spec: { ports: Array<{ nodePort: number }> } }>(['get', 'service', 'web-lb', '-n', echo.ns])
      ).spec.ports[0]!.nodePort;
      expect(await request(`http://${empty.ip}:${nodePort}/`, 2)).toBeUndefined();
      const probe = await endpointsProbe(echo.ns, 'web-lb', true);
      // MetalLB announces a Local Service's address only from a node with a ready endpoint:
      // the empty node drops its NodePort, but the address's traffic never reaches it.
      expect(probe.blackholeNodes, probe.text).toEqual([]);
      for (const row of probe.nodes) {
        const local = placed.filter((p) => p.node === row.node).length;
        expect([row.node, row.healthz?.status, row.healthz?.localEndpoints], probe.text).toEqual([
          row.node,
          local > 0 ? 200 : 503,
          local,
        ]);
      }
    });
  });
}
