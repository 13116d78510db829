// Starts the exposectl lab (docs/lab.md): the control plane of cluster:up, plus a real data
// plane in network namespaces: nodes node-1..3, a client and a BGP router on one L2 segment,
// kube-proxy and the MetalLB speaker on every node (DaemonSets run by the lab kubelet).
//
//   npm run lab:up -- --dir DIR [--proxy-mode iptables|nftables] [--no-build]
//
// Writes DIR/lab/lab.json, DIR/lab/kubeconfig (for processes inside lab namespaces),
// DIR/lab/logs/*. Stop with `npm run lab:down -- --dir DIR`. Needs root.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api } from './api.ts';
import {
  commandExists,
  execIn,
  isAlive,
  LabError,
  log,
  parseFlags,
  resolveDir,
  run,
  runMain,
  startDetached,
  tail,
  waitFor,
} from './host.ts';
import { kubeProxyDaemonSet, routerPeer, speakerDaemonSet, traefikManifests } from './manifests.ts';
import { createNetwork, destroyNetwork, LAB_DNS, labNamespaces, startRouter } from './network.ts';
import { type LabState, labDir, type ProxyMode, readState, SERVICE_ZONE_FILE, writeState } from './state.ts';
import { API_IN_NAMESPACE, CLIENT, labId, NODES, nsName } from './topology.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOOL = 'lab:up';
const USAGE = [
  'usage: npm run lab:up -- --dir DIR [--proxy-mode iptables|nftables] [--apiserver-port N] [--no-build]',
  "  --dir DIR            state folder (the control plane's and the lab's)",
  '  --proxy-mode M       kube-proxy mode on every node (default iptables)',
  '  --apiserver-port N   fixed kube-apiserver port on 127.0.0.1 (default: a free one; a port in use is an error naming it)',
  '  --no-build           fail instead of building when cached binaries are missing',
].join('\n');

function readVersions(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)\s*$/.exec(line);
    if (m?.[1] && m[2]) out[m[1]] = m[2];
  }
  return out;
}

function prerequisites(mode: ProxyMode): void {
  if (process.getuid?.() !== 0) throw new LabError('the lab creates network namespaces: run it as root');
  const need: Array<[string, string]> = [
    ['ip', 'iproute2'],
    ['iptables', 'iptables'],
    ['bird', 'bird2'],
    ['birdc', 'bird2'],
    ['sysctl', 'procps'],
    ['openssl', 'openssl'],
    ['curl', 'curl'],
  ];
  if (mode === 'nftables') need.push(['nft', 'nftables']);
  const missing = need.filter(([c]) => !commandExists(c));
  if (missing.length) {
    throw new LabError(
      `missing prerequisite: ${missing.map(([c, p]) => `${c} (Debian package ${p})`).join(', ')}; install with: bash .ci/system-packages.sh`,
    );
  }
}

/** The control-plane processes cluster:up recorded in DIR/pids/ that still run. */
function liveControlPlane(dir: string): string[] {
  const pidDir = path.join(dir, 'pids');
  if (!fs.existsSync(pidDir)) return [];
  return fs.readdirSync(pidDir).filter((f) => {
    const pid = Number(fs.readFileSync(path.join(pidDir, f), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid);
  });
}

/**
 * A lab already running in DIR (its namespaces exist, a process it recorded is alive), or a
 * control plane of cluster:up (lab:up would fail half-way, and its clean-up must not stop
 * what it did not start)?
 */
function refuseRunningLab(dir: string, id: string): void {
  const namespaces = labNamespaces(id);
  const state = readState(dir);
  const live = Object.entries(state?.hostProcesses ?? {})
    .filter(([, p]) => isAlive(p.pid))
    .map(([n]) => n);
  if (namespaces.length || live.length) {
    throw new LabError(
      `${dir} already holds a lab (${namespaces.length ? `namespaces ${namespaces.join(', ')}` : `processes ${live.join(', ')}`}); stop it first: npm run lab:down -- --dir ${dir}`,
    );
  }
  const controlPlane = liveControlPlane(dir);
  if (controlPlane.length)
    throw new LabError(
      `${dir} already holds a running control plane (${controlPlane.map((f) => f.replace(/\.pid$/, '')).join(', ')}); stop it first (npm run cluster:down -- --dir ${dir}) or give lab:up another --dir`,
    );
}

function buildLab(noBuild: boolean): string {
  const script = path.join(HERE, 'build.sh');
  if (noBuild) {
    const bin = path.join(run('bash', [script, '--print-dir']).trim(), 'bin');
    const missing = ['kube-proxy', 'traefik'].filter((b) => !fs.existsSync(path.join(bin, b)));
    if (missing.length)
      throw new LabError(`--no-build: ${missing.join(', ')} not built in ${bin}; run: bash scripts/lab/build.sh`);
    return bin;
  }
  const r = spawnSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`scripts/lab/build.sh failed (exit ${r.status ?? r.signal}); see its messages above`);
  return r.stdout.trim().split('\n').pop()!.trim();
}

function kubectlApply(state: LabState, yaml: string): void {
  run(
    path.join(state.clusterBinDir, 'kubectl'),
    [
      '--kubeconfig',
      state.kubeconfig,
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=exposectl-lab-up',
      '-f',
      '-',
    ],
    { input: yaml },
  );
}

/** A fixed --apiserver-port that something already holds: refused before anything starts (cluster:up would fail half-way). */
async function refusePortInUse(port: number): Promise<void> {
  const inUse = await new Promise<string | undefined>((resolve) => {
    const srv = net.createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(undefined)));
  });
  if (inUse)
    throw new LabError(
      `--apiserver-port ${port}: port ${port} on 127.0.0.1 is not available (${inUse}); stop what holds it (\`ss -ltnp 'sport = :${port}'\` names it; another lab's: npm run lab:down -- --dir ITS_DIR), choose another port, or leave --apiserver-port out to get a free one`,
    );
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const { flags, bools, rest } = parseFlags(process.argv.slice(2), {
    values: ['--dir', '--proxy-mode', '--apiserver-port'],
    booleans: ['--no-build'],
  });
  if (rest.length) throw new LabError(`unexpected argument: ${rest.join(' ')}`);
  const dirArg = flags.get('--dir');
  if (!dirArg) throw new LabError('--dir DIR is required');
  const mode = flags.get('--proxy-mode') ?? 'iptables';
  if (mode !== 'iptables' && mode !== 'nftables')
    throw new LabError(`--proxy-mode must be iptables or nftables, not ${mode}`);
  const apiserverPort = flags.get('--apiserver-port');
  if (
    apiserverPort !== undefined &&
    !(/^[0-9]+$/.test(apiserverPort) && Number(apiserverPort) >= 1 && Number(apiserverPort) <= 65535)
  ) {
    throw new LabError(`--apiserver-port: not a port: ${apiserverPort}`);
  }
  const dir = resolveDir(dirArg);
  const id = labId(dir);
  const noBuild = bools.has('--no-build');
  prerequisites(mode);
  refuseRunningLab(dir, id);
  if (apiserverPort !== undefined) await refusePortInUse(Number(apiserverPort));

  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => T | Promise<T>): Promise<T> => {
    const s = Date.now();
    const r = await f();
    timings[name] = Date.now() - s;
    log(TOOL, `${name}: ${((Date.now() - s) / 1000).toFixed(1)}s`);
    return r;
  };

  const labBinDir = await timed('lab binaries built (or reused)', () => buildLab(noBuild));
  await timed('control plane (cluster:up)', () => {
    const r = spawnSync(
      process.execPath,
      [
        path.join(HERE, '../cluster/up.ts'),
        '--dir',
        dir,
        ...(noBuild ? ['--no-build'] : []),
        ...(apiserverPort ? ['--apiserver-port', apiserverPort] : []),
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`cluster:up failed (exit ${r.status ?? r.signal}); see its messages above`);
  });
  const cluster = JSON.parse(fs.readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as {
    binDir: string;
    kubeconfig: string;
    apiserverUrl: string;
  };
  const ldir = labDir(dir);
  fs.mkdirSync(path.join(ldir, 'logs'), { recursive: true });
  fs.rmSync(path.join(ldir, 'pods'), { recursive: true, force: true });
  const state: LabState = {
    id,
    dir,
    startedAt: new Date().toISOString(),
    proxyMode: mode,
    clusterBinDir: cluster.binDir,
    labBinDir,
    kubeconfig: cluster.kubeconfig,
    kubeconfigInNamespaces: path.join(ldir, 'kubeconfig'),
    apiSocket: path.join(ldir, 'apiserver.sock'),
    hostProcesses: {},
    timingsMs: timings,
  };
  writeState(state);

  const startHost = (name: string, cmd: string, args: string[]): void => {
    const p = startDetached(undefined, cmd, args, path.join(ldir, 'logs', `${name}.log`));
    state.hostProcesses[name] = { pid: p.pid, cmdline: [cmd, ...args] };
    writeState(state);
  };

  try {
    await timed('network namespaces (segment, router, client, nodes)', () => createNetwork(id));

    await timed('API relays into the namespaces', async () => {
      const api = new URL(cluster.apiserverUrl);
      startHost('api-relay', process.execPath, [
        path.join(HERE, 'relay.ts'),
        'host',
        state.apiSocket,
        api.hostname,
        api.port,
      ]);
      await waitFor(
        'the host API relay socket',
        () => fs.existsSync(state.apiSocket),
        15_000,
        () => tail(path.join(ldir, 'logs', 'api-relay.log')),
      );
      fs.writeFileSync(
        state.kubeconfigInNamespaces,
        fs
          .readFileSync(cluster.kubeconfig, 'utf8')
          .replaceAll(cluster.apiserverUrl, `https://${API_IN_NAMESPACE.host}:${API_IN_NAMESPACE.port}`),
        { mode: 0o600 },
      );
      for (const role of [CLIENT.role, ...NODES.map((n) => n.name)]) {
        startDetached(
          nsName(id, role),
          process.execPath,
          [path.join(HERE, 'relay.ts'), 'netns', API_IN_NAMESPACE.host, String(API_IN_NAMESPACE.port), state.apiSocket],
          path.join(ldir, 'logs', `api-relay-${role}.log`),
        );
      }
      for (const role of [CLIENT.role, ...NODES.map((n) => n.name)]) {
        await waitFor(
          `the API relay in ${role}`,
          () =>
            execIn(
              nsName(id, role),
              'curl',
              [
                '-sk',
                '-o',
                '/dev/null',
                '-w',
                '%{http_code}',
                `https://${API_IN_NAMESPACE.host}:${API_IN_NAMESPACE.port}/readyz`,
              ],
              { allowFailure: true },
            ).trim() !== '000',
          15_000,
        );
      }
    });

    await timed('router (BIRD 2), cluster DNS in the nodes', async () => {
      await startRouter(id, ldir);
      fs.writeFileSync(path.join(ldir, SERVICE_ZONE_FILE), '{}\n');
      for (const n of NODES) {
        startDetached(
          nsName(id, n.name),
          process.execPath,
          [path.join(HERE, 'dns.ts'), path.join(ldir, SERVICE_ZONE_FILE), LAB_DNS.host, String(LAB_DNS.port)],
          path.join(ldir, 'logs', `dns-${n.name}.log`),
        );
      }
    });

    await timed('lab kubelet', async () => {
      startHost('kubelet', process.execPath, [path.join(HERE, 'kubelet.ts'), '--dir', dir]);
      await waitFor(
        'the lab kubelet',
        () => fs.readFileSync(path.join(ldir, 'logs', 'kubelet.log'), 'utf8').includes('running the Pods'),
        15_000,
        () => tail(path.join(ldir, 'logs', 'kubelet.log')),
      );
    });

    const versions = readVersions(path.join(HERE, '../cluster/versions.env'));
    await timed('kube-proxy and MetalLB speaker on every node, Traefik on node-1', async () => {
      kubectlApply(
        state,
        [
          kubeProxyDaemonSet({
            kubeconfig: state.kubeconfigInNamespaces,
            mode,
            version: versions.K8S_VERSION ?? '',
          }),
          speakerDaemonSet({ kubeconfig: state.kubeconfigInNamespaces, version: versions.METALLB_VERSION ?? '' }),
          routerPeer(),
          traefikManifests({ version: readVersions(path.join(HERE, 'versions.env')).TRAEFIK_VERSION ?? '' }),
        ].join('---\n'),
      );
      const api = new Api(dir);
      try {
        for (const [ns, ds, count] of [
          ['kube-system', 'kube-proxy', NODES.length],
          ['metallb-system', 'speaker', NODES.length],
          ['kube-system', 'traefik', 1],
        ] as const) {
          await waitFor(
            `DaemonSet ${ns}/${ds} ready on ${count} node(s)`,
            async () => {
              const d = await api.request<{ status?: { numberReady?: number } }>(
                'GET',
                `/apis/apps/v1/namespaces/${ns}/daemonsets/${ds}`,
              );
              return d.status?.numberReady === count;
            },
            120_000,
            () => tail(path.join(ldir, 'logs', 'kubelet.log')),
          );
        }
      } finally {
        api.close();
      }
    });

    await timed('BGP sessions from every node established', async () => {
      const sock = path.join(ldir, 'bird.ctl');
      await waitFor(
        'BIRD: BGP Established with node-1..3',
        () =>
          (run('birdc', ['-s', sock, 'show', 'protocols'], { allowFailure: true }).match(/Established/g) ?? [])
            .length === NODES.length,
        120_000,
        () => run('birdc', ['-s', sock, 'show', 'protocols'], { allowFailure: true }),
      );
    });
  } catch (e) {
    log(TOOL, "start-up failed; removing the lab's namespaces and stopping the control plane");
    await teardown(state);
    throw e;
  }

  timings.total = Date.now() - t0;
  writeState(state);
  console.log(
    [
      `lab ready in ${(timings.total / 1000).toFixed(1)}s (${dir}, kube-proxy ${mode})`,
      ...Object.entries(timings).map(([n, ms]) => `  ${n.padEnd(52)} ${(ms / 1000).toFixed(1).padStart(6)}s`),
      `  namespaces      ${labNamespaces(id).join(' ')}`,
      `  kubeconfig      ${state.kubeconfig}  (inside lab namespaces: ${state.kubeconfigInNamespaces})`,
      `  echo Pods       npm run lab:echo -- --dir ${dir} -n demo --name web --replicas 3`,
      `  run in the lab  npm run lab:exec -- --dir ${dir} client -- curl -s http://192.0.2.11:NODEPORT/`,
      `  stop with       npm run lab:down -- --dir ${dir}`,
    ].join('\n'),
  );
}

async function teardown(state: LabState): Promise<void> {
  for (const p of Object.values(state.hostProcesses)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await destroyNetwork(state.id);
  spawnSync(process.execPath, [path.join(HERE, '../cluster/down.ts'), '--dir', state.dir], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

runMain(TOOL, USAGE, main);
