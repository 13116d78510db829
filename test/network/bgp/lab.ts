// A small network lab for the BGP probe: network namespaces named xctl-bgp-<random>-<role>
// on one bridge, documentation addresses only (192.0.2.0/24, 2001:db8::/64), real
// speakers (gobgpd, BIRD 2) and the collector in a child process inside the probe's
// namespace. Everything it starts it tracks, and destroy() removes it all.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BgpCollectorEvent, BgpCollectorOptions, BgpObservation } from '../../../src/probes/bgp/collector.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

export const PROBE_V4 = '192.0.2.1';
export const PROBE_V6 = '2001:db8::1';

/** Fails (never skips) when the machine lacks what the lab needs. */
export async function requireTools(tools: string[]): Promise<void> {
  const missing: string[] = [];
  for (const t of tools) {
    try {
      await run('sh', ['-c', `command -v ${t}`], { env: sbinEnv() });
    } catch {
      missing.push(t);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `missing on this machine: ${missing.join(', ')} (Debian packages: iproute2 for ip, gobgpd for gobgpd/gobgp, bird2 for bird/birdc); install them, e.g. bash .ci/system-packages.sh`,
    );
  }
  if (process.getuid?.() !== 0) throw new Error('the BGP network tests create network namespaces and must run as root');
}

/** The environment with the sbin directories on PATH (ip, bird, birdc live there). */
export function sbinEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };
}

export async function sh(cmd: string, args: string[], opts: { timeout?: number } = {}): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, {
      timeout: opts.timeout ?? 20_000,
      maxBuffer: 64 * 1024 * 1024,
      env: sbinEnv(),
    });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr?.trim() || err.message}`);
  }
}

export interface Host {
  ns: string;
  v4: string;
  v6: string;
}

export class Lab {
  readonly id = randomBytes(3).toString('hex');
  readonly dir = mkdtempSync(path.join(tmpdir(), 'xctl-bgp-'));
  readonly namespaces: string[] = [];
  private readonly children: ChildProcess[] = [];
  probe!: Host;

  nsName(role: string): string {
    return `xctl-bgp-${this.id}-${role}`;
  }

  /** The probe namespace with a bridge holding 192.0.2.1/24 and 2001:db8::1/64. */
  async create(): Promise<void> {
    const ns = this.nsName('probe');
    await sh('ip', ['netns', 'add', ns]);
    this.namespaces.push(ns);
    await sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await sh('ip', ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge']);
    await sh('ip', ['-n', ns, 'link', 'set', 'br0', 'up']);
    await sh('ip', ['-n', ns, 'addr', 'add', `${PROBE_V4}/24`, 'dev', 'br0']);
    await sh('ip', ['-n', ns, 'addr', 'add', `${PROBE_V6}/64`, 'dev', 'br0', 'nodad']);
    this.probe = { ns, v4: PROBE_V4, v6: PROBE_V6 };
  }

  /** A host namespace whose eth0 is plugged into the probe's bridge. */
  async addHost(role: string, index: number): Promise<Host> {
    const ns = this.nsName(role);
    await sh('ip', ['netns', 'add', ns]);
    this.namespaces.push(ns);
    // No duplicate address detection on the link-local address either: while it is
    // tentative, BIRD has none and announces IPv6 routes without a link-local next hop.
    await sh('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.default.accept_dad=0']);
    const port = `p${index}`;
    await sh('ip', ['link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', this.probe.ns]);
    await sh('ip', ['-n', this.probe.ns, 'link', 'set', port, 'master', 'br0']);
    await sh('ip', ['-n', this.probe.ns, 'link', 'set', port, 'up']);
    await sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    const host = { ns, v4: `192.0.2.${index}`, v6: `2001:db8::${index}` };
    await sh('ip', ['-n', ns, 'addr', 'add', `${host.v4}/24`, 'dev', 'eth0']);
    await sh('ip', ['-n', ns, 'addr', 'add', `${host.v6}/64`, 'dev', 'eth0', 'nodad']);
    return host;
  }

  /** Runs a command inside a namespace and waits for it. */
  exec(ns: string, cmd: string, args: string[], timeout?: number): Promise<string> {
    return sh('ip', ['netns', 'exec', ns, cmd, ...args], timeout === undefined ? {} : { timeout });
  }

  /** Starts a long-running process inside a namespace; stdout/stderr go to a log file. */
  spawn(ns: string, cmd: string, args: string[], logName: string): ChildProcess {
    const log = path.join(this.dir, logName);
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: sbinEnv(),
    });
    const chunks: string[] = [];
    const keep = (b: Buffer) => {
      chunks.push(b.toString());
      writeFileSync(log, chunks.join(''));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.push(child);
    return child;
  }

  track(child: ChildProcess): void {
    this.children.push(child);
  }

  file(name: string, content: string): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }

  logPath(name: string): string {
    return path.join(this.dir, name);
  }

  /** Kills every process started here and every process left in the lab's namespaces, then deletes them. */
  async destroy(): Promise<void> {
    for (const c of this.children) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
    for (const ns of this.namespaces) {
      try {
        const pids = (await sh('ip', ['netns', 'pids', ns])).split(/\s+/).filter(Boolean);
        for (const pid of pids) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            // already gone
          }
        }
      } catch {
        // namespace already gone
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const ns of [...this.namespaces].reverse()) {
      try {
        await sh('ip', ['netns', 'del', ns]);
      } catch {
        // keep going: delete the others
      }
    }
    if (existsSync(this.dir) && !process.env.XCTL_KEEP_LAB) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The collector running in a child process inside a namespace (fixtures/collector-runner.mjs). */
export class CollectorProcess {
  readonly events: BgpCollectorEvent[] = [];
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (o: BgpObservation) => void>();
  private nextId = 1;
  private exited = false;
  port = 0;

  private constructor(child: ChildProcess) {
    this.child = child;
  }

  static async start(lab: Lab, ns: string, options: Omit<BgpCollectorOptions, 'onEvent'>): Promise<CollectorProcess> {
    const runner = path.join(here, 'fixtures', 'collector-runner.mjs');
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, runner, JSON.stringify(options)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: sbinEnv(),
    });
    lab.track(child);
    const c = new CollectorProcess(child);
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const ready = new Promise<void>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! });
      rl.on('line', (line) => {
        let msg: { type: string; [k: string]: unknown };
        try {
          msg = JSON.parse(line);
        } catch {
          return;
        }
        if (msg.type === 'ready') {
          c.port = msg.port as number;
          resolve();
        } else if (msg.type === 'event') c.events.push(msg.event as BgpCollectorEvent);
        else if (msg.type === 'snapshot') {
          const cb = c.pending.get(msg.id as number);
          c.pending.delete(msg.id as number);
          cb?.(msg.observation as BgpObservation);
        }
      });
      child.on('exit', (code) => {
        c.exited = true;
        reject(new Error(`collector exited with ${code}: ${stderr}`));
      });
      setTimeout(() => reject(new Error(`collector did not start: ${stderr}`)), 15_000).unref();
    });
    await ready;
    return c;
  }

  snapshot(): Promise<BgpObservation> {
    if (this.exited) return Promise.reject(new Error('collector process is gone'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      this.child.stdin!.write(`${JSON.stringify({ cmd: 'snapshot', id })}\n`);
      setTimeout(() => reject(new Error('no snapshot from the collector')), 10_000).unref();
    });
  }

  /** Polls snapshots until pred holds; the error names what was awaited and shows the last snapshot. */
  async waitFor(pred: (o: BgpObservation) => boolean, what: string, timeoutMs = 30_000): Promise<BgpObservation> {
    const end = Date.now() + timeoutMs;
    let last: BgpObservation | undefined;
    while (Date.now() < end) {
      last = await this.snapshot();
      if (pred(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for ${what}; last observation: ${JSON.stringify(last, null, 1).slice(0, 6000)}`,
    );
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.write(`${JSON.stringify({ cmd: 'stop' })}\n`);
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      setTimeout(resolve, 3000).unref();
    });
  }
}

export async function waitUntil<T>(
  fn: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
