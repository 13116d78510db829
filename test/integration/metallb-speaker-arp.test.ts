// The real MetalLB speaker (built from its module with the control plane) announcing a
// LoadBalancer address in L2 mode for kwok node node-1, and `exposectl probe arp` naming it.
//
// The speaker runs inside a "node-1" network namespace whose eth0 (192.0.2.11, node-1's
// InternalIP) sits on a bridge with a "client" namespace; the CLI runs in the client
// namespace against the live cluster. Nothing leaves the namespaces: the API server,
// which listens on the host's loopback, is reached from each namespace through a
// forwarder on 127.0.0.1:6443 (a name in its serving certificate) that relays to a unix
// socket (unix sockets are not per network namespace) served by this test process.
//
// The speaker is kept away from the other tests' Services of the shared cluster with
// --lb-class: it handles only Services of that loadBalancerClass (which the shared MetalLB
// controller ignores, so the test assigns the address itself, inside a pool of its own).
// Memberlist is off (no --ml-bindaddr): every node is eligible, the L2Advertisement's
// nodeSelector pins the announcer to node-1.
//
// Needs root, iproute2 and arping. Missing tools fail the test.
import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema.js';
import { Lab, requireLab, sh, waitForOutput } from '../network/arp/lab.js';
import { kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

const VIP = '198.51.100.231';
const LB_CLASS = 'metallb.io/exposectl-speaker-test';
const NODE = { role: 'node-1', ip: '192.0.2.11', mac: '02:00:5e:00:02:11' }; // node-1's InternalIP, as cluster:up sets it
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
let speaker: ChildProcess;
let speakerLog = '';
let kubeconfigInNs: string;
let names: { pool: string; pod: string };

function speakerTail(): string {
  return speakerLog.split('\n').slice(-30).join('\n');
}

async function probe(args: string[]) {
  const r = await lab.cli('client', ['probe', 'arp', `${ns.name}/web`, '--interface', 'eth0', '--count', '2', '--timeout', '300ms', '-o', 'json', '--kubeconfig', kubeconfigInNs, ...args], { env: { KUBECONFIG: kubeconfigInNs } });
  expect(r.stdout.trim().startsWith('{'), `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(true);
  const json = JSON.parse(r.stdout);
  expect(schemaErrors('arp-probe.schema.json', json)).toEqual([]);
  return { ...r, json };
}

beforeAll(async () => {
  await requireLab(['ip', 'arping']);
  const cluster = testCluster();
  const info = JSON.parse(readFileSync(path.join(cluster.dir, 'cluster.json'), 'utf8')) as { apiserverUrl: string; binDir: string };
  const api = new URL(info.apiserverUrl);
  names = { pool: `xctl-speaker-${ns.name}`, pod: `xctl-speaker-${ns.name}` };

  lab = new Lab();
  await lab.create([CLIENT, NODE]);

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
  kubeconfigInNs = lab.writeFile('kubeconfig', readFileSync(cluster.kubeconfig, 'utf8').replaceAll(info.apiserverUrl, `https://127.0.0.1:${FORWARD_PORT}`));
  for (const role of [CLIENT.role, NODE.role]) {
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
---
# The speaker's own Pod object (kwok runs it on node-1); it owns the ServiceL2Status the speaker writes.
apiVersion: v1
kind: Pod
metadata: { name: ${names.pod}, namespace: metallb-system, labels: { app: exposectl-speaker-test } }
spec:
  nodeName: node-1
  containers: [{ name: speaker, image: registry.invalid/metallb-speaker:v0.15.3 }]
`,
  });
  await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
    input: `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      nodeSelector: { kubernetes.io/hostname: node-2 }
      containers: [{ name: web, image: registry.invalid/web:1.0, ports: [{ containerPort: 8080 }] }]
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
  await waitUntil('the EndpointSlice of web lists a ready endpoint', async () => {
    const slices = await kubectlJson<{ items: Array<{ endpoints?: Array<{ conditions?: { ready?: boolean } }> }> }>(['get', 'endpointslices', '-n', ns.name, '-l', 'kubernetes.io/service-name=web']);
    return slices.items.flatMap((s) => s.endpoints ?? []).some((e) => e.conditions?.ready === true);
  }, { timeoutMs: 90_000 });
  // The shared controller ignores this class: assign the address as an implementation would.
  await kubectl(['patch', 'service', 'web', '-n', ns.name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: VIP, ipMode: 'VIP' }] } } })]);

  speaker = lab.spawnIn(NODE.role, path.join(info.binDir, 'metallb-speaker'), [
    '--node-name', 'node-1', '--pod-name', names.pod, '--namespace', 'metallb-system', '--lb-class', LB_CLASS, '--port', '7472', '--log-level', 'debug',
  ], { KUBECONFIG: kubeconfigInNs, METALLB_ML_BIND_ADDR: '', METALLB_ML_LABELS: '' });
  speaker.stdout!.on('data', (b: Buffer) => { speakerLog += b.toString(); });
  speaker.stderr!.on('data', (b: Buffer) => { speakerLog += b.toString(); });

  await waitUntil('the MetalLB speaker reports node-1 as the announcer of web (ServiceL2Status)', async () => {
    if (speaker.exitCode !== null) throw new Error(`metallb-speaker exited with ${speaker.exitCode}:\n${speakerTail()}`);
    const list = await kubectlJson<{ items: Array<{ status?: { node?: string; serviceName?: string; serviceNamespace?: string } }> }>(['get', 'servicel2statuses', '-n', 'metallb-system']);
    return list.items.some((s) => s.status?.serviceName === 'web' && s.status.serviceNamespace === ns.name && s.status.node === 'node-1');
  }, { timeoutMs: 60_000 }).catch((e: Error) => { throw new Error(`${e.message}\nspeaker log:\n${speakerTail()}`); });
}, 240_000);

afterAll(async () => {
  await lab?.destroy();
  await new Promise((r) => (relay ? relay.close(r) : r(undefined)));
  if (names) {
    // Deleting the Pod garbage-collects the ServiceL2Status it owns.
    await kubectl(['delete', '-n', 'metallb-system', `pod/${names.pod}`, `l2advertisement/${names.pool}`, `ipaddresspool/${names.pool}`, '--ignore-not-found', '--wait=false'], { allowFailure: true });
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
    expect(r.json.announcer).toMatchObject({ implementation: 'metallb', node: 'node-1', source: expect.stringMatching(/^ServiceL2Status metallb-system\//) });
    expect(r.json.findings).toEqual([]);
  });

  it('the speaker stopped: nobody answers, arp/no-reply, and --fail-on error exits 3', async () => {
    speaker.kill('SIGTERM');
    await waitUntil('metallb-speaker to exit', () => speaker.exitCode !== null || speaker.signalCode !== null, { timeoutMs: 20_000 });
    // A neighbour cache entry of the client could still answer from memory: arping sends its own requests, but flush anyway.
    await sh('ip', ['-n', lab.host(CLIENT.role).ns, 'neigh', 'flush', 'all']);
    const r = await probe(['--fail-on', 'error']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.json.replies).toEqual([]);
    expect(r.json.findings.map((f: { code: string }) => f.code)).toEqual(['arp/no-reply']);
  });
});
