// Stops the control plane that `npm run cluster:up -- --dir DIR` started in DIR.
//
//   npm run cluster:down -- --dir DIR
//
// Reads DIR/pids/*.pid, checks each pid still runs the binary cluster:up started (so a
// recycled pid is never signalled), sends SIGTERM, waits up to 15s, then SIGKILL. Removes
// only the pid files of the processes it stopped; certificates, kubeconfigs, logs and etcd
// data stay in DIR (delete DIR yourself, or start again with cluster:up to reuse them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from './proc.ts';

/** Reverse of the start order in up.ts. */
const STOP_ORDER = [
  'metallb-controller',
  'kwok',
  'kube-scheduler',
  'kube-controller-manager',
  'kube-apiserver',
  'etcd',
];

function log(msg: string): void {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[cluster:down ${t}] ${msg}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The executable of a running pid, or undefined when it cannot be read. */
function exeOf(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    } catch {
      return undefined;
    }
  }
}

function parseDir(argv: string[]): string {
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--dir') dir = argv[++i];
    else if (a.startsWith('--dir=')) dir = a.slice('--dir='.length);
    else if (a === '-h' || a === '--help') {
      console.log('usage: npm run cluster:down -- --dir DIR');
      process.exit(0);
    } else {
      process.stderr.write(`cluster:down: unknown argument: ${a}\nusage: npm run cluster:down -- --dir DIR\n`);
      process.exit(2);
    }
  }
  if (!dir) {
    process.stderr.write('cluster:down: --dir DIR is required\nusage: npm run cluster:down -- --dir DIR\n');
    process.exit(2);
  }
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), dir);
}

async function main(): Promise<void> {
  const dir = parseDir(process.argv.slice(2));
  const pidDir = path.join(dir, 'pids');
  if (!fs.existsSync(pidDir)) {
    log(`no ${pidDir}: nothing to stop`);
    return;
  }
  let binaries: Record<string, string> = {};
  try {
    binaries =
      (JSON.parse(fs.readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as { binaries?: Record<string, string> })
        .binaries ?? {};
  } catch {
    log(`warning: no readable ${path.join(dir, 'cluster.json')}; stopping by pid files alone`);
  }

  const files = fs.readdirSync(pidDir).filter((f) => f.endsWith('.pid'));
  const names = files.map((f) => f.slice(0, -'.pid'.length));
  names.sort((a, b) => (STOP_ORDER.indexOf(a) + 1 || 99) - (STOP_ORDER.indexOf(b) + 1 || 99));

  const targets: { name: string; pid: number; file: string }[] = [];
  for (const name of names) {
    const file = path.join(pidDir, `${name}.pid`);
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 1) {
      log(`${name}: ignoring unreadable pid file ${file}`);
      continue;
    }
    if (!isAlive(pid)) {
      log(`${name}: pid ${pid} already stopped`);
      fs.rmSync(file, { force: true });
      continue;
    }
    const want = binaries[name];
    const exe = exeOf(pid);
    if (want && exe && path.resolve(exe) !== path.resolve(want)) {
      log(`${name}: pid ${pid} now runs ${exe}, not ${want}; leaving it alone (stale pid file removed)`);
      fs.rmSync(file, { force: true });
      continue;
    }
    targets.push({ name, pid, file });
  }

  // Stop in order (clients before the API server, the API server before etcd), each with TERM then KILL.
  let failed = false;
  for (const t of targets) {
    const t0 = Date.now();
    try {
      process.kill(t.pid, 'SIGTERM');
    } catch {
      /* gone meanwhile */
    }
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && isAlive(t.pid)) await sleep(50);
    let how = 'SIGTERM';
    if (isAlive(t.pid)) {
      how = 'SIGKILL';
      try {
        process.kill(t.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      const killDeadline = Date.now() + 5_000;
      while (Date.now() < killDeadline && isAlive(t.pid)) await sleep(50);
    }
    if (isAlive(t.pid)) {
      log(`${t.name}: pid ${t.pid} is STILL running after SIGKILL`);
      failed = true;
      continue;
    }
    fs.rmSync(t.file, { force: true });
    log(`${t.name}: pid ${t.pid} stopped (${how}, ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  }
  if (failed) throw new Error('some processes did not stop');
  log(`stopped ${targets.length} processes; ${dir} kept (kubeconfig, pki, logs, etcd data)`);
}

main().catch((e: unknown) => {
  process.stderr.write(`cluster:down: FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
