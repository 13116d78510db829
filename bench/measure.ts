// Shared by the benchmarks: run commands N times each and report median wall time, median
// CPU time (user + system) and peak memory (maximum resident set size), from GNU time.
// measureAll interleaves the commands (one run of each per round), so that a change in the
// machine's load during the benchmark weighs on all of them alike; ratios are against the
// first command (the baseline, kubectl).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measurement {
  label: string;
  medianMs: number;
  /** user + system CPU time, median */
  cpuMs: number;
  peakRssMb: number;
}

export interface Command {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

const GNU_TIME = '/usr/bin/time';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs every command `runs` times (after one warm-up run each: file system cache, compile cache), interleaved. */
export function measureAll(commands: Command[], runs: number): Measurement[] {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install the Debian package "time"`);
  const dir = mkdtempSync(join(tmpdir(), 'exposectl-bench-'));
  const samples = commands.map(() => ({ wall: [] as number[], cpu: [] as number[], peakKb: 0 }));
  try {
    for (let i = 0; i < runs + 1; i++) {
      commands.forEach(({ label, command, args, env }, c) => {
        const out = join(dir, 'time');
        const start = process.hrtime.bigint();
        const result = spawnSync(GNU_TIME, ['-f', '%M %U %S', '-o', out, command, ...args], {
          env: env ?? process.env,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        if (result.status !== 0)
          throw new Error(`${label}: ${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
        if (i === 0) return; // warm-up run
        const [rssKb, user, system] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        const s = samples[c]!;
        s.wall.push(elapsed);
        s.cpu.push((user! + system!) * 1000);
        s.peakKb = Math.max(s.peakKb, rssKb!);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return commands.map(({ label }, c) => ({
    label,
    medianMs: median(samples[c]!.wall),
    cpuMs: median(samples[c]!.cpu),
    peakRssMb: samples[c]!.peakKb / 1024,
  }));
}

export function measure(
  label: string,
  command: string,
  args: string[],
  runs: number,
  env: NodeJS.ProcessEnv = process.env,
): Measurement {
  return measureAll([{ label, command, args, env }], runs)[0]!;
}

/** One table row: wall time, CPU time and peak memory, each also as a ratio to the baseline. */
export function formatRow(m: Measurement, baseline?: Measurement): string {
  const ratio = (value: number, base: number | undefined) =>
    base === undefined ? '' : ` (${(value / base).toFixed(2)}x)`;
  return `| ${m.label} | ${m.medianMs.toFixed(1)} ms${ratio(m.medianMs, baseline?.medianMs)} | ${m.cpuMs.toFixed(0)} ms${ratio(m.cpuMs, baseline?.cpuMs)} | ${m.peakRssMb.toFixed(1)} MB${ratio(m.peakRssMb, baseline?.peakRssMb)} |`;
}

/** The header of formatRow's table (Markdown, as bench/README.md records it). */
export const TABLE_HEADER =
  '| command | median wall | median CPU (user+sys) | peak RSS |\n| --- | ---: | ---: | ---: |';

/** The machine's load averages (1, 5, 15 min): wall times on a shared machine mean little without them. */
export function loadAverages(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}
