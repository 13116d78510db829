// The source-IP path proven in network namespaces (issue 7): a client sends through a
// "node" to an echo server in a "pod" namespace that reports the peer address it saw (and
// the address of a PROXY protocol header). The node behaves like the Cluster policy
// (kube-proxy's DNAT + SNAT with real iptables), like the Local policy (DNAT only), or runs
// HAProxy as a hostNetwork gateway with and without send-proxy-v2. What the echo saw becomes
// the source-ip probe's facts; `diagnose source-ip` must name the hop that rewrote the
// address (and the snapshot-only diagnosis must name the same one), or nothing when the
// client address arrives.
//
// Addresses are documentation ranges only: client side 192.0.2.0/24, pod side
// 198.51.100.0/24, the Service's ClusterIP 203.0.113.10. As root:
//   npx vitest run --config test/network/bgp/vitest.config.ts test/network/diagnose
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalyzers } from '../../../src/analyzers/registry.js';
import { buildContext } from '../../../src/discover/context.js';
import { kindInfoOf } from '../../../src/kube/kinds.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import type { SourceIpProbe } from '../../../src/model/probe-facts.js';
import { emptySnapshot, type Snapshot } from '../../../src/model/snapshot.js';

const run = promisify(execFile);
const ECHO = fileURLToPath(new URL('../../unit/modes/fixtures/proxy-echo.mjs', import.meta.url));
const ENV = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };

const CLIENT = '192.0.2.10';
const NODE_FRONT = '192.0.2.1';
const NODE_BACK = '198.51.100.1';
const POD = '198.51.100.10';
const CLUSTER_IP = '203.0.113.10';
const NODE_PORT = 30080;
const ECHO_PORT = 8080;
const GATEWAY_PORT = 8000;

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    return (await run(cmd, args, { env: ENV, timeout: 20_000 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr?.trim() || err.message}`);
  }
}

class Lab {
  readonly id = randomBytes(3).toString('hex');
  readonly dir = mkdtempSync(path.join(tmpdir(), 'xctl-dg-'));
  readonly namespaces: string[] = [];
  readonly children: ChildProcess[] = [];
  ns = (role: string) => `xctl-dg-${this.id}-${role}`;

  async create(): Promise<void> {
    for (const role of ['client', 'node', 'pod']) {
      await sh('ip', ['netns', 'add', this.ns(role)]);
      this.namespaces.push(this.ns(role));
      await sh('ip', ['-n', this.ns(role), 'link', 'set', 'lo', 'up']);
    }
    // client <-> node (front), node <-> pod (back)
    await this.link('client', 'eth0', CLIENT, 'node', 'front', NODE_FRONT, 24);
    await this.link('pod', 'eth0', POD, 'node', 'back', NODE_BACK, 24);
    await sh('ip', ['-n', this.ns('client'), 'route', 'add', 'default', 'via', NODE_FRONT]);
    await sh('ip', ['-n', this.ns('pod'), 'route', 'add', 'default', 'via', NODE_BACK]);
    await sh('ip', ['netns', 'exec', this.ns('node'), 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    // The ClusterIP, as kube-proxy programs it for the node's own processes (a hostNetwork gateway):
    // a route so the connection leaves at all, then DNAT to the Pod.
    await sh('ip', ['-n', this.ns('node'), 'route', 'add', `${CLUSTER_IP}/32`, 'dev', 'back']);
    await this.iptables([
      '-t',
      'nat',
      '-A',
      'OUTPUT',
      '-d',
      CLUSTER_IP,
      '-p',
      'tcp',
      '--dport',
      '80',
      '-j',
      'DNAT',
      '--to-destination',
      `${POD}:${ECHO_PORT}`,
    ]);
    await this.start('pod', [process.execPath, ECHO, 'serve', POD, String(ECHO_PORT)], 'listening');
  }

  private async link(
    a: string,
    aIf: string,
    aIp: string,
    b: string,
    bIf: string,
    bIp: string,
    len: number,
  ): Promise<void> {
    const tmpA = `v${this.id}${a.slice(0, 3)}`;
    const tmpB = `v${this.id}${b.slice(0, 3)}${bIf.slice(0, 2)}`;
    await sh('ip', ['link', 'add', tmpA, 'type', 'veth', 'peer', 'name', tmpB]);
    await sh('ip', ['link', 'set', tmpA, 'netns', this.ns(a)]);
    await sh('ip', ['link', 'set', tmpB, 'netns', this.ns(b)]);
    await sh('ip', ['-n', this.ns(a), 'link', 'set', tmpA, 'name', aIf]);
    await sh('ip', ['-n', this.ns(b), 'link', 'set', tmpB, 'name', bIf]);
    await sh('ip', ['-n', this.ns(a), 'addr', 'add', `${aIp}/${len}`, 'dev', aIf]);
    await sh('ip', ['-n', this.ns(b), 'addr', 'add', `${bIp}/${len}`, 'dev', bIf]);
    await sh('ip', ['-n', this.ns(a), 'link', 'set', aIf, 'up']);
    await sh('ip', ['-n', this.ns(b), 'link', 'set', bIf, 'up']);
  }

  iptables(args: string[]): Promise<string> {
    return sh('ip', ['netns', 'exec', this.ns('node'), 'iptables', '-w', ...args]);
  }

  /** Runs a long-lived process in a namespace; resolves once it prints `ready` (or after a short wait when null). */
  start(role: string, argv: string[], ready: string | null): Promise<ChildProcess> {
    const child = spawn('ip', ['netns', 'exec', this.ns(role), ...argv], {
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => (ready ? reject(new Error(`${argv.join(' ')} did not print ${ready}: ${out}`)) : resolve(child)),
        ready ? 15_000 : 1_000,
      );
      const onData = (d: Buffer) => {
        out += d.toString();
        if (ready && out.includes(ready)) {
          clearTimeout(timer);
          resolve(child);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => {
        if (ready && !out.includes(ready)) {
          clearTimeout(timer);
          reject(new Error(`${argv.join(' ')} exited ${code}: ${out}`));
        }
      });
    });
  }

  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** The client's request through `host:port`; the echo's view as the source-ip probe's facts. */
  async probe(host: string, port: number): Promise<SourceIpProbe> {
    const out = await sh('ip', [
      'netns',
      'exec',
      this.ns('client'),
      process.execPath,
      ECHO,
      'client',
      host,
      String(port),
    ]);
    const seen = JSON.parse(out) as { peer: string; proxy: string; client: string };
    return {
      service: { namespace: 'default', name: 'web' },
      target: `${host}:${port}`,
      clientAddress: CLIENT,
      seenAddress: seen.peer,
      proxyProtocolAddress: seen.proxy === 'none' ? null : seen.client,
      at: new Date().toISOString(),
    };
  }

  async destroy(): Promise<void> {
    for (const c of this.children) await this.stop(c);
    for (const ns of this.namespaces) await sh('ip', ['netns', 'del', ns]).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---- the snapshot that describes the lab ----------------------------------------------

function snapshotOf(objects: KubeObject[]): Snapshot {
  const s = emptySnapshot({ kind: 'cluster', description: 'lab' });
  for (const o of objects) kindInfoOf(o.apiVersion, o.kind)!.add(s, o);
  return s;
}

const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/edge': 'true' } },
  status: {
    addresses: [
      { type: 'InternalIP', address: NODE_FRONT },
      { type: 'InternalIP', address: NODE_BACK },
    ],
  },
} as KubeObject;
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
  spec: { nodeName: 'node-1', containers: [{ name: 'echo', image: 'echo', ports: [{ containerPort: ECHO_PORT }] }] },
  status: { phase: 'Running', podIP: POD, conditions: [{ type: 'Ready', status: 'True' }] },
} as KubeObject;
const webService = (type: 'NodePort' | 'ClusterIP', policy?: 'Cluster' | 'Local') =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type,
      clusterIP: CLUSTER_IP,
      selector: { app: 'web' },
      ...(policy ? { externalTrafficPolicy: policy } : {}),
      ports: [{ port: 80, targetPort: ECHO_PORT, ...(type === 'NodePort' ? { nodePort: NODE_PORT } : {}) }],
    },
  }) as KubeObject;

const haproxyCfg = (sendProxy: boolean) => `global
    log stdout format raw local0
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe_web
    bind ${NODE_FRONT}:${GATEWAY_PORT}
    default_backend be_web
backend be_web
    server web ${CLUSTER_IP}:80${sendProxy ? ' send-proxy-v2' : ''}
`;
const gatewayObjects = (cfg: string): KubeObject[] => [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'web-hostnet', namespace: 'default' },
    data: { 'haproxy.cfg': cfg },
  } as KubeObject,
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'web-hostnet', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web-hostnet' } },
      template: {
        metadata: { labels: { app: 'web-hostnet' } },
        spec: {
          hostNetwork: true,
          nodeSelector: { 'node-role.kubernetes.io/edge': 'true' },
          containers: [
            { name: 'haproxy', image: 'haproxy:3.2', ports: [{ containerPort: GATEWAY_PORT, hostPort: GATEWAY_PORT }] },
          ],
          volumes: [{ name: 'config', configMap: { name: 'web-hostnet' } }],
        },
      },
    },
  } as KubeObject,
];

/** (code, subject) of `diagnose source-ip web`, with the probe's facts or from the snapshot alone. */
function diagnoseSourceIp(objects: KubeObject[], probe?: SourceIpProbe): string[] {
  const snapshot = snapshotOf(objects);
  const r = runAnalyzers(
    {
      snapshot,
      ctx: buildContext(snapshot),
      probes: probe ? { sourceIpProbe: [probe] } : {},
      service: { namespace: 'default', name: 'web' },
    },
    { now: () => new Date() },
    { check: 'source-ip' },
  );
  return r.findings
    .filter((f) => !probe || f.message.startsWith('Probe:'))
    .map((f) => `${f.code} ${f.subject.kind} ${f.subject.namespace}/${f.subject.name}`);
}

describe('source IP through a node, proven in network namespaces', () => {
  const lab = new Lab();

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('the network tests create network namespaces and must run as root');
    for (const t of ['ip', 'iptables', 'haproxy'])
      await sh('sh', ['-c', `command -v ${t}`]).catch(() => {
        throw new Error(`missing on this machine: ${t} (Debian: iproute2, iptables, haproxy)`);
      });
    await lab.create();
  });
  afterAll(async () => {
    await lab.destroy();
  });

  test('externalTrafficPolicy Cluster: the node SNATs, the echo sees the node; diagnose names the Service policy', async () => {
    await lab.iptables([
      '-t',
      'nat',
      '-A',
      'PREROUTING',
      '-d',
      NODE_FRONT,
      '-p',
      'tcp',
      '--dport',
      String(NODE_PORT),
      '-j',
      'DNAT',
      '--to-destination',
      `${POD}:${ECHO_PORT}`,
    ]);
    await lab.iptables(['-t', 'nat', '-A', 'POSTROUTING', '-o', 'back', '-s', CLIENT, '-j', 'MASQUERADE']);
    try {
      const probe = await lab.probe(NODE_FRONT, NODE_PORT);
      expect(probe.seenAddress).toBe(NODE_BACK);
      const objects = [node, pod, webService('NodePort', 'Cluster')];
      expect(diagnoseSourceIp(objects, probe)).toEqual(['source-ip/etp-cluster Service default/web']);
      expect(diagnoseSourceIp(objects)).toEqual(['source-ip/etp-cluster Service default/web']);
    } finally {
      await lab.iptables(['-t', 'nat', '-F', 'PREROUTING']);
      await lab.iptables(['-t', 'nat', '-F', 'POSTROUTING']);
    }
  });

  test('externalTrafficPolicy Local: DNAT only, the echo sees the client; no finding', async () => {
    await lab.iptables([
      '-t',
      'nat',
      '-A',
      'PREROUTING',
      '-d',
      NODE_FRONT,
      '-p',
      'tcp',
      '--dport',
      String(NODE_PORT),
      '-j',
      'DNAT',
      '--to-destination',
      `${POD}:${ECHO_PORT}`,
    ]);
    try {
      const probe = await lab.probe(NODE_FRONT, NODE_PORT);
      expect(probe.seenAddress).toBe(CLIENT);
      const objects = [node, pod, webService('NodePort', 'Local')];
      expect(diagnoseSourceIp(objects, probe)).toEqual([]);
      expect(diagnoseSourceIp(objects)).toEqual([]);
    } finally {
      await lab.iptables(['-t', 'nat', '-F', 'PREROUTING']);
    }
  });

  test('hostNetwork HAProxy without send-proxy: the echo sees the gateway node; diagnose names the gateway', async () => {
    const cfg = path.join(lab.dir, 'plain.cfg');
    writeFileSync(cfg, haproxyCfg(false));
    const haproxy = await lab.start('node', ['haproxy', '-db', '-f', cfg], null);
    try {
      const probe = await waitForProbe(() => lab.probe(NODE_FRONT, GATEWAY_PORT));
      expect(probe.seenAddress).toBe(NODE_BACK);
      expect(probe.proxyProtocolAddress).toBeNull();
      const objects = [node, pod, webService('ClusterIP'), ...gatewayObjects(haproxyCfg(false))];
      expect(diagnoseSourceIp(objects, probe)).toEqual([
        'source-ip/proxy-protocol-missing DaemonSet default/web-hostnet',
      ]);
      expect(diagnoseSourceIp(objects)).toEqual(['source-ip/proxy-protocol-missing DaemonSet default/web-hostnet']);
    } finally {
      await lab.stop(haproxy);
    }
  });

  test('hostNetwork HAProxy with send-proxy-v2: the echo reads the client from the PROXY header; no finding', async () => {
    const cfg = path.join(lab.dir, 'proxy.cfg');
    writeFileSync(cfg, haproxyCfg(true));
    const haproxy = await lab.start('node', ['haproxy', '-db', '-f', cfg], null);
    try {
      const probe = await waitForProbe(() => lab.probe(NODE_FRONT, GATEWAY_PORT));
      expect(probe.seenAddress).toBe(NODE_BACK);
      expect(probe.proxyProtocolAddress).toBe(CLIENT);
      const objects = [node, pod, webService('ClusterIP'), ...gatewayObjects(haproxyCfg(true))];
      expect(diagnoseSourceIp(objects, probe)).toEqual([]);
      expect(diagnoseSourceIp(objects)).toEqual([]);
    } finally {
      await lab.stop(haproxy);
    }
  });
});

/** HAProxy needs a moment to bind: retry the first request briefly. */
async function waitForProbe(fn: () => Promise<SourceIpProbe>): Promise<SourceIpProbe> {
  let last: unknown;
  for (let i = 0; i < 30; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw last;
}
