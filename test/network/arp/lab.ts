// A small L2 lab for the ARP and healthz probes: network namespaces named
// xctl-arp-<random>-<role> ("client" and "node" hosts) on a bridge that lives in its own
// namespace, documentation addresses only (hosts in 192.0.2.0/24, the VIP in
// 198.51.100.0/24), fixed locally administered MACs. Nothing is sent outside the
// namespaces it creates; destroy() kills what it started and deletes the namespaces.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI_SOURCE = path.join(ROOT, 'bin/run.js');

/**
 * A private copy of the built CLI (bin, dist, manifest, package.json; node_modules linked),
 * so that a rebuild of dist/ in the same tree while the tests run cannot pull the files
 * from under them. Made once per test file.
 */
export function stableCli(dir: string): string {
  const out = path.join(dir, 'cli');
  if (!existsSync(path.join(out, 'bin/run.js'))) {
    for (let attempt = 0; ; attempt++) {
      try {
        rmSync(out, { recursive: true, force: true });
        mkdirSync(out, { recursive: true });
        for (const f of ['bin', 'package.json', 'oclif.manifest.json'])
          cpSync(path.join(ROOT, f), path.join(out, f), { recursive: true });
        // dist may be a symlink to .builds/<id> (atomic builds), and the manifest names that path: keep both.
        const real = realpathSync(path.join(ROOT, 'dist'));
        const rel = path.relative(ROOT, real);
        cpSync(real, path.join(out, rel), { recursive: true });
        if (rel !== 'dist') symlinkSync(rel, path.join(out, 'dist'));
        if (!existsSync(path.join(out, 'dist/main.js'))) throw new Error('dist/main.js missing');
        symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'));
        break;
      } catch (e) {
        if (attempt >= 20) throw new Error(`could not copy the built CLI (run npm run build): ${(e as Error).message}`);
        // Someone is rebuilding dist/: wait for it.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      }
    }
  }
  return path.join(out, 'bin/run.js');
}
const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

/** Fails (never skips) when the machine lacks what the lab needs. */
export async function requireLab(tools: string[]): Promise<void> {
  const missing: string[] = [];
  for (const t of tools) {
    try {
      await run('sh', ['-c', `command -v ${t}`], { env: { ...process.env, PATH: SBIN_PATH } });
    } catch {
      missing.push(t);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `missing on this machine: ${missing.join(', ')} (Debian packages: iproute2 for ip, arping for arping, tcpdump for tcpdump); install them, e.g. bash .ci/system-packages.sh`,
    );
  }
  if (process.getuid?.() !== 0)
    throw new Error('the ARP network tests create network namespaces and send raw ARP frames: they must run as root');
}

export async function sh(cmd: string, args: string[], opts: { timeout?: number } = {}): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, {
      timeout: opts.timeout ?? 20_000,
      env: { ...process.env, PATH: SBIN_PATH },
    });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr?.trim() || err.message}`);
  }
}

export interface Host {
  role: string;
  ns: string;
  ip: string;
  mac: string;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class Lab {
  readonly id = randomBytes(3).toString('hex');
  readonly dir = mkdtempSync(path.join(tmpdir(), 'xctl-arp-'));
  readonly namespaces: string[] = [];
  readonly hosts = new Map<string, Host>();
  private readonly children = new Set<ChildProcess>();
  private bridgeNs = '';
  /** The CLI entry point the tests run (a private copy of the build). */
  readonly cliPath = stableCli(this.dir);

  nsName(role: string): string {
    return `xctl-arp-${this.id}-${role}`;
  }

  /** The bridge namespace, then one host per role: eth0 on the bridge, address and MAC as given. */
  async create(hosts: Array<{ role: string; ip: string; mac: string }>): Promise<void> {
    this.bridgeNs = this.nsName('br');
    await this.addNs(this.bridgeNs);
    await sh('ip', ['-n', this.bridgeNs, 'link', 'add', 'br0', 'type', 'bridge']);
    await sh('ip', ['-n', this.bridgeNs, 'link', 'set', 'br0', 'up']);
    for (const [i, h] of hosts.entries()) {
      const ns = this.nsName(h.role);
      await this.addNs(ns);
      const peer = `p${i}`;
      await sh('ip', [
        'link',
        'add',
        `x${this.id}${i}`,
        'netns',
        ns,
        'type',
        'veth',
        'peer',
        'name',
        peer,
        'netns',
        this.bridgeNs,
      ]);
      await sh('ip', ['-n', ns, 'link', 'set', `x${this.id}${i}`, 'name', 'eth0']);
      await sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'address', h.mac]);
      await sh('ip', ['-n', this.bridgeNs, 'link', 'set', peer, 'master', 'br0', 'up']);
      await sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      await sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
      await sh('ip', ['-n', ns, 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0']);
      this.hosts.set(h.role, { role: h.role, ns, ip: h.ip, mac: h.mac });
    }
    // Let the links come up (no IPv6 DAD matters here, but the bridge ports need a moment).
    await new Promise((r) => setTimeout(r, 300));
  }

  host(role: string): Host {
    const h = this.hosts.get(role);
    if (!h) throw new Error(`no host ${role} in the lab`);
    return h;
  }

  async addVip(role: string, vip: string): Promise<void> {
    await sh('ip', ['-n', this.host(role).ns, 'addr', 'add', `${vip}/32`, 'dev', 'eth0']);
  }

  async delVip(role: string, vip: string): Promise<void> {
    await sh('ip', ['-n', this.host(role).ns, 'addr', 'del', `${vip}/32`, 'dev', 'eth0']);
  }

  /** A gratuitous ARP for vip from a host: a request (sender = target = vip) and a reply, as announcers send. */
  async gratuitousArp(role: string, vip: string): Promise<void> {
    const ns = this.host(role).ns;
    await sh('ip', [
      'netns',
      'exec',
      ns,
      'arping',
      '-q',
      '-U',
      '-c',
      '1',
      '-w',
      '0.2',
      '-i',
      'eth0',
      '-S',
      vip,
      vip,
    ]).catch(() => undefined);
    await sh('ip', [
      'netns',
      'exec',
      ns,
      'arping',
      '-q',
      '-U',
      '-P',
      '-c',
      '1',
      '-w',
      '0.2',
      '-i',
      'eth0',
      '-S',
      vip,
      vip,
    ]).catch(() => undefined);
  }

  writeFile(name: string, text: string): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }

  /** Starts a process inside a host's namespace; killed by destroy(). */
  spawnIn(role: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.host(role).ns, cmd, ...args], {
      env: { ...process.env, PATH: SBIN_PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  /** Runs exposectl inside a host's namespace and waits for it; `prefix` replaces the node binary (e.g. setpriv ... node). */
  cli(
    role: string,
    args: string[],
    opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; prefix?: string[] } = {},
  ): Promise<CliResult> {
    const env = { NO_COLOR: '1', KUBECONFIG: path.join(this.dir, 'no-kubeconfig'), ...opts.env };
    const child = spawn(
      'ip',
      ['netns', 'exec', this.host(role).ns, ...(opts.prefix ?? [process.execPath]), this.cliPath, ...args],
      { env: { ...process.env, PATH: SBIN_PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.children.add(child);
    return collect(child, opts.timeoutMs ?? 60_000).finally(() => this.children.delete(child));
  }

  /** A copy of the running node binary that any user may execute (the real one may sit under /root). */
  publicNode(): string {
    const dir = path.join(this.dir, 'node-bin');
    const p = path.join(dir, 'node');
    if (!existsSync(p)) {
      mkdirSync(dir, { recursive: true });
      copyFileSync(process.execPath, p);
      chmodSync(p, 0o755);
      chmodSync(dir, 0o755);
      chmodSync(this.dir, 0o755);
      chmodSync(path.join(this.dir, 'cli'), 0o755);
    }
    return p;
  }

  async destroy(): Promise<void> {
    for (const c of this.children) {
      try {
        if (c.pid) process.kill(c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    this.children.clear();
    for (const ns of [...this.namespaces].reverse()) {
      // Kill whatever still runs in the namespace (started by this lab), then delete it.
      try {
        const pids = (await sh('ip', ['netns', 'pids', ns])).split('\n').filter(Boolean);
        for (const pid of pids) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      } catch {
        /* namespace gone */
      }
      await sh('ip', ['netns', 'del', ns]).catch(() => undefined);
    }
    this.namespaces.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async addNs(ns: string): Promise<void> {
    await sh('ip', ['netns', 'add', ns]);
    this.namespaces.push(ns);
  }
}

export function collect(child: ChildProcess, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Waits until `predicate` holds for the text a stream has produced so far. */
export function waitForOutput(
  child: ChildProcess,
  predicate: (text: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for output; got:\n${text}`)),
      timeoutMs,
    );
    const on = (c: Buffer | string) => {
      text += c.toString();
      if (predicate(text)) {
        clearTimeout(timer);
        child.stdout?.off('data', on);
        resolve(text);
      }
    };
    child.stdout?.on('data', on);
  });
}
