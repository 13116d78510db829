// The live --wait display on a terminal (Ink): one line per check, a tick for the ready ones.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { WaitView } from '../../../src/expose/progress-ink.js';

describe('WaitView', () => {
  it('shows how many checks hold and each check with its state', () => {
    const checks = [
      { what: 'service/web-lb address', ready: true, detail: '198.51.100.10' },
      { what: 'service/web-lb endpoints', ready: false, detail: '0/2 ready' },
    ];
    const { lastFrame, rerender } = render(<WaitView checks={checks} elapsedMs={3200} color={false} />);
    const lines = lastFrame()!.split('\n');
    expect(lines[0]).toBe('Waiting for the exposure to serve (1/2, 3s)');
    expect(lines[1]).toBe(' ✓ service/web-lb address: 198.51.100.10');
    expect(lines[2]).toMatch(/^ [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] service\/web-lb endpoints: 0\/2 ready$/);
    rerender(
      <WaitView
        checks={checks.map((c) => ({ ...c, ready: true, detail: c.ready ? c.detail : '2/2 ready' }))}
        elapsedMs={5000}
        color={false}
      />,
    );
    expect(lastFrame()).toContain('(2/2, 5s)');
    expect(lastFrame()).toContain(' ✓ service/web-lb endpoints: 2/2 ready');
  });
});
