// Runs a command inside one of the lab's network namespaces:
//
//   npm run lab:exec -- --dir DIR NAMESPACE -- CMD [ARGS...]
//
// NAMESPACE: client, router, node-1, node-2, node-3, seg, or pod-<namespace>.<name> (an echo Pod).
// Exit code: the command's.
import { spawnSync } from 'node:child_process';
import { LabError, listNamespaces, parseFlags, resolveDir, runMain, SBIN_ENV } from './host.ts';
import { labId, nsName, nsPrefix } from './topology.ts';

const USAGE =
  'usage: npm run lab:exec -- --dir DIR NAMESPACE -- CMD [ARGS...]   (NAMESPACE: client, router, node-1..3, seg, pod-<ns>.<name>)';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sep = argv.indexOf('--');
  if (sep < 0 || sep === argv.length - 1) throw new LabError('give the command after --');
  const { flags, rest } = parseFlags(argv.slice(0, sep), { values: ['--dir'], booleans: [] });
  const dirArg = flags.get('--dir');
  if (!dirArg) throw new LabError('--dir DIR is required');
  if (rest.length !== 1) throw new LabError('give exactly one NAMESPACE');
  const id = labId(resolveDir(dirArg));
  const ns = nsName(id, rest[0]!);
  const have = listNamespaces()
    .filter((n) => n.startsWith(nsPrefix(id)))
    .sort();
  if (!have.includes(ns)) {
    throw new LabError(
      have.length
        ? `no lab namespace ${rest[0]}; the lab has: ${have.map((n) => n.slice(nsPrefix(id).length)).join(', ')}`
        : `no lab running in ${dirArg}; start one: npm run lab:up -- --dir ${dirArg}`,
    );
  }
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv.slice(sep + 1)], { stdio: 'inherit', env: SBIN_ENV });
  if (r.error) throw new Error(r.error.message);
  process.exit(r.status ?? 1);
}

runMain('lab:exec', USAGE, main);
