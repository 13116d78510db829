// Progress of `expose --wait`: plain lines on stderr when a check changes (pipes, CI),
// or a live Ink display on a terminal (loaded only then).
import type { ReadinessCheck } from './readiness.js';

export interface Progress {
  update(checks: readonly ReadinessCheck[], elapsedMs: number): void;
  /** Leaves the display showing the last state. */
  stop(): void;
}

/** One line per change: "waiting for service/web-lb address: <pending>", "ready: ...". */
export class LineProgress implements Progress {
  private readonly last = new Map<string, string>();

  constructor(private readonly write: (line: string) => void) {}

  update(checks: readonly ReadinessCheck[], elapsedMs: number): void {
    for (const c of checks) {
      const state = `${c.ready}|${c.detail}`;
      if (this.last.get(c.what) === state) continue;
      this.last.set(c.what, state);
      const at = `[${(elapsedMs / 1000).toFixed(1).padStart(5)}s]`;
      this.write(`${at} ${c.ready ? 'ready:  ' : 'waiting:'} ${c.what}: ${c.detail}`);
    }
  }

  stop(): void {}
}

export async function createProgress(tty: boolean, color: boolean): Promise<Progress> {
  if (!tty) return new LineProgress((line) => process.stderr.write(`${line}\n`));
  const { InkProgress } = await import('./progress-ink.js');
  return new InkProgress(color);
}
