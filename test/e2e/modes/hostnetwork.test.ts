// expose --mode hostnetwork in the lab: the gateway DaemonSet's HAProxy or nginx runs for real
// in the node's namespace (the lab kubelet, with the ConfigMap exposectl wrote) and forwards
// to the Service's ClusterIP (real kube-proxy, names from the lab's cluster DNS). Node-1 is
// left out: Traefik holds port 80 there. The Pod sees the gateway node's address, as `list`
// says (lost), and `diagnose source-ip --probe` says why it cannot prove it (the gateway's
// config is not exposectl's to add a mirror to). With --preserve-source-ip the gateway sends
// PROXY protocol (HAProxy v2, nginx v1) and the echo reads the client from it (preserved);
// with --sticky the gateway balances by client address over the Pods of a headless Service
// (the lab DNS answers its ready Pods: SRV records for HAProxy, A records for nginx), so 20
// connections of the client land on one Pod.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  answer,
  CLIENT,
  cli,
  labEcho,
  listItem,
  NODE_SOURCES,
  NODES,
  podsAnswering,
  sourceIpProof,
  useEcho,
} from '../lab.ts';

for (const [impl, node] of [
  ['haproxy', NODES[1]!],
  ['nginx', NODES[2]!],
] as const) {
  describe(`hostnetwork with ${impl} on ${node.name}`, () => {
    const echo = useEcho(`e2e-hn-${impl.slice(0, 3)}`);
    // expose web as a gateway on this node only, with the flags under test
    const exposeOn = (...flags: string[]) =>
      cli([
        'expose',
        'web',
        '-n',
        echo.ns,
        '--mode',
        'hostnetwork',
        '--gateway-impl',
        impl,
        '--node-selector',
        `kubernetes.io/hostname=${node.name}`,
        ...flags,
        '--wait',
        '--timeout',
        '120s',
      ]);

    beforeAll(async () => {
      await labEcho(echo.ns, 'web', 3);
      const r = await exposeOn();
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    }, 300_000);

    it(`the gateway node's port 80 reaches an echo Pod, which saw a node address, as list says (lost)`, async () => {
      const pods = new Set((await echo.pods()).map((p) => p.name));
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const e = await answer(`http://${node.ip}/`, { timeoutS: 5 });
        expect(e, `no answer from ${node.name}:80`).toBeDefined();
        expect(pods.has(e!.pod)).toBe(true);
        expect(e!.client.address).not.toBe(CLIENT.ip);
        expect(NODE_SOURCES.has(e!.client.address), `${e!.client.address} is not a node address`).toBe(true);
        seen.add(e!.pod);
      }
      // through the ClusterIP: kube-proxy spreads the gateway's connections over the Pods
      expect(seen.size).toBeGreaterThan(1);
      expect((await listItem(echo.ns, 'web-hostnet')).sourceIP).toBe('lost');
      const proof = await sourceIpProof(echo.ns, 'web');
      expect(proof.verdict, proof.text).toBe('failed');
      expect(proof.text).toMatch(/hostNetwork/);
    });

    it('--preserve-source-ip: the gateway sends PROXY protocol carrying the client, as list says (preserved)', async () => {
      const r = await exposeOn('--preserve-source-ip');
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      // the DaemonSet rolls its Pod to the new config: wait for an answer that carries the header
      const deadline = Date.now() + 60_000;
      let e = await answer(`http://${node.ip}/`, { timeoutS: 5 });
      while (e && e.proxyProtocol === undefined && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 1000));
        e = await answer(`http://${node.ip}/`, { timeoutS: 5 });
      }
      expect(e, `no answer from ${node.name}:80`).toBeDefined();
      // the TCP peer is still the gateway node; the PROXY header carries the client
      expect(NODE_SOURCES.has(e!.client.address), `${e!.client.address} is not a node address`).toBe(true);
      expect(e!.proxyProtocol?.address, JSON.stringify(e)).toBe(CLIENT.ip);
      expect((await listItem(echo.ns, 'web-hostnet')).sourceIP).toBe('preserved');
    }, 180_000);

    // HAProxy's sticky backend finds the Pods through the headless Service's SRV records
    // (_http._tcp.web-hostnet...: the port is named), nginx through its A records.
    it('--sticky: the gateway picks a Pod by the client address (headless Service): 20 connections land on one Pod', async () => {
      const r = await exposeOn('--sticky');
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      // the gateway restarts with the new config and resolves the headless Service's Pods
      const seen = await podsAnswering(`http://${node.ip}/`, 20, { withinS: 60 });
      expect(new Set(seen).size, seen.join(' ')).toBe(1);
      expect((await echo.pods()).map((p) => p.name)).toContain(seen[0]);
    }, 180_000);
  });
}
