// The generated gateway configuration, run for real in front of an echo server that
// reads PROXY protocol: with preserveSourceIP the echo sees the client's address, without
// it the gateway's. Once on loopback (distinct 127.x addresses, HAProxy and nginx) and
// once across network namespaces (client | gateway | backend, joined by veth pairs),
// where the HAProxy configuration is the generated one with only the backend name
// replaced by the backend's address.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { haproxyConfig } from '../../../src/modes/haproxy-config.js';
import { gatewayConfigInput, gatewayConfigText } from '../../../src/modes/hostnetwork.js';
import type { ExposeSpec } from '../../../src/modes/index.js';
import { nginxConfig } from '../../../src/modes/nginx-config.js';
import { svc } from './helpers.js';

const ECHO = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'proxy-echo.mjs');
const dir = mkdtempSync(join(tmpdir(), 'exposectl-gwlive-'));
const children: ChildProcess[] = [];
/** Stop a process this test started: SIGTERM (nginx's master then stops its workers), SIGKILL after 3 s. */
async function stop(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  c.kill('SIGTERM');
  const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
afterEach(async () => {
  // Only the processes this test started, by their own handle.
  await Promise.all(children.splice(0).map(stop));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function requireBinary(name: string, pkg: string): string {
  for (const d of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'])
    if (existsSync(join(d, name))) return join(d, name);
  throw new Error(`${name} is not installed: apt-get install -y ${pkg}. This test is never skipped.`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

let logs = 0;
/** Start a long-running process with its output in a file (shown when it fails). */
function start(cmd: string, args: string[]): { child: ChildProcess; log: string } {
  const log = join(dir, `proc-${++logs}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.push(child);
  return { child, log };
}

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  log?: string,
  timeoutMs = 8000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${log ? `:\n${readFileSync(log, 'utf8')}` : ''}`);
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

interface EchoAnswer {
  peer: string;
  proxy: string;
  client: string;
  payload: string;
}

function ask(host: string, port: number, localAddress: string): Promise<EchoAnswer> {
  return new Promise((resolve, reject) => {
    let out = '';
    const s = net.connect({ host, port, localAddress }, () => s.write('hello\n'));
    s.setTimeout(10_000, () => {
      s.destroy();
      reject(new Error('no answer through the gateway'));
    });
    s.on('data', (d) => {
      out += d;
    });
    s.on('end', () => {
      try {
        resolve(JSON.parse(out) as EchoAnswer);
      } catch {
        reject(new Error(`bad answer: ${out}`));
      }
    });
    s.on('error', reject);
  });
}

async function startEcho(host: string, port: number, netns?: string): Promise<void> {
  const { log } = netns
    ? start('ip', ['netns', 'exec', netns, process.execPath, ECHO, 'serve', host, String(port)])
    : start(process.execPath, [ECHO, 'serve', host, String(port)]);
  await waitFor('the echo server', () => readFileSync(log, 'utf8').includes('listening'), log);
}

const web = svc('web', { ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
const spec = (preserveSourceIP: boolean, gatewayImpl: 'haproxy' | 'nginx' = 'haproxy'): ExposeSpec => ({
  service: web,
  mode: 'hostnetwork',
  preserveSourceIP,
  gatewayImpl,
});

/** The generated config with the listen port, bind address and backend moved to the test's loopback ports. */
function loopbackConfig(s: ExposeSpec, listenPort: number, echoPort: number): string {
  const input = gatewayConfigInput(s);
  input.bindAddress = '127.0.0.1';
  input.listeners = input.listeners.map((l) => ({ ...l, listenPort, backendHost: '127.0.0.1', backendPort: echoPort }));
  return s.gatewayImpl === 'nginx' ? nginxConfig(input) : haproxyConfig(input);
}

function nginxStreamPrefix(nginx: string): string {
  const r = spawnSync(nginx, ['-V'], { encoding: 'utf8' });
  if (!/--with-stream=dynamic/.test(`${r.stdout}${r.stderr}`)) return '';
  const mod = '/usr/lib/nginx/modules/ngx_stream_module.so';
  if (!existsSync(mod)) throw new Error('nginx stream module missing: apt-get install -y libnginx-mod-stream');
  return `load_module ${mod};\n`;
}

describe('on loopback: the gateway forwards and (with preserveSourceIP) tells the backend who the client is', () => {
  for (const impl of ['haproxy', 'nginx'] as const) {
    for (const preserve of [true, false]) {
      it(`${impl}, preserveSourceIP ${preserve}`, async () => {
        const bin =
          impl === 'haproxy'
            ? requireBinary('haproxy', 'haproxy')
            : requireBinary('nginx', 'nginx-light libnginx-mod-stream');
        const echoPort = await freePort();
        await startEcho('127.0.0.1', echoPort);
        const gwPort = await freePort();
        const s = spec(preserve, impl);
        const work = mkdtempSync(join(dir, `${impl}-`));
        const cfg = join(work, impl === 'haproxy' ? 'haproxy.cfg' : 'nginx.conf');
        let proc: ReturnType<typeof start>;
        if (impl === 'haproxy') {
          writeFileSync(cfg, loopbackConfig(s, gwPort, echoPort));
          proc = start(bin, ['-db', '-f', cfg]);
        } else {
          writeFileSync(cfg, nginxStreamPrefix(bin) + loopbackConfig(s, gwPort, echoPort));
          proc = start(bin, ['-p', work, '-c', cfg, '-g', `pid ${join(work, 'nginx.pid')}; daemon off;`]);
        }
        await waitFor(`${impl} to listen on 127.0.0.1:${gwPort}`, () => canConnect('127.0.0.1', gwPort), proc.log);

        // The client connects from 127.0.0.2; the gateway reaches the backend from 127.0.0.1.
        const answer = await ask('127.0.0.1', gwPort, '127.0.0.2');
        expect(answer.payload).toBe('hello');
        expect(answer.peer).toBe('127.0.0.1');
        if (preserve) {
          expect(answer.proxy).toBe(impl === 'haproxy' ? 'v2' : 'v1');
          expect(answer.client).toBe('127.0.0.2');
        } else {
          expect(answer.proxy).toBe('none');
          expect(answer.client).toBe('127.0.0.1');
        }
      });
    }
  }
});

describe('across network namespaces: client | hostNetwork gateway | backend', () => {
  const id = String(process.pid % 100000);
  const ns = { client: `expc-${id}`, gw: `expg-${id}`, backend: `expb-${id}` };
  const addr = { client: '10.177.1.2', gwFront: '10.177.1.1', gwBack: '10.177.2.1', backend: '10.177.2.2' };

  function ip(...args: string[]): void {
    const r = spawnSync('ip', args, { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`ip ${args.join(' ')} failed (network namespaces need root and iproute2): ${r.stderr}`);
  }

  function setUp(): void {
    requireBinary('ip', 'iproute2');
    tearDown();
    for (const n of Object.values(ns)) {
      ip('netns', 'add', n);
      ip('-n', n, 'link', 'set', 'lo', 'up');
    }
    const link = (a: string, an: string, aAddr: string, b: string, bn: string, bAddr: string) => {
      ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
      ip('link', 'set', a, 'netns', an);
      ip('link', 'set', b, 'netns', bn);
      ip('-n', an, 'addr', 'add', `${aAddr}/24`, 'dev', a);
      ip('-n', bn, 'addr', 'add', `${bAddr}/24`, 'dev', b);
      ip('-n', an, 'link', 'set', a, 'up');
      ip('-n', bn, 'link', 'set', b, 'up');
    };
    link(`xc${id}`, ns.client, addr.client, `xg${id}`, ns.gw, addr.gwFront);
    link(`yg${id}`, ns.gw, addr.gwBack, `yb${id}`, ns.backend, addr.backend);
  }

  function tearDown(): void {
    for (const n of Object.values(ns)) spawnSync('ip', ['netns', 'del', n]);
  }

  afterAll(tearDown);

  it('HAProxy with the generated config: the backend sees the client with preserveSourceIP, the gateway without', async () => {
    const haproxy = requireBinary('haproxy', 'haproxy');
    setUp();
    await startEcho(addr.backend, 80, ns.backend);
    const seen: Record<string, EchoAnswer> = {};
    for (const preserve of [true, false]) {
      const s = spec(preserve);
      // The ConfigMap's text, with only the Service DNS name replaced by the backend's address.
      const text = gatewayConfigText(s).text;
      const cfg = text.replaceAll('web.shop.svc.cluster.local', addr.backend);
      expect(cfg).toContain('bind :80');
      const file = join(dir, `netns-${preserve}.cfg`);
      writeFileSync(file, cfg);
      const proc = start('ip', ['netns', 'exec', ns.gw, haproxy, '-db', '-f', file]);
      await waitFor(
        'HAProxy to listen on :80 in the gateway namespace',
        () => {
          const r = spawnSync('ip', ['netns', 'exec', ns.gw, 'ss', '-Hltn', 'sport = :80'], { encoding: 'utf8' });
          return r.stdout.includes(':80');
        },
        proc.log,
      );
      const r = spawnSync('ip', ['netns', 'exec', ns.client, process.execPath, ECHO, 'client', addr.gwFront, '80'], {
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(r.status, `client failed: ${r.stderr}\n${readFileSync(proc.log, 'utf8')}`).toBe(0);
      seen[String(preserve)] = JSON.parse(r.stdout) as EchoAnswer;
      await stop(proc.child);
    }
    expect(seen.true).toEqual({ peer: addr.gwBack, proxy: 'v2', client: addr.client, payload: 'hello' });
    expect(seen.false).toEqual({ peer: addr.gwBack, proxy: 'none', client: addr.gwBack, payload: 'hello' });
  });
});
