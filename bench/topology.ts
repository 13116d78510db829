// Topology benchmark: a generated cluster of 1,000 Services and 10,000 Pods (20 Nodes,
// 50 namespaces; bench/topology-snapshot.ts), in every format.
// Target: under 2 s of wall time beyond reading the input.
//
// 1. In process (bench/topology-phases.ts under tsx): the snapshot is built in memory,
//    then discovery + topology + rendering are timed: the first (cold) run and the median.
// 2. The built CLI end to end, `exposectl topology -f cluster.json -o FORMAT`: wall time,
//    the time the command reports for reading the input (DEBUG=exposectl), the wall time
//    beyond it (start-up, discovery, topology, layout, rendering, output) and the peak RSS
//    (GNU time). --no-cli skips it (reading 22,000 objects from files is the slow part).
// Run: npm run build && node bench/topology.ts [runs] [--no-cli]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCluster } from './topology-snapshot.ts';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const cli = !args.includes('--no-cli');
const node = process.execPath;
const FORMATS = ['tree', 'json', 'mermaid', 'dot', 'svg', 'html'];
const TARGET_MS = 2000;

const dir = mkdtempSync(join(tmpdir(), 'exposectl-topology-bench-'));
try {
  const cluster = generateCluster({ services: 1000, podsPerService: 10, nodes: 20 });
  const count = (kind: string) => cluster.items.filter((i) => i.kind === kind).length;
  console.log(
    `topology benchmark: ${count('Service')} Services, ${count('Pod')} Pods, ${count('Node')} Nodes, ${cluster.items.length} objects; node ${process.version}; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`,
  );

  console.log(`\nin process (snapshot in memory), ${runs} runs each: discovery + topology + render`);
  console.log(
    `${'format'.padEnd(8)} ${'cold'.padStart(8)} ${'median'.padStart(8)} ${'CPU'.padStart(8)} ${'discover'.padStart(9)} ${'build'.padStart(7)} ${'render'.padStart(8)} ${'output'.padStart(9)} ${'RSS'.padStart(7)}  target`,
  );
  const phases = spawnSync(node, ['--import', 'tsx', 'bench/topology-phases.ts', String(runs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (phases.status !== 0) throw new Error(`bench/topology-phases.ts exited ${phases.status}: ${phases.stderr}`);
  let worst = 0;
  for (const line of phases.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as {
      format: string;
      bytes: number;
      firstMs: number;
      medianMs: number;
      cpuMs: number;
      discoverMs: number;
      buildMs: number;
      renderMs: number;
      rssMb: number;
    };
    worst = Math.max(worst, r.medianMs);
    console.log(
      `${r.format.padEnd(8)} ${ms(r.firstMs)} ${ms(r.medianMs)} ${ms(r.cpuMs)} ${ms(r.discoverMs, 9)} ${ms(r.buildMs, 7)} ${ms(r.renderMs)} ${(r.bytes / 1e6).toFixed(1).padStart(6)} MB ${r.rssMb.toFixed(0).padStart(4)} MB  ${r.medianMs < TARGET_MS ? 'ok' : 'MISSED'}`,
    );
  }
  console.log(`worst median: ${worst.toFixed(0)} ms (target ${TARGET_MS} ms)`);

  if (cli) {
    const GNU_TIME = '/usr/bin/time';
    if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install the Debian package "time"`);
    const input = join(dir, 'cluster.json');
    writeFileSync(input, JSON.stringify(cluster));
    console.log(
      `\nthe built CLI, exposectl topology -f cluster.json (${(statSync(input).size / 1e6).toFixed(1)} MB) -o FORMAT, one run each`,
    );
    console.log(
      `${'format'.padEnd(8)} ${'wall'.padStart(8)} ${'read'.padStart(8)} ${'beyond'.padStart(8)} ${'build'.padStart(8)} ${'render'.padStart(8)} ${'peak RSS'.padStart(9)}  target`,
    );
    for (const format of FORMATS) {
      const rss = join(dir, 'rss');
      const start = process.hrtime.bigint();
      const r = spawnSync(
        GNU_TIME,
        ['-f', '%M', '-o', rss, node, 'bin/run.js', 'topology', '-f', input, '-o', format],
        {
          env: { ...process.env, DEBUG: 'exposectl', NO_COLOR: '1' },
          stdio: ['ignore', 'ignore', 'pipe'],
          encoding: 'utf8',
          maxBuffer: 1 << 26,
        },
      );
      const wall = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`topology -o ${format} exited ${r.status}: ${r.stderr.slice(-2000)}`);
      const read = Number(/topology: read input in ([\d.]+) ms/.exec(r.stderr)?.[1] ?? NaN);
      const built = Number(/built in ([\d.]+) ms/.exec(r.stderr)?.[1] ?? NaN);
      const rendered = Number(/topology: rendered \S+ \(\d+ bytes\) in ([\d.]+) ms/.exec(r.stderr)?.[1] ?? NaN);
      const peak = Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024;
      const beyond = wall - read;
      console.log(
        `${format.padEnd(8)} ${ms(wall)} ${ms(read)} ${ms(beyond)} ${ms(built)} ${ms(rendered)} ${peak.toFixed(0).padStart(6)} MB  ${beyond < TARGET_MS ? 'ok' : 'MISSED'}`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function ms(v: number, width = 8): string {
  return `${v.toFixed(0)} ms`.padStart(width);
}
