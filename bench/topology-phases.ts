// In-process part of bench/topology.ts (run by it under tsx): the generated snapshot is
// built in memory (what reading the input produces), then discovery, the topology and
// each renderer are timed, best and median of N runs, with the heap after each phase.
// Prints one JSON line per format.

import { discoverExposures } from '../src/discover/index.js';
import { kindInfoOf } from '../src/kube/kinds.js';
import { emptySnapshot } from '../src/model/snapshot.js';
import { renderDot } from '../src/render/topology/dot.js';
import { renderHtml } from '../src/render/topology/html.js';
import { renderTopologyJson } from '../src/render/topology/json.js';
import { renderMermaid } from '../src/render/topology/mermaid.js';
import { renderSvg } from '../src/render/topology/svg.js';
import { renderTree } from '../src/render/topology/tree.js';
import { buildTopology } from '../src/topology/build.js';
import { generateCluster } from './topology-snapshot.ts';

const runs = Number(process.argv[2] ?? 3);
const cluster = generateCluster({ services: 1000, podsPerService: 10, nodes: 20 });
const snapshot = emptySnapshot({ kind: 'files', description: 'generated' });
for (const o of cluster.items) {
  const info = kindInfoOf(String(o.apiVersion), String(o.kind));
  if (info && (!info.keep || info.keep(o as never))) info.add(snapshot, o as never);
}

const renderers: Record<string, (t: ReturnType<typeof buildTopology>) => string | Promise<string>> = {
  tree: (t) => renderTree(t),
  json: renderTopologyJson,
  mermaid: renderMermaid,
  dot: renderDot,
  svg: renderSvg,
  html: renderHtml,
};

for (const [format, render] of Object.entries(renderers)) {
  const samples: Array<{ discoverMs: number; buildMs: number; renderMs: number; cpuMs: number }> = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const exposures = discoverExposures(snapshot);
    const t1 = performance.now();
    const topology = buildTopology(snapshot, { exposures });
    const t2 = performance.now();
    bytes = (await render(topology)).length;
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    samples.push({ discoverMs: t1 - t0, buildMs: t2 - t1, renderMs: t3 - t2, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  const total = samples.map((s) => s.discoverMs + s.buildMs + s.renderMs).sort((a, b) => a - b);
  const median = (k: 'discoverMs' | 'buildMs' | 'renderMs' | 'cpuMs') =>
    samples.map((s) => s[k]).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  console.log(
    JSON.stringify({
      format,
      bytes,
      firstMs: samples[0]!.discoverMs + samples[0]!.buildMs + samples[0]!.renderMs,
      medianMs: total[Math.floor(total.length / 2)],
      cpuMs: median('cpuMs'),
      discoverMs: median('discoverMs'),
      buildMs: median('buildMs'),
      renderMs: median('renderMs'),
      heapMb: process.memoryUsage().heapUsed / 1e6,
      rssMb: process.memoryUsage().rss / 1e6,
    }),
  );
}
