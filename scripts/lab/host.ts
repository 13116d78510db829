// The lab's I/O on the host: running commands, network namespaces, detached processes and
// their pid files. Everything the lab starts is either inside one of its namespaces (so
// lab:down finds it with `ip netns pids`) or recorded in DIR/lab/pids with its command line.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../cluster/proc.ts';

export { isAlive };

export const SBIN_ENV: NodeJS.ProcessEnv = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };

export class LabError extends Error {}

export function log(tool: string, msg: string): void {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[${tool} ${t}] ${msg}\n`);
}

/** Runs a command, returns stdout; throws naming the command and its stderr. */
export function run(
  cmd: string,
  args: string[],
  opts: { input?: string; allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {},
): string {
  const r = spawnSync(cmd, args, {
    input: opts.input,
    encoding: 'utf8',
    env: opts.env ?? SBIN_ENV,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) {
    if (opts.allowFailure) return '';
    throw new Error(`${cmd} could not run: ${r.error.message}`);
  }
  if (r.status !== 0 && !opts.allowFailure) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}

export function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { env: SBIN_ENV }).status === 0;
}

export function listNamespaces(): string[] {
  return run('ip', ['netns', 'list'], { allowFailure: true })
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

export function ipIn(ns: string, args: string[]): string {
  return run('ip', ['-n', ns, ...args]);
}

export function execIn(ns: string, cmd: string, args: string[], opts: { allowFailure?: boolean } = {}): string {
  return run('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

export function sysctlIn(ns: string, settings: Record<string, string | number>): void {
  execIn(ns, 'sysctl', ['-q', '-w', ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)]);
}

/** Pids of the processes in a network namespace (none when it does not exist). */
export function pidsIn(ns: string): number[] {
  return run('ip', ['netns', 'pids', ns], { allowFailure: true })
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 1);
}

export function cmdlineOf(pid: number): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** When a process started (clock ticks since boot, /proc/PID/stat field 22): with the pid, who it is, also after it renamed itself (nginx). */
export function startTicksOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export interface Started {
  pid: number;
  log: string;
}

/**
 * Starts a long-running process detached from this one (it outlives lab:up), inside the
 * network namespace ns (or on the host when ns is undefined), output appended to logFile.
 */
export function startDetached(
  ns: string | undefined,
  cmd: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = {},
): Started {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const argv = ns === undefined ? [cmd, ...args] : ['ip', 'netns', 'exec', ns, cmd, ...args];
  const child = spawn(argv[0] ?? cmd, argv.slice(1), {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...SBIN_ENV, ...env },
  });
  fs.closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new Error(`${cmd} could not start`);
  return { pid: child.pid, log: logFile };
}

export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until check() is true; throws `what` (and the hint) on timeout. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  hint = (): string => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      const h = hint();
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${h ? `\n${h}` : ''}`);
    }
    await sleep(250);
  }
}

/** Kills (TERM, then KILL after graceMs) the given pids and waits until they are gone. */
export async function killAll(pids: number[], graceMs = 5000): Promise<number[]> {
  const live = pids.filter(isAlive);
  for (const p of live) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && live.some(isAlive)) await sleep(50);
  for (const p of live.filter(isAlive)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  const killDeadline = Date.now() + 3000;
  while (Date.now() < killDeadline && live.some(isAlive)) await sleep(50);
  return live.filter(isAlive);
}

/** `--flag value` / `--flag=value` parsing shared by the lab scripts; positional words are kept in order. */
export function parseFlags(
  argv: string[],
  known: { values: string[]; booleans: string[] },
): { flags: Map<string, string>; bools: Set<string>; rest: string[] } {
  const flags = new Map<string, string>();
  const bools = new Set<string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-')) {
      rest.push(a);
      continue;
    }
    if (a === '-h' || a === '--help') {
      bools.add('--help');
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (known.booleans.includes(name)) {
      bools.add(name);
      continue;
    }
    if (!known.values.includes(name)) throw new LabError(`unknown option: ${a}`);
    const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined || v === '') throw new LabError(`${name} needs a value`);
    flags.set(name, v);
  }
  return { flags, bools, rest };
}

/** A folder given on the command line, resolved against the caller's directory (npm run changes it). */
export function resolveDir(dir: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), dir);
}

/** Runs main(), mapping LabError to exit 2 (bad input) and anything else to exit 1; -h/--help prints the usage. */
export function runMain(tool: string, usage: string, main: () => Promise<void>): void {
  const args = process.argv.slice(2);
  const sep = args.indexOf('--');
  if ((sep < 0 ? args : args.slice(0, sep)).some((a) => a === '-h' || a === '--help')) {
    console.log(usage);
    return;
  }
  main().catch((e: unknown) => {
    if (e instanceof LabError) {
      process.stderr.write(`${tool}: ${e.message}\n${usage}\n`);
      process.exit(2);
    }
    process.stderr.write(`${tool}: FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
