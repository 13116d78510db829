// Topology benchmark: `exposectl topology -f <generated cluster>` with 1,000 Services and
// 10,000 Pods, in every format. Target: under 2 s of wall time beyond reading the input.
// "Reading the input" is what the command itself reports (DEBUG=exposectl: parsing the
// files into a snapshot); the rest is discovery, the graph, the layout and the
// rendering. Peak memory is the maximum resident set size (GNU time).
// Run: npm run build && node bench/topology.ts [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from './measure.ts';
import { generateCluster } from './topology-snapshot.ts';

const runs = Number(process.argv[2] ?? 5);
const node = process.execPath;
const dir = mkdtempSync(join(tmpdir(), 'exposectl-topology-bench-'));
const input = join(dir, 'cluster.json');
const cluster = generateCluster({ services: 1000, podsPerService: 10, nodes: 20 });
writeFileSync(input, JSON.stringify(cluster));
const counts = { services: 0, pods: 0 };
for (const i of cluster.items) {
  if (i['kind'] === 'Service') counts.services += 1;
  if (i['kind'] === 'Pod') counts.pods += 1;
}

/** The command's own timings (median over runs): reading the input, building, rendering. */
function phases(format: string): { readMs: number; buildMs: number; renderMs: number } {
  const samples: Array<{ readMs: number; buildMs: number; renderMs: number }> = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(node, ['bin/run.js', 'topology', '-f', input, '-o', format], {
      env: { ...process.env, DEBUG: 'exposectl', NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`topology -o ${format} exited ${r.status}: ${r.stderr.slice(-2000)}`);
    const read = /topology: read input in ([\d.]+) ms/.exec(r.stderr);
    const built = /built in ([\d.]+) ms/.exec(r.stderr);
    const rendered = /topology: rendered \S+ \(\d+ bytes\) in ([\d.]+) ms/.exec(r.stderr);
    if (!read || !built || !rendered) throw new Error(`no timings in the output of topology -o ${format}:\n${r.stderr.slice(-2000)}`);
    samples.push({ readMs: Number(read[1]), buildMs: Number(built[1]), renderMs: Number(rendered[1]) });
  }
  const median = (k: 'readMs' | 'buildMs' | 'renderMs') => samples.map((s) => s[k]).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  return { readMs: median('readMs'), buildMs: median('buildMs'), renderMs: median('renderMs') };
}

try {
  console.log(`topology benchmark: ${counts.services} Services, ${counts.pods} Pods, ${cluster.items.length} objects (${(statSync(input).size / 1e6).toFixed(1)} MB JSON), ${runs} runs each, node ${process.version}`);
  console.log(`${'format'.padEnd(8)} ${'wall'.padStart(9)} ${'read'.padStart(9)} ${'beyond read'.padStart(12)} ${'build'.padStart(9)} ${'render'.padStart(9)} ${'peak RSS'.padStart(10)}  target`);
  let worst = 0;
  for (const format of ['tree', 'json', 'mermaid', 'dot', 'svg', 'html']) {
    const m = measure(format, node, ['bin/run.js', 'topology', '-f', input, '-o', format], runs, { ...process.env, NO_COLOR: '1' });
    const p = phases(format);
    const beyond = m.medianMs - p.readMs;
    worst = Math.max(worst, beyond);
    console.log(`${format.padEnd(8)} ${m.medianMs.toFixed(0).padStart(6)} ms ${p.readMs.toFixed(0).padStart(6)} ms ${beyond.toFixed(0).padStart(9)} ms ${p.buildMs.toFixed(0).padStart(6)} ms ${p.renderMs.toFixed(0).padStart(6)} ms ${m.peakRssMb.toFixed(0).padStart(7)} MB  ${beyond < 2000 ? 'ok' : 'MISSED'} (< 2000 ms beyond read)`);
  }
  console.log(`worst wall time beyond reading the input: ${worst.toFixed(0)} ms (target 2000 ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
