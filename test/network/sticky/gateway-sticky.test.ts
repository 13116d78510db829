// `expose --mode hostnetwork --sticky` proven with the real proxies (issue 17 point 4): the
// HAProxy and nginx configurations exposectl generates run in a "node" network namespace
// in front of three backends ("Pods"), and clients from eight addresses each open 20
// connections. Each client must land on one backend every time, the clients must not all
// land on one backend (no "one Pod takes all the load"), and a restarted gateway must send
// every client where it went before (the choice is a hash of the client address, not
// luck). For nginx the test also computes nginx's hash itself and expects that backend.
//
// The generated configuration is used as it is, except the Pods are given as addresses
// (no cluster DNS here): `endpoints: { addresses }` instead of the headless Service's
// SRV/A name; the balancing directives are the same generator output.
//
// Addresses are documentation ranges only: clients 192.0.2.10-17, the node 192.0.2.1 and
// 198.51.100.1, the Pods 198.51.100.11-13. As root:
//   npx vitest run --project network test/network/sticky
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { haproxyConfig } from '../../../src/modes/haproxy-config.js';
import { gatewayConfigInput } from '../../../src/modes/hostnetwork.js';
import type { ExposeSpec } from '../../../src/modes/index.js';
import { nginxConfig } from '../../../src/modes/nginx-config.js';
import { sh } from '../arp/lab.js';

const WHO = fileURLToPath(new URL('./who.mjs', import.meta.url));
const ENV = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };

const NODE_FRONT = '192.0.2.1';
const NODE_BACK = '198.51.100.1';
const CLIENTS = Array.from({ length: 8 }, (_, i) => `192.0.2.${10 + i}`);
const PODS = ['198.51.100.11', '198.51.100.12', '198.51.100.13'];
const PORT = 8000;
const POD_PORT = 8080;
const CONNECTIONS = 20;

function requireBinary(name: string, pkg: string): string {
  for (const d of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    if (existsSync(path.join(d, name))) return path.join(d, name);
  }
  throw new Error(`${name} is not installed: apt-get install -y ${pkg} (.ci/system-packages.sh installs it)`);
}

class Lab {
  readonly id = randomBytes(3).toString('hex');
  readonly dir = mkdtempSync(path.join(tmpdir(), 'xctl-sticky-'));
  readonly namespaces: string[] = [];
  readonly children: ChildProcess[] = [];
  ns = (role: string) => `xctl-st-${this.id}-${role}`;

  async create(): Promise<void> {
    for (const role of ['client', 'node', 'pods']) {
      await sh('ip', ['netns', 'add', this.ns(role)]);
      this.namespaces.push(this.ns(role));
      await sh('ip', ['-n', this.ns(role), 'link', 'set', 'lo', 'up']);
    }
    await this.link('client', 'eth0', CLIENTS, 'node', 'front', NODE_FRONT);
    await this.link('pods', 'eth0', PODS, 'node', 'back', NODE_BACK);
    for (const pod of PODS)
      await this.start('pods', [process.execPath, WHO, 'serve', pod, String(POD_PORT)], 'listening');
  }

  private async link(a: string, aIf: string, aIps: string[], b: string, bIf: string, bIp: string): Promise<void> {
    const tmpA = `s${this.id}${a.slice(0, 3)}`;
    const tmpB = `s${this.id}${bIf.slice(0, 3)}`;
    await sh('ip', ['link', 'add', tmpA, 'type', 'veth', 'peer', 'name', tmpB]);
    await sh('ip', ['link', 'set', tmpA, 'netns', this.ns(a)]);
    await sh('ip', ['link', 'set', tmpB, 'netns', this.ns(b)]);
    await sh('ip', ['-n', this.ns(a), 'link', 'set', tmpA, 'name', aIf]);
    await sh('ip', ['-n', this.ns(b), 'link', 'set', tmpB, 'name', bIf]);
    for (const ip of aIps) await sh('ip', ['-n', this.ns(a), 'addr', 'add', `${ip}/24`, 'dev', aIf]);
    await sh('ip', ['-n', this.ns(b), 'addr', 'add', `${bIp}/24`, 'dev', bIf]);
    await sh('ip', ['-n', this.ns(a), 'link', 'set', aIf, 'up']);
    await sh('ip', ['-n', this.ns(b), 'link', 'set', bIf, 'up']);
  }

  /** A long-lived process in a namespace; resolves once it prints `ready`. */
  start(role: string, argv: string[], ready: string): Promise<ChildProcess> {
    const child = spawn('ip', ['netns', 'exec', this.ns(role), ...argv], {
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${argv.join(' ')} did not print ${ready}: ${out}`)), 15_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes(ready)) {
          clearTimeout(timer);
          resolve(child);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    });
  }

  /**
   * The gateway in the node namespace, output to a file as in a container (nginx cannot
   * open Node's socket stdio as /dev/stdout); ready once a client gets an answer.
   */
  async startGateway(argv: string[], name: string): Promise<{ child: ChildProcess; log: string }> {
    const log = path.join(this.dir, `${name}.log`);
    const fd = openSync(log, 'a');
    const child = spawn('ip', ['netns', 'exec', this.ns('node'), ...argv], { env: ENV, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.children.push(child);
    for (let i = 0; i < 50; i++) {
      if (child.exitCode !== null)
        throw new Error(`${argv.join(' ')} exited ${child.exitCode}:\n${readFileSync(log, 'utf8')}`);
      try {
        await this.burst(CLIENTS[0]!, 1);
        return { child, log };
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`${argv.join(' ')} did not answer on ${NODE_FRONT}:${PORT}:\n${readFileSync(log, 'utf8')}`);
  }

  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** The backends that answered `count` connections in turn from one client address. */
  async burst(client: string, count: number): Promise<string[]> {
    const out = await sh(
      'ip',
      [
        'netns',
        'exec',
        this.ns('client'),
        process.execPath,
        WHO,
        'burst',
        NODE_FRONT,
        String(PORT),
        client,
        String(count),
      ],
      { timeout: 60_000 },
    );
    return JSON.parse(out) as string[];
  }

  /** Client address -> the one backend all its connections reached (fails when one client reached two). */
  async mapping(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const c of CLIENTS) {
      const seen = await this.burst(c, CONNECTIONS);
      expect(seen, `connections from ${c}`).toHaveLength(CONNECTIONS);
      expect(new Set(seen), `every connection from ${c} reaches one backend`).toEqual(new Set([seen[0]]));
      out[c] = seen[0]!;
    }
    return out;
  }

  async destroy(): Promise<void> {
    for (const c of this.children) await this.stop(c);
    for (const ns of this.namespaces) await sh('ip', ['netns', 'del', ns]).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What `expose --mode hostnetwork --sticky` generates, with the Pods given as addresses. */
function stickyConfig(impl: 'haproxy' | 'nginx'): string {
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: PORT, targetPort: POD_PORT, protocol: 'TCP' }] },
  } as ExposeSpec['service'];
  const spec: ExposeSpec = {
    service,
    mode: 'hostnetwork',
    gatewayImpl: impl,
    sticky: true,
    ...(impl === 'haproxy' ? { stickyTimeout: 600 } : {}),
  };
  const input = gatewayConfigInput(spec);
  for (const l of input.listeners) l.endpoints = { addresses: PODS, port: POD_PORT };
  return impl === 'haproxy' ? haproxyConfig(input) : nginxConfig(input);
}

/** The backend nginx's `hash $remote_addr` (not consistent) picks first: ngx_stream_upstream_hash_module. */
function nginxHashPick(client: string): string {
  const hash = (crc32(client) >>> 16) & 0x7fff;
  return PODS[hash % PODS.length]!;
}

/** A distribution nginx may carry the stream module as a dynamic module. */
function streamModulePrefix(nginx: string, dir: string): string {
  const log = path.join(dir, 'nginx-V.log');
  const fd = openSync(log, 'w');
  spawnSync(nginx, ['-V'], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const v = readFileSync(log, 'utf8');
  if (/--with-stream(\s|$)/.test(v)) return '';
  const mod = ['/usr/lib/nginx/modules/ngx_stream_module.so', '/usr/share/nginx/modules/ngx_stream_module.so'].find(
    existsSync,
  );
  if (!mod) throw new Error('nginx has no stream module: apt-get install -y libnginx-mod-stream');
  return `load_module ${mod};\n`;
}

describe('hostnetwork --sticky: one client, one backend (real proxies in network namespaces)', () => {
  const lab = new Lab();
  beforeAll(async () => {
    await lab.create();
  });
  afterAll(async () => {
    await lab.destroy();
  });

  async function twoRuns(argv: string[], name: string): Promise<Array<Record<string, string>>> {
    const runs: Array<Record<string, string>> = [];
    for (let i = 0; i < 2; i++) {
      const gw = await lab.startGateway(argv, `${name}-${i}`);
      runs.push(await lab.mapping());
      await lab.stop(gw.child);
    }
    return runs;
  }

  test('HAProxy: balance source + stick table', async () => {
    const haproxy = requireBinary('haproxy', 'haproxy');
    const cfg = path.join(lab.dir, 'haproxy.cfg');
    const text = stickyConfig('haproxy');
    expect(text).toContain('balance source');
    expect(text).toContain('stick-table type ip size 1m expire 600s srvkey addr');
    writeFileSync(cfg, text);
    const [first, second] = await twoRuns([haproxy, '-db', '-f', cfg], 'haproxy');
    expect(
      new Set(Object.values(first!)).size,
      `clients spread over the backends: ${JSON.stringify(first)}`,
    ).toBeGreaterThan(1);
    expect(second, 'a restarted gateway sends every client where it went before').toEqual(first);
  });

  test('control: the same HAProxy configuration without the client key spreads one client (the check is real)', async () => {
    const haproxy = requireBinary('haproxy', 'haproxy');
    const cfg = path.join(lab.dir, 'haproxy-roundrobin.cfg');
    const text = stickyConfig('haproxy')
      .replace('balance source', 'balance roundrobin')
      .replace(/^ {4}stick.*\n/gm, '');
    expect(text).not.toContain('stick');
    writeFileSync(cfg, text);
    const gw = await lab.startGateway([haproxy, '-db', '-f', cfg], 'haproxy-roundrobin');
    const seen = await lab.burst(CLIENTS[0]!, CONNECTIONS);
    await lab.stop(gw.child);
    expect(new Set(seen).size).toBe(PODS.length);
  });

  test('nginx: hash $remote_addr', async () => {
    const nginx = requireBinary('nginx', 'nginx-light libnginx-mod-stream');
    const prefix = mkdtempSync(path.join(lab.dir, 'nginx-'));
    const cfg = path.join(prefix, 'nginx.conf');
    const text = stickyConfig('nginx');
    expect(text).toContain('hash $remote_addr;');
    writeFileSync(cfg, streamModulePrefix(nginx, lab.dir) + text);
    const [first, second] = await twoRuns(
      [nginx, '-p', prefix, '-c', cfg, '-g', `daemon off; pid ${path.join(prefix, 'nginx.pid')};`],
      'nginx',
    );
    expect(
      new Set(Object.values(first!)).size,
      `clients spread over the backends: ${JSON.stringify(first)}`,
    ).toBeGreaterThan(1);
    expect(second).toEqual(first);
    expect(first).toEqual(Object.fromEntries(CLIENTS.map((c) => [c, nginxHashPick(c)])));
  });
});
