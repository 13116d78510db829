// Shared by the benchmarks: run a command N times and report median wall time and
// peak memory (maximum resident set size, from GNU time's %M).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measurement {
  label: string;
  medianMs: number;
  peakRssMb: number;
}

const GNU_TIME = '/usr/bin/time';

export function measure(label: string, command: string, args: string[], runs: number, env: NodeJS.ProcessEnv = process.env): Measurement {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install the Debian package "time"`);
  const dir = mkdtempSync(join(tmpdir(), 'exposectl-bench-'));
  const times: number[] = [];
  let peakKb = 0;
  try {
    for (let i = 0; i < runs + 1; i++) {
      const rssFile = join(dir, 'rss');
      const start = process.hrtime.bigint();
      const result = spawnSync(GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${label}: ${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
      if (i === 0) continue; // warm-up run: file system cache, compile cache
      times.push(elapsed);
      peakKb = Math.max(peakKb, Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { label, medianMs: times[Math.floor(times.length / 2)]!, peakRssMb: peakKb / 1024 };
}

export function formatRow(m: Measurement, baseline?: Measurement): string {
  const ratio = baseline ? `  ${(m.medianMs / baseline.medianMs).toFixed(2)}x ${baseline.label}` : '';
  return `${m.label.padEnd(44)} ${m.medianMs.toFixed(1).padStart(8)} ms  ${m.peakRssMb.toFixed(1).padStart(7)} MB peak${ratio}`;
}
