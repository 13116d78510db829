// Stops the lab in DIR: the lab kubelet and the API relay on the host, every process inside
// the lab's network namespaces, the namespaces themselves, then the control plane
// (cluster:down). Works from the namespace names alone (they derive from DIR), so also after
// a crash or a lost lab.json; running it twice is harmless.
//
//   npm run lab:down -- --dir DIR
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cmdlineOf, isAlive, killAll, LabError, log, parseFlags, resolveDir, runMain } from './host.ts';
import { destroyNetwork } from './network.ts';
import { labDir, readState, writeState } from './state.ts';
import { labId } from './topology.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOOL = 'lab:down';
const USAGE = 'usage: npm run lab:down -- --dir DIR';

async function main(): Promise<void> {
  const { flags, rest } = parseFlags(process.argv.slice(2), { values: ['--dir'], booleans: [] });
  if (rest.length) throw new LabError(`unexpected argument: ${rest.join(' ')}`);
  const dirArg = flags.get('--dir');
  if (!dirArg) throw new LabError('--dir DIR is required');
  const dir = resolveDir(dirArg);
  const id = labId(dir);
  const state = readState(dir);

  // Host processes first (the kubelet would otherwise recreate Pods), each only if its pid still runs what lab:up started.
  const hostPids: number[] = [];
  for (const [name, p] of Object.entries(state?.hostProcesses ?? {})) {
    const now = cmdlineOf(p.pid);
    if (isAlive(p.pid) && now && now.join('\0') === p.cmdline.join('\0')) hostPids.push(p.pid);
    else log(TOOL, `${name}: pid ${p.pid} not running (any more)`);
  }
  const stuckHost = await killAll(hostPids);
  if (state) {
    state.hostProcesses = {};
    writeState(state);
  }

  const net = await destroyNetwork(id);
  log(
    TOOL,
    `stopped ${hostPids.length} host processes and ${net.processes} processes in ${net.namespaces.length} namespaces`,
  );
  fs.rmSync(path.join(labDir(dir), 'pods'), { recursive: true, force: true });
  fs.rmSync(path.join(labDir(dir), 'apiserver.sock'), { force: true });

  if (fs.existsSync(path.join(dir, 'pids'))) {
    const r = spawnSync(process.execPath, [path.join(HERE, '../cluster/down.ts'), '--dir', dir], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) throw new Error('cluster:down failed (see above)');
  }
  const stuck = [...stuckHost, ...net.stuck];
  if (stuck.length) throw new Error(`processes still running after SIGKILL: ${stuck.join(', ')}`);
}

runMain(TOOL, USAGE, main);
