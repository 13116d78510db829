// Scale benchmark (issue #8): exposectl against a test control plane holding thousands of
// Services, compared with kubectl in the same run.
//
//   npm run build && node bench/scale/run.ts [--services N] [--runs R] [--expose N]
//                                            [--keep-cluster DIR | --cluster DIR] [--concurrency C]
//
// 1. Starts its own control plane (scripts/cluster/up.ts) in a temporary folder, stopped and
//    removed at the end; --keep-cluster DIR starts it in DIR and leaves it running; --cluster
//    DIR uses one already running there (left running; Services it already holds count).
// 2. Loads 100 nodes, then N/10 Services (default N = 10,000) with their EndpointSlices and
//    one Ingress per ten Services (bench/scale/load.ts), and measures; then loads up to N and
//    measures again. At each point, R alternating runs (default 5) of
//      kubectl get services,endpointslices,ingresses -A -o json
//      exposectl list -A -o json
//    each preceded by one warm-up run; median wall time, peak RSS (GNU time %M), the ratio of
//    the medians, and the growth factor between the two points (linear: 10x).
//    Targets: at most 1.2x kubectl, under 400 MB, linear growth.
// 3. `exposectl expose NS/NAME --mode nodeport` of --expose Services (default 100), one CLI
//    invocation after another as a user script would, alternating with `kubectl apply
//    --server-side` of what `expose --dry-run=client -o yaml` generates for a twin Service
//    (generated before timing, offline from the Service's manifest). Median and p90 of each.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBounded } from '../../src/util/run-bounded.ts';
import { Api, type ClusterInfo, readClusterInfo } from './api.ts';
import { countServices, expectedRows, loadFixtures, loadServices, waitForMetalLB } from './load.ts';

const GNU_TIME = '/usr/bin/time';
const REPO = resolve(import.meta.dirname, '../..');

const { values: opts } = parseArgs({
  options: {
    services: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
    expose: { type: 'string', default: '100' },
    'keep-cluster': { type: 'string' },
    cluster: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  console.log(
    readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('//'))
      .map((l) => l.slice(3))
      .join('\n'),
  );
  process.exit(0);
}
const large = positive('services');
const small = Math.floor(large / 10);
const runs = positive('runs');
const exposeCount = Number(opts.expose);
const concurrency = positive('concurrency');

function positive(name: keyof typeof opts): number {
  const n = Number(opts[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${String(opts[name])}`);
  return n;
}

function log(message: string): void {
  process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// the cluster

function runScript(script: string, args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(REPO, 'scripts/cluster', script), ...args], {
      cwd: REPO,
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.on('error', fail);
    child.on('exit', (code) => done(code ?? 1));
  });
}

async function startCluster(): Promise<{ cluster: ClusterInfo; stop: () => Promise<void> }> {
  if (opts.cluster) {
    log(`using the running cluster in ${opts.cluster} (left running)`);
    return { cluster: readClusterInfo(resolve(opts.cluster)), stop: async () => {} };
  }
  const keep = opts['keep-cluster'];
  const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'exposectl-scale-'));
  if (keep) mkdirSync(dir, { recursive: true });
  log(`starting a control plane in ${dir}`);
  const started = performance.now();
  let stopped = false;
  const stopSync = (): void => {
    if (stopped || keep) return;
    stopped = true;
    spawnSync(process.execPath, [join(REPO, 'scripts/cluster/down.ts'), '--dir', dir], {
      stdio: ['ignore', process.stderr, process.stderr],
    });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync); // never leave etcd and the API server behind
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  if ((await runScript('up.ts', ['--dir', dir])) !== 0) throw new Error(`cluster:up failed; logs in ${dir}/logs`);
  log(`control plane up in ${seconds(performance.now() - started)}`);
  return {
    cluster: readClusterInfo(dir),
    stop: async () => {
      if (keep)
        return log(
          `cluster left running in ${dir}: node bench/scale/run.ts --cluster ${dir}; stop with npm run cluster:down -- --dir ${dir}`,
        );
      stopSync();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// measuring

interface Sample {
  ms: number;
  /** user + system CPU time: what a loaded machine inflates least. */
  cpuMs: number;
  rssKb: number;
}

interface Command {
  label: string;
  command: string;
  args: string[];
}

/** One run under GNU time; stdout to a file or /dev/null. */
function runOnce(c: Command, stdoutFile?: string): Sample {
  const rssFile = join(tmpdir(), `exposectl-scale-rss-${process.pid}`);
  const start = process.hrtime.bigint();
  const result = spawnSync(GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, c.command, ...c.args], {
    stdio: ['ignore', stdoutFile ? 'pipe' : 'ignore', 'pipe'],
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${c.label}: exited ${result.status}: ${String(result.stderr).slice(-2000)}`);
  if (stdoutFile) writeFileSync(stdoutFile, result.stdout);
  const [rss, user, system] = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
  rmSync(rssFile, { force: true });
  return { ms, cpuMs: ((user ?? 0) + (system ?? 0)) * 1000, rssKb: rss ?? 0 };
}

interface Stats {
  label: string;
  median: number;
  p90: number;
  min: number;
  /** median CPU time (user + system) */
  cpu: number;
  peakMb: number;
  samples: number;
}

function stats(label: string, samples: Sample[]): Stats {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number): number => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
  const mid = ms.length % 2 ? ms[(ms.length - 1) / 2]! : (ms[ms.length / 2 - 1]! + ms[ms.length / 2]!) / 2;
  const cpus = samples.map((s) => s.cpuMs).sort((a, b) => a - b);
  const cpu =
    cpus.length % 2 ? cpus[(cpus.length - 1) / 2]! : (cpus[cpus.length / 2 - 1]! + cpus[cpus.length / 2]!) / 2;
  return {
    label,
    median: mid,
    p90: at(0.9),
    min: ms[0]!,
    cpu,
    peakMb: Math.max(...samples.map((s) => s.rssKb)) / 1024,
    samples: ms.length,
  };
}

/** Alternating runs: A B A B ..., after one warm-up of each (disk cache, compile cache, API server caches). */
function alternate(commands: Command[], n: number): Stats[] {
  for (const c of commands) runOnce(c);
  const samples = commands.map(() => [] as Sample[]);
  for (let r = 0; r < n; r++)
    commands.forEach((c, k) => {
      samples[k]!.push(runOnce(c));
    });
  return commands.map((c, k) => stats(c.label, samples[k]!));
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const msText = (ms: number): string => `${Math.round(ms)} ms`.padStart(9);

// ---------------------------------------------------------------------------------------------
// the list benchmark at one point

interface Point {
  services: number;
  kubectl: Stats;
  exposectl: Stats;
  rows: number;
  readMs: number | null;
}

function listPoint(cluster: ClusterInfo, services: number, outDir: string): Point {
  const kubectl = join(cluster.binDir, 'kubectl');
  const commands: Command[] = [
    {
      label: 'kubectl get services,endpointslices,ingresses -A -o json',
      command: kubectl,
      args: ['--kubeconfig', cluster.kubeconfig, 'get', 'services,endpointslices,ingresses', '-A', '-o', 'json'],
    },
    {
      label: 'exposectl list -A -o json',
      command: process.execPath,
      args: [join(REPO, 'bin/run.js'), 'list', '-A', '-o', 'json', '--kubeconfig', cluster.kubeconfig],
    },
  ];
  // One checked run first: the rows must be there, or the timing means nothing.
  const out = join(outDir, `list-${services}.json`);
  runOnce(commands[1]!, out);
  const list = JSON.parse(readFileSync(out, 'utf8')) as { items: { mode: string; namespace: string | null }[] };
  const byMode: Record<string, number> = {};
  for (const e of list.items) if (/^scale-\d{3}$/.test(e.namespace ?? '')) byMode[e.mode] = (byMode[e.mode] ?? 0) + 1;
  const expected = expectedRows(services);
  const expectedTotal = Object.values(expected).reduce((a, b) => a + b, 0);
  const got = Object.values(byMode).reduce((a, b) => a + b, 0);
  log(
    `exposectl list: ${list.items.length} rows, ${got} in the benchmark namespaces (expected ${expectedTotal}: ${JSON.stringify(expected)}; by mode ${JSON.stringify(byMode)})`,
  );
  if (got !== expectedTotal)
    throw new Error(`exposectl list returned ${got} benchmark rows, expected ${expectedTotal}`);
  // Where exposectl's time goes (its own debug timings), from one more run.
  const debugRun = spawnSync(process.execPath, commands[1]!.args, {
    env: { ...process.env, DEBUG: 'exposectl' },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 28,
  });
  const readLine = /cluster: read \d+ kinds .* in (\d+) ms/.exec(String(debugRun.stderr));
  const clientLine = /loaded @kubernetes\/client-node in (\d+) ms/.exec(String(debugRun.stderr));
  log(
    `exposectl (DEBUG): client-node loaded in ${clientLine?.[1] ?? '?'} ms, cluster read in ${readLine?.[1] ?? '?'} ms`,
  );

  log(`measuring ${runs} alternating runs at ${services} Services`);
  const [k, e] = alternate(commands, runs) as [Stats, Stats];
  log(
    `${services} Services: kubectl ${msText(k.median)} (cpu ${msText(k.cpu)}, ${k.peakMb.toFixed(0)} MB), exposectl ${msText(e.median)} (cpu ${msText(e.cpu)}, ${e.peakMb.toFixed(0)} MB): ${(e.median / k.median).toFixed(2)}x`,
  );
  return { services, kubectl: k, exposectl: e, rows: got, readMs: readLine ? Number(readLine[1]) : null };
}

// ---------------------------------------------------------------------------------------------
// the expose benchmark

// Fresh per run, deleted afterwards: a kept cluster is re-run without filling the NodePort range.
const EXPOSE_NS = `scale-expose-${Date.now().toString(36)}`;

async function exposeBench(
  api: Api,
  cluster: ClusterInfo,
  n: number,
  outDir: string,
): Promise<{ exposectl: Stats; kubectl: Stats }> {
  const kubectl = join(cluster.binDir, 'kubectl');
  // Twins: expose-i for exposectl, expose-(n+i) for kubectl, so both create new objects.
  const manifest = (i: number): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `expose-${String(i).padStart(3, '0')}`, namespace: EXPOSE_NS },
    spec: { selector: { app: `expose-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: EXPOSE_NS } });
  await runBounded(
    Array.from({ length: 2 * n }, (_, i) => i),
    concurrency,
    (i) => api.create(`/api/v1/namespaces/${EXPOSE_NS}/services`, manifest(i)),
  );

  log(`generating the kubectl twins' objects offline (expose -f --dry-run=client -o yaml)`);
  const peerFiles: string[] = [];
  for (let i = 0; i < n; i++) {
    const svcFile = join(outDir, `svc-${i}.json`);
    writeFileSync(svcFile, JSON.stringify(manifest(n + i)));
    const r = spawnSync(
      process.execPath,
      [join(REPO, 'bin/run.js'), 'expose', '--mode', 'nodeport', '-f', svcFile, '--dry-run=client', '-o', 'yaml'],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`expose --dry-run=client failed: ${r.stderr}`);
    const file = join(outDir, `peer-${i}.yaml`);
    writeFileSync(file, r.stdout);
    peerFiles.push(file);
  }

  log(`exposing ${n} Services one after another, alternating with kubectl apply --server-side`);
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const name = (manifest(i).metadata as { name: string }).name;
    ours.push(
      runOnce({
        label: `exposectl expose ${name}`,
        command: process.execPath,
        args: [
          join(REPO, 'bin/run.js'),
          'expose',
          `${EXPOSE_NS}/${name}`,
          '--mode',
          'nodeport',
          '--kubeconfig',
          cluster.kubeconfig,
        ],
      }),
    );
    theirs.push(
      runOnce({
        label: `kubectl apply ${peerFiles[i]}`,
        command: kubectl,
        args: [
          '--kubeconfig',
          cluster.kubeconfig,
          'apply',
          '--server-side',
          '--field-manager=exposectl',
          '-f',
          peerFiles[i]!,
        ],
      }),
    );
  }
  await api.send('DELETE', `/api/v1/namespaces/${EXPOSE_NS}`);
  return {
    exposectl: stats('exposectl expose NS/NAME --mode nodeport', ours),
    kubectl: stats('kubectl apply --server-side -f (same objects)', theirs),
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install the Debian package "time"`);
  if (!existsSync(join(REPO, 'dist/commands/list.js'))) throw new Error('dist/ is missing: run npm run build first');
  const outDir = mkdtempSync(join(tmpdir(), 'exposectl-scale-out-'));
  const { cluster, stop } = await startCluster();
  const api = new Api(cluster, concurrency);
  const points: Point[] = [];
  const loads: string[] = [];
  let expose: Awaited<ReturnType<typeof exposeBench>> | undefined;
  let clusterServices = 0;
  try {
    const fixtures = await loadFixtures(api);
    log(
      `loaded ${fixtures.objects} nodes, IngressClass, MetalLB pool in ${seconds(fixtures.ms)} (${fixtures.requests} requests)`,
    );
    const existing = await countServices(api);
    for (const target of [small, large]) {
      if (existing > target) {
        log(`the cluster already holds ${existing} benchmark Services: the ${target}-Service point is skipped`);
        continue;
      }
      const from = Math.max(existing, points.at(-1)?.services ?? 0);
      const loaded = await loadServices(api, from, target);
      const metallbMs = await waitForMetalLB(api, target);
      const rate = loaded.requests / (loaded.ms / 1000);
      const line = `Services ${from}..${target}: ${loaded.objects} objects in ${seconds(loaded.ms)} (${loaded.requests} requests, ${rate.toFixed(0)}/s, ${concurrency} in flight), MetalLB done ${seconds(metallbMs)} later`;
      loads.push(line);
      log(line);
      points.push(listPoint(cluster, target, outDir));
    }
    clusterServices = await countServices(api);
    if (exposeCount > 0) expose = await exposeBench(api, cluster, exposeCount, outDir);
  } finally {
    api.close();
    await stop();
    rmSync(outDir, { recursive: true, force: true });
  }

  // ---- report
  const mb = (s: Stats): string => `${s.peakMb.toFixed(0)} MB`.padStart(7);
  console.log(
    `\nscale benchmark: node ${process.version}, ${runs} alternating runs per command (median wall time, peak RSS of all runs)`,
  );
  for (const l of loads) console.log(`load: ${l}`);
  console.log(
    `\nwall: median wall time; cpu: median user+system CPU time; RSS: peak of all runs. Target: wall <= 1.2x kubectl, RSS < 400 MB.`,
  );
  console.log(
    `${'Services'.padStart(8)} ${'Ingresses'.padStart(9)} | ${'kubectl wall'.padStart(12)} ${'cpu'.padStart(9)} ${'RSS'.padStart(7)} | ${'exposectl wall'.padStart(14)} ${'cpu'.padStart(9)} ${'RSS'.padStart(7)} | wall ratio  cpu ratio  target`,
  );
  for (const p of points) {
    const ratio = p.exposectl.median / p.kubectl.median;
    const ok = ratio <= 1.2 && p.exposectl.peakMb < 400;
    console.log(
      `${String(p.services).padStart(8)} ${String(p.services / 10).padStart(9)} | ${msText(p.kubectl.median).padStart(12)} ${msText(p.kubectl.cpu)} ${mb(p.kubectl)} | ${msText(p.exposectl.median).padStart(14)} ${msText(p.exposectl.cpu)} ${mb(p.exposectl)} | ` +
        `${`${ratio.toFixed(2)}x`.padStart(10)} ${`${(p.exposectl.cpu / p.kubectl.cpu).toFixed(2)}x`.padStart(10)}  ${ok ? 'ok' : 'MISSED'}`,
    );
  }
  if (points.length === 2) {
    const [a, b] = points as [Point, Point];
    const growth = (f: (p: Point) => number): string => `${(f(b) / f(a)).toFixed(1)}x`;
    console.log(
      `growth ${a.services} -> ${b.services} Services (${b.services / a.services}x data): wall kubectl ${growth((p) => p.kubectl.median)}, exposectl ${growth((p) => p.exposectl.median)};` +
        ` cpu kubectl ${growth((p) => p.kubectl.cpu)}, exposectl ${growth((p) => p.exposectl.cpu)};` +
        ` exposectl's cluster read ${a.readMs !== null && b.readMs !== null ? growth((p) => p.readMs!) : '?'}; exposectl peak RSS ${growth((p) => p.exposectl.peakMb)}`,
    );
  }
  if (expose) {
    const { exposectl: e, kubectl: k } = expose;
    console.log(
      `\nexpose of ${e.samples} Services one after another, on the cluster holding ${clusterServices} benchmark Services:`,
    );
    console.log(
      `  ${e.label.padEnd(48)} median ${msText(e.median)}  p90 ${msText(e.p90)}  cpu ${msText(e.cpu)}  ${mb(e)}`,
    );
    console.log(
      `  ${k.label.padEnd(48)} median ${msText(k.median)}  p90 ${msText(k.p90)}  cpu ${msText(k.cpu)}  ${mb(k)}`,
    );
    console.log(
      `  ratio of medians ${(e.median / k.median).toFixed(2)}x, of p90 ${(e.p90 / k.p90).toFixed(2)}x, of CPU ${(e.cpu / k.cpu).toFixed(2)}x`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/scale: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
