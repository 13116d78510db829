// Kill and start again one component of a cluster started by up.ts, with the arguments and
// environment up.ts recorded in DIR/cluster.json (`commands`): for fault tests that take the
// API server away in the middle of a command. Updates DIR/pids/<name>.pid and cluster.json,
// so down.ts stops the new process.
//
//   import { killComponent, startComponent, waitApiserverReady } from '../../scripts/cluster/restart.ts';
//   killComponent(dir, 'kube-apiserver');          // SIGKILL, returns once the process is gone
//   startComponent(dir, 'kube-apiserver');
//   await waitApiserverReady(dir);                 // GET /readyz answers 200
//
// Erasable TypeScript only (Node runs the cluster scripts with native type stripping).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';

interface SavedState {
  apiserverUrl: string;
  pids: Record<string, number>;
  binaries: Record<string, string>;
  commands?: Record<string, { args: string[]; env: Record<string, string> }>;
}

function stateFile(dir: string): string {
  return path.join(dir, 'cluster.json');
}

function readState(dir: string): SavedState {
  return JSON.parse(fs.readFileSync(stateFile(dir), 'utf8')) as SavedState;
}

function pidFile(dir: string, name: string): string {
  return path.join(dir, 'pids', `${name}.pid`);
}

/** Running and not a zombie (a killed child not yet reaped by its parent counts as gone). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pid of a running component, or undefined. */
export function componentPid(dir: string, name: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(dir, name), 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 && running(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** SIGKILLs the component (no clean shutdown: a crash) and waits until it is gone. */
export async function killComponent(dir: string, name: string, timeoutMs = 10_000): Promise<void> {
  const pid = componentPid(dir, name);
  if (pid === undefined) throw new Error(`${name} is not running in ${dir} (no live pid in ${pidFile(dir, name)})`);
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (running(pid)) {
    if (Date.now() > deadline) throw new Error(`${name} (pid ${pid}) still runs ${timeoutMs / 1000}s after SIGKILL`);
    await new Promise((r) => setTimeout(r, 20));
  }
  fs.rmSync(pidFile(dir, name), { force: true });
}

/** Starts the component again exactly as up.ts did (same binary, arguments, environment, log file). */
export function startComponent(dir: string, name: string): number {
  const state = readState(dir);
  const bin = state.binaries[name];
  const command = state.commands?.[name];
  if (!bin || !command)
    throw new Error(`${stateFile(dir)} has no recorded command for ${name} (cluster started by an older up.ts?)`);
  if (componentPid(dir, name) !== undefined) throw new Error(`${name} is still running in ${dir}`);
  const logPath = path.join(dir, 'logs', `${name}.log`);
  fs.appendFileSync(logPath, `# ${new Date().toISOString()} restarted: ${bin} ${command.args.join(' ')}\n`);
  const fd = fs.openSync(logPath, 'a');
  const child = spawn(bin, command.args, {
    detached: true, // like up.ts: its own process group, outlives the caller
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...command.env },
    cwd: dir,
  });
  fs.closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${bin}`);
  child.on('error', () => {});
  child.unref();
  fs.writeFileSync(pidFile(dir, name), `${child.pid}\n`);
  state.pids[name] = child.pid;
  fs.writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`);
  return child.pid;
}

/** Waits until the API server's /readyz answers 200 (admin client certificate). */
export async function waitApiserverReady(dir: string, timeoutMs = 120_000): Promise<void> {
  const { apiserverUrl } = readState(dir);
  const pki = path.join(dir, 'pki');
  const tls = {
    ca: fs.readFileSync(path.join(pki, 'ca.crt')),
    cert: fs.readFileSync(path.join(pki, 'admin.crt')),
    key: fs.readFileSync(path.join(pki, 'admin.key')),
  };
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      const req = https.get(`${apiserverUrl}/readyz`, { ...tls, timeout: 3000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => {
        last = e.message;
        resolve(0);
      });
    });
    if (status === 200) return;
    if (status !== 0) last = `HTTP ${status}`;
    if (componentPid(dir, 'kube-apiserver') === undefined) {
      throw new Error(`kube-apiserver is not running in ${dir}; see ${path.join(dir, 'logs', 'kube-apiserver.log')}`);
    }
    if (Date.now() > deadline)
      throw new Error(`kube-apiserver ${apiserverUrl}/readyz not ok after ${timeoutMs / 1000}s (last: ${last})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
