// expose --mode nodeport in the lab: real kube-proxy on every node, real echo Pods; requests
// from the client namespace to every node's NodePort. What the Pod saw as the client address
// must be what `list` (SOURCE-IP) and `diagnose source-ip --probe` said: lost (a node
// address) under policy Cluster, the client's own address under --preserve-source-ip
// (Local), where a node without a local endpoint really drops the traffic and `diagnose` and
// `probe endpoints` name it. --sticky is refused on several nodes (per-entry-node).
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

async function nodePortOf(ns: string, svc: string): Promise<number> {
  const s = await kubectlJson<{ spec: { ports: Array<{ nodePort?: number }> } }>(['get', 'service', svc, '-n', ns]);
  const p = s.spec.ports[0]?.nodePort;
  if (!p) throw new Error(`${ns}/${svc} has no nodePort`);
  return p;
}

describe('nodeport, externalTrafficPolicy Cluster', () => {
  const echo = useEcho('e2e-np');
  let port: number;

  beforeAll(async () => {
    await labEcho(echo.ns, 'web', 3);
    const r = await cli(['expose', 'web', '-n', echo.ns, '--mode', 'nodeport', '--wait', '--timeout', '90s']);
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    port = await nodePortOf(echo.ns, 'web-nodeport');
  }, 240_000);

  it("every node's NodePort reaches an echo Pod; the Pod saw a node address, as list and diagnose source-ip --probe say (lost)", async () => {
    const pods = new Set((await echo.pods()).map((p) => p.name));
    for (const n of NODES) {
      const e = await answer(`http://${n.ip}:${port}/`);
      expect(e, `no answer from ${n.name}:${port}`).toBeDefined();
      expect(pods.has(e!.pod)).toBe(true);
      expect(e!.client.address).not.toBe(CLIENT.ip);
      expect(NODE_SOURCES.has(e!.client.address), `${e!.client.address} is not a node address`).toBe(true);
    }
    expect((await listItem(echo.ns, 'web-nodeport')).sourceIP).toBe('lost');
    const proof = await sourceIpProof(echo.ns, 'web-nodeport');
    expect(proof.verdict, proof.text).toBe('lost');
    expect(
      NODE_SOURCES.has(proof.seen ?? ''),
      `the probe's echo saw ${proof.seen}, not a node address\n${proof.text}`,
    ).toBe(true);
  });

  it('--sticky on three nodes is refused (affinity/per-entry-node): exit 2, nothing created', async () => {
    const r = await cli(['expose', 'web', '-n', echo.ns, '--mode', 'nodeport', '--sticky', '--in-place']);
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(2);
    expect(r.stderr).toContain('affinity/per-entry-node');
    // The user's Service is untouched: still no affinity, still ClusterIP.
    const s = await kubectlJson<{ spec: { type: string; sessionAffinity?: string } }>([
      'get',
      'service',
      'web',
      '-n',
      echo.ns,
    ]);
    expect([s.spec.type, s.spec.sessionAffinity ?? 'None']).toEqual(['ClusterIP', 'None']);
    // The NodePort exposed above (no affinity) still spreads one client: the refusal was the honest answer.
    const seen = await podsAnswering(`http://${NODES[0]!.ip}:${port}/`, 20);
    expect(new Set(seen).size, seen.join(' ')).toBeGreaterThan(1);
  });
});

describe('nodeport, --preserve-source-ip (externalTrafficPolicy Local)', () => {
  // Two replicas spread over two of the three nodes: the third has no local endpoint.
  const echo = useEcho('e2e-npl');
  let port: number;
  let placed: Array<{ name: string; node: string; ip: string }>;

  beforeAll(async () => {
    await labEcho(echo.ns, 'web', 2);
    const r = await cli([
      'expose',
      'web',
      '-n',
      echo.ns,
      '--mode',
      'nodeport',
      '--preserve-source-ip',
      '--wait',
      '--timeout',
      '90s',
    ]);
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    port = await nodePortOf(echo.ns, 'web-nodeport');
    placed = await echo.pods();
    expect(new Set(placed.map((p) => p.node)).size).toBe(2);
  }, 240_000);

  it('a node with an endpoint sends to its own Pod, which sees the client address, as list and diagnose source-ip --probe say (preserved)', async () => {
    for (const p of placed) {
      const node = NODES.find((n) => n.name === p.node)!;
      const e = await answer(`http://${node.ip}:${port}/`);
      expect(e, `no answer from ${node.name}:${port}`).toBeDefined();
      expect(e!.node).toBe(node.name);
      expect(e!.client.address).toBe(CLIENT.ip);
    }
    expect((await listItem(echo.ns, 'web-nodeport')).sourceIP).toBe('preserved');
    const proof = await sourceIpProof(echo.ns, 'web-nodeport');
    expect(proof.verdict, proof.text).toBe('preserved');
    expect(proof.seen, proof.text).toBe(CLIENT.ip);
  });

  it('the node without an endpoint really drops the traffic, and diagnose and probe endpoints say so', async () => {
    const empty = NODES.find((n) => !placed.some((p) => p.node === n.name))!;
    expect(await request(`http://${empty.ip}:${port}/`, 2)).toBeUndefined();
    const d = await cli(['diagnose', '-n', echo.ns, '-o', 'json']);
    const report = JSON.parse(d.stdout) as { findings: Array<{ code: string; message: string }> };
    const f = report.findings.filter((x) => x.code === 'endpoints/local-policy-blackhole');
    expect(f.length, d.stdout).toBeGreaterThan(0);
    expect(f.map((x) => x.message).join('\n')).toContain(empty.name);
    const probe = await endpointsProbe(echo.ns, 'web-nodeport', false);
    expect(probe.blackholeNodes, probe.text).toEqual([empty.name]);
  });
});
