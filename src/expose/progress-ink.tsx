// The live progress display of `expose --wait` on a terminal (Ink). Never loaded in pipes.
import { Box, type Instance, render, Text } from 'ink';
import type { Progress } from './progress.js';
import type { ReadinessCheck } from './readiness.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function WaitView({
  checks,
  elapsedMs,
  color,
}: {
  checks: readonly ReadinessCheck[];
  elapsedMs: number;
  color: boolean;
}) {
  const frame = FRAMES[Math.floor(elapsedMs / 100) % FRAMES.length];
  const done = checks.filter((c) => c.ready).length;
  return (
    <Box flexDirection="column">
      <Text>
        Waiting for the exposure to serve ({done}/{checks.length}, {(elapsedMs / 1000).toFixed(0)}s)
      </Text>
      {checks.map((c) => (
        <Text key={c.what}>
          {' '}
          {c.ready ? (
            <Text color={color ? 'green' : undefined}>✓</Text>
          ) : (
            <Text color={color ? 'yellow' : undefined}>{frame}</Text>
          )}{' '}
          {c.what}: <Text dimColor={color}>{c.detail}</Text>
        </Text>
      ))}
    </Box>
  );
}

export class InkProgress implements Progress {
  private instance: Instance | undefined;

  constructor(private readonly color: boolean) {}

  update(checks: readonly ReadinessCheck[], elapsedMs: number): void {
    const view = <WaitView checks={checks} elapsedMs={elapsedMs} color={this.color} />;
    if (this.instance) this.instance.rerender(view);
    else this.instance = render(view, { stdout: process.stderr, patchConsole: false });
  }

  stop(): void {
    this.instance?.unmount();
  }
}
