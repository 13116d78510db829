// The real MetalLB speaker (built from its module with the control plane) announcing a
// LoadBalancer address in L2 mode for kwok node node-1, `exposectl probe arp` naming it,
// and `probe arp --watch` following MetalLB's failover to node-2.
//
// One speaker runs inside each of the "node-1" and "node-2" network namespaces, whose eth0
// (192.0.2.11 / .12, the nodes' InternalIPs) sit on a bridge with a "client" namespace; the
// CLI runs in the client namespace against the live cluster. Nothing leaves the namespaces: the API server,
// which listens on the host's loopback, is reached from each namespace through a
// forwarder on 127.0.0.1:6443 (a name in its serving certificate) that relays to a unix
// socket (unix sockets are not per network namespace) served by this test process.
//
// The speaker is kept away from the other tests' Services of the shared cluster with
// --lb-class: it handles only Services of that loadBalancerClass (which the shared MetalLB
// controller ignores, so the test assigns the address itself, inside a pool of its own).
// Memberlist is off (no --ml-bindaddr): every node is eligible, the L2Advertisement's
// nodeSelector pins the announcer to node-1, then (patched) to node-2.
//
// Needs root, iproute2 and arping. Missing tools fail the test.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema.js';
import { collect, Lab, requireLab, sh, waitForOutput } from '../network/arp/lab.js';
import { deploymentYaml, kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

const VIP = '198.51.100.231';
const LB_CLASS = 'metallb.io/exposectl-speaker-test';
// node-1's and node-2's InternalIPs, as cluster:up sets them.
const NODE = { role: 'node-1', ip: '192.0.2.11', mac: '02:00:5e:00:02:11' };
const NODE2 = { role: 'node-2', ip: '192.0.2.12', mac: '02:00:5e:00:02:12' };
const CLIENT = { role: 'client', ip: '192.0.2.10', mac: '02:00:5e:00:02:10' };
const FORWARD_PORT = 6443;

/** Relays 127.0.0.1:6443 inside a network namespace to the unix socket SOCKET. */
const FORWARDER = `
const net = require('node:net');
net.createServer((c) => {
  const u = net.connect(process.env.SOCKET);
  c.pipe(u); u.pipe(c);
  c.on('error', () => u.destroy()); u.on('error', () => c.destroy());
}).listen(${FORWARD_PORT}, '127.0.0.1', () => console.log('listening'));
`;

const ns = useNamespace('speaker-arp');
let lab: Lab;
let relay: net.Server;
const speakers = new Map<string, ChildProcess>();
let speakerLog = '';
let kubeconfigInNs: string;
let names: { pool: string; pod: (node: string) => string };
let binDir: string;

function speakerTail(): string {
  return speakerLog.split('\n').slice(-30).join('\n');
}

/** One speaker per "node" namespace, as the DaemonSet would run it; memberlist off (no --ml-bindaddr). */
function startSpeaker(node: string): void {
  const child = lab.spawnIn(
    node,
    path.join(binDir, 'metallb-speaker'),
    [
      '--node-name',
      node,
      '--pod-name',
      names.pod(node),
      '--namespace',
      'metallb-system',
      '--lb-class',
      LB_CLASS,
      '--port',
      '7472',
      '--log-level',
      'debug',
    ],
    { KUBECONFIG: kubeconfigInNs, METALLB_ML_BIND_ADDR: '', METALLB_ML_LABELS: '' },
  );
  const keep = (b: Buffer) => {
    speakerLog = (speakerLog + b.toString().replace(/^/gm, `[${node}] `)).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  speakers.set(node, child);
}

/** Waits until the speakers' ServiceL2Status for web names this node. */
async function announcedBy(node: string): Promise<void> {
  await waitUntil(
    `the MetalLB speaker reports ${node} as the announcer of web (ServiceL2Status)`,
    async () => {
      for (const [n, c] of speakers)
        if (c.exitCode !== null) throw new Error(`metallb-speaker of ${n} exited with ${c.exitCode}`);
      const list = await kubectlJson<{
        items: Array<{ status?: { node?: string; serviceName?: string; serviceNamespace?: string } }>;
      }>(['get', 'servicel2statuses', '-n', 'metallb-system']);
      const mine = list.items.filter((s) => s.status?.serviceName === 'web' && s.status.serviceNamespace === ns.name);
      return mine.length === 1 && mine[0]!.status!.node === node;
    },
    { timeoutMs: 60_000 },
  ).catch((e: Error) => {
    throw new Error(`${e.message}\nspeaker log:\n${speakerTail()}`);
  });
}

async function probe(args: string[]) {
  const r = await lab.cli(
    'client',
    [
      'probe',
      'arp',
      `${ns.name}/web`,
      '--interface',
      'eth0',
      '--count',
      '2',
      '--timeout',
      '300ms',
      '-o',
      'json',
      '--kubeconfig',
      kubeconfigInNs,
      ...args,
    ],
    { env: { KUBECONFIG: kubeconfigInNs } },
  );
  expect(r.stdout.trim().startsWith('{'), `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(true);
  const json = JSON.parse(r.stdout);
  expect(schemaErrors('arp-probe.schema.json', json)).toEqual([]);
  return { ...r, json };
}

beforeAll(async () => {
  await requireLab(['ip', 'arping', 'tcpdump']);
  const cluster = testCluster();
  const info = JSON.parse(readFileSync(path.join(cluster.dir, 'cluster.json'), 'utf8')) as {
    apiserverUrl: string;
    binDir: string;
  };
  const api = new URL(info.apiserverUrl);
  binDir = info.binDir;
  names = { pool: `xctl-speaker-${ns.name}`, pod: (node) => `xctl-speaker-${ns.name}-${node}` };

  lab = new Lab();
  await lab.create([CLIENT, NODE, NODE2]);

  // The host side of the API relay, and a kubeconfig that names the in-namespace forwarder.
  const socket = path.join(lab.dir, 'apiserver.sock');
  relay = net.createServer((c) => {
    const u = net.connect(Number(api.port), api.hostname);
    c.pipe(u);
    u.pipe(c);
    c.on('error', () => u.destroy());
    u.on('error', () => c.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(socket, resolve));
  kubeconfigInNs = lab.writeFile(
    'kubeconfig',
    readFileSync(cluster.kubeconfig, 'utf8').replaceAll(info.apiserverUrl, `https://127.0.0.1:${FORWARD_PORT}`),
  );
  for (const role of [CLIENT.role, NODE.role, NODE2.role]) {
    const fwd = lab.spawnIn(role, process.execPath, ['-e', FORWARDER], { SOCKET: socket });
    await waitForOutput(fwd, (t) => t.includes('listening'), 15_000);
  }

  // MetalLB configuration of this test only: a pool nobody else may allocate from, announced in L2 from node-1's eth0.
  await kubectl(['apply', '--server-side', '-f', '-'], {
    input: `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: { name: ${names.pool}, namespace: metallb-system }
spec:
  addresses: [${VIP}/32]
  autoAssign: false
  serviceAllocation: { namespaces: [${ns.name}] }
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: { name: ${names.pool}, namespace: metallb-system }
spec:
  ipAddressPools: [${names.pool}]
  nodeSelectors: [{ matchLabels: { kubernetes.io/hostname: node-1 } }]
  interfaces: [eth0]
${[NODE.role, NODE2.role]
  .map(
    (node) => `---
# The speaker's own Pod object on ${node} (kwok runs it); it owns the ServiceL2Status the speaker writes.
apiVersion: v1
kind: Pod
metadata: { name: ${names.pod(node)}, namespace: metallb-system, labels: { app: exposectl-speaker-test } }
spec:
  nodeName: ${node}
  containers: [{ name: speaker, image: registry.invalid/metallb-speaker:v0.15.3 }]
`,
  )
  .join('')}`,
  });
  await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
    input: `
${deploymentYaml('web', 1, { node: 'node-2' })}
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: LoadBalancer
  loadBalancerClass: ${LB_CLASS}
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
`,
  });
  // L2 mode with policy Cluster announces only a Service with a ready endpoint somewhere.
  await waitUntil(
    'the EndpointSlice of web lists a ready endpoint',
    async () => {
      const slices = await kubectlJson<{ items: Array<{ endpoints?: Array<{ conditions?: { ready?: boolean } }> }> }>([
        'get',
        'endpointslices',
        '-n',
        ns.name,
        '-l',
        'kubernetes.io/service-name=web',
      ]);
      return slices.items.flatMap((s) => s.endpoints ?? []).some((e) => e.conditions?.ready === true);
    },
    { timeoutMs: 90_000 },
  );
  // The shared controller ignores this class: assign the address as an implementation would.
  await kubectl([
    'patch',
    'service',
    'web',
    '-n',
    ns.name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: VIP, ipMode: 'VIP' }] } } }),
  ]);

  startSpeaker(NODE.role);
  startSpeaker(NODE2.role);
  await announcedBy(NODE.role);
}, 240_000);

afterAll(async () => {
  await lab?.destroy();
  await new Promise((r) => (relay ? relay.close(r) : r(undefined)));
  if (names) {
    // Deleting the Pod garbage-collects the ServiceL2Status it owns.
    await kubectl(
      [
        'delete',
        '-n',
        'metallb-system',
        `pod/${names.pod(NODE.role)}`,
        `pod/${names.pod(NODE2.role)}`,
        `l2advertisement/${names.pool}`,
        `ipaddresspool/${names.pool}`,
        '--ignore-not-found',
        '--wait=false',
      ],
      { allowFailure: true },
    );
  }
}, 60_000);

describe('probe arp against the real MetalLB speaker in L2 mode', () => {
  it('the speaker (not a kernel address) answers ARP for the address; probe arp names node-1, which is the announcer MetalLB reports', async () => {
    // The address is on no interface of node-1: only the speaker's ARP responder can answer.
    expect(await sh('ip', ['-n', lab.host(NODE.role).ns, '-4', 'addr', 'show'])).not.toContain(VIP);
    const r = await probe([]);
    expect(r.code, `${r.stderr}\nspeaker log:\n${speakerTail()}`).toBe(0);
    expect(r.json).toMatchObject({ kind: 'ArpProbe', ip: VIP, service: { namespace: ns.name, name: 'web' } });
    expect(r.json.replies.map((x: { mac: string; node: string }) => [x.mac, x.node])).toEqual([[NODE.mac, 'node-1']]);
    expect(r.json.announcer).toMatchObject({
      implementation: 'metallb',
      node: 'node-1',
      source: expect.stringMatching(/^ServiceL2Status metallb-system\//),
    });
    expect(r.json.findings).toEqual([]);
  });

  it('--watch: the L2Advertisement moved to node-2, MetalLB fails over; the watch reports the holder change, its gratuitous ARP and the failover time', async () => {
    const child = lab.spawnIn(
      CLIENT.role,
      process.execPath,
      [
        lab.cliPath,
        'probe',
        'arp',
        `${ns.name}/web`,
        '-i',
        'eth0',
        '--watch',
        '--interval',
        '200ms',
        '-o',
        'json',
        '--kubeconfig',
        kubeconfigInNs,
      ],
      { NO_COLOR: '1', KUBECONFIG: kubeconfigInNs },
    );
    const done = collect(child, 180_000);
    let streamed = '';
    child.stdout!.on('data', (c: Buffer | string) => {
      streamed += c.toString();
    });
    // Complete lines only (the last one may still be arriving).
    const seen = (pred: (e: { type: string; to?: string[]; mac?: string }) => boolean) =>
      streamed
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l))
        .some(pred);
    await waitUntil(
      'the watch to report node-1 answering',
      () => seen((e) => e.type === 'holder' && e.to?.[0] === NODE.mac),
      { timeoutMs: 90_000 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nwatch output:\n${streamed}`);
    });
    await kubectl([
      'patch',
      'l2advertisement',
      names.pool,
      '-n',
      'metallb-system',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { nodeSelectors: [{ matchLabels: { 'kubernetes.io/hostname': NODE2.role } }] } }),
    ]);
    await announcedBy(NODE2.role);
    // Stop (Ctrl-C) once the watch has heard node-2's gratuitous ARP and node-2 answering alone.
    await waitUntil(
      'the watch to report the failover to node-2',
      () =>
        seen((e) => e.type === 'gratuitous' && e.mac === NODE2.mac) &&
        seen((e) => e.type === 'holder' && e.to?.length === 1 && e.to[0] === NODE2.mac),
      { timeoutMs: 60_000 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nwatch output:\n${streamed}\nspeaker log:\n${speakerTail()}`);
    });
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, `${r.stderr}\nspeaker log:\n${speakerTail()}`).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const l of lines) expect(schemaErrors('arp-watch.schema.json', l), JSON.stringify(l)).toEqual([]);
    const summary = lines.at(-1);
    const events = lines.slice(0, -1);
    // The first holder change is node-1 taking the address. The network does not order it
    // against node-1's own gratuitous ARP, which may be heard first: only holders are ordered.
    const holderChanges = events.filter((e: { type: string }) => e.type === 'holder');
    expect(holderChanges[0], r.stdout).toMatchObject({
      type: 'holder',
      from: [],
      to: [NODE.mac],
      nodes: { [NODE.mac]: 'node-1' },
    });
    const beforeFirstHolder = events.slice(0, events.indexOf(holderChanges[0]));
    expect(
      beforeFirstHolder.every((e: { type: string; mac?: string }) => e.type === 'gratuitous' && e.mac === NODE.mac),
      r.stdout,
    ).toBe(true);
    // The last change of holder ends on node-2 alone (on the way there may be a silence, or a moment when both answer).
    const change = holderChanges.at(-1);
    expect(change.to, r.stdout).toEqual([NODE2.mac]);
    expect(change.nodes).toMatchObject({ [NODE2.mac]: 'node-2' });
    // MetalLB announces a new holder with gratuitous ARP; the watch hears it from node-2's MAC.
    expect(
      events.some((e: { type: string; mac: string }) => e.type === 'gratuitous' && e.mac === NODE2.mac),
      r.stdout,
    ).toBe(true);
    expect(summary).toMatchObject({ kind: 'ArpWatch', ip: VIP, holders: [NODE2.mac], gratuitousListened: true });
    expect(summary.failovers.length).toBeGreaterThanOrEqual(1);
    expect(summary.failovers.at(-1)).toMatchObject({ to: [NODE2.mac] });
    // From node-1's last reply to node-2's first: measured, and within the test's own timeline.
    expect(summary.failovers.at(-1).failoverMs).toBeGreaterThanOrEqual(0);
    expect(summary.failovers.at(-1).failoverMs).toBeLessThan(
      Date.parse(summary.endedAt) - Date.parse(summary.startedAt),
    );

    // Afterwards a one-shot probe names node-2, which is now the announcer MetalLB reports: no holder mismatch.
    const after = await probe([]);
    expect(after.json.replies.map((x: { mac: string; node: string }) => [x.mac, x.node])).toEqual([
      [NODE2.mac, 'node-2'],
    ]);
    expect(after.json.announcer).toMatchObject({ implementation: 'metallb', node: 'node-2' });
    expect(after.json.findings).toEqual([]);
  });

  it('the speakers stopped: nobody answers, arp/no-reply, and --fail-on error exits 3', async () => {
    for (const c of speakers.values()) c.kill('SIGTERM');
    await waitUntil(
      'the metallb-speakers to exit',
      () => [...speakers.values()].every((c) => c.exitCode !== null || c.signalCode !== null),
      { timeoutMs: 20_000 },
    );
    const r = await probe(['--fail-on', 'error']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.json.replies).toEqual([]);
    expect(r.json.findings.map((f: { code: string }) => f.code)).toEqual(['arp/no-reply']);
  });
});
