// Echo Pods in the lab: a Deployment whose Pods the lab kubelet runs for real (each in its
// own network namespace behind its node, answering HTTP with the client address it saw, its
// Pod and node name), spread evenly over the nodes, and a ClusterIP Service selecting them
// whose EndpointSlices the real endpoint-slice controller maintains.
//
//   npm run lab:echo -- --dir DIR -n NAMESPACE --name NAME [--replicas N] [--port P]
//
// Returns when every replica is Ready and the Service's EndpointSlices list them all.
import * as path from 'node:path';
import { Api } from './api.ts';
import { LabError, log, parseFlags, resolveDir, run, runMain, waitFor } from './host.ts';
import { echoManifests } from './manifests.ts';
import { readState } from './state.ts';

const TOOL = 'lab:echo';
const USAGE =
  'usage: npm run lab:echo -- --dir DIR -n NAMESPACE --name NAME [--replicas N (default 3)] [--port P (default 8080)]';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

async function main(): Promise<void> {
  const { flags, rest } = parseFlags(process.argv.slice(2), {
    values: ['--dir', '-n', '--namespace', '--name', '--replicas', '--port'],
    booleans: [],
  });
  if (rest.length) throw new LabError(`unexpected argument: ${rest.join(' ')}`);
  const dirArg = flags.get('--dir');
  const namespace = flags.get('-n') ?? flags.get('--namespace');
  const name = flags.get('--name');
  if (!dirArg || !namespace || !name) throw new LabError('--dir, -n and --name are required');
  for (const [what, v] of [
    ['namespace', namespace],
    ['name', name],
  ] as const) {
    if (!DNS_LABEL.test(v) || v.length > 40)
      throw new LabError(`${what} ${v}: must be a DNS label of at most 40 characters (lower case, digits, -)`);
  }
  const replicas = Number(flags.get('--replicas') ?? '3');
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > 100)
    throw new LabError(`--replicas must be 0..100, not ${flags.get('--replicas')}`);
  const port = Number(flags.get('--port') ?? '8080');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new LabError(`--port: not a port: ${flags.get('--port')}`);
  const dir = resolveDir(dirArg);
  const state = readState(dir);
  if (!state || Object.keys(state.hostProcesses).length === 0)
    throw new LabError(`no lab running in ${dir}; start one: npm run lab:up -- --dir ${dirArg}`);

  run(
    path.join(state.clusterBinDir, 'kubectl'),
    ['--kubeconfig', state.kubeconfig, 'apply', '--server-side', '--field-manager=exposectl-lab-echo', '-f', '-'],
    { input: echoManifests({ namespace, name, replicas, port }) },
  );
  const api = new Api(dir);
  try {
    await waitFor(
      `${replicas} ready endpoints of ${namespace}/${name}`,
      async () => {
        const d = await api.request<{ status?: { readyReplicas?: number; updatedReplicas?: number } }>(
          'GET',
          `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
        );
        if ((d.status?.readyReplicas ?? 0) !== replicas) return false;
        const slices = await api.request<{ items: Array<{ endpoints?: Array<{ conditions?: { ready?: boolean } }> }> }>(
          'GET',
          `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${name}`)}`,
        );
        return (
          slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready === true).length === replicas
        );
      },
      120_000,
      () => `see ${path.join(dir, 'lab', 'logs', 'kubelet.log')}`,
    );
    const pods = await api.request<{
      items: Array<{ metadata: { name: string }; spec: { nodeName?: string }; status?: { podIP?: string } }>;
    }>('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(`app=${name}`)}`);
    log(TOOL, `${namespace}/${name}: ${replicas} echo Pods ready`);
    for (const p of pods.items) console.log(`${p.metadata.name}\t${p.spec.nodeName ?? '-'}\t${p.status?.podIP ?? '-'}`);
  } finally {
    api.close();
  }
}

runMain(TOOL, USAGE, main);
