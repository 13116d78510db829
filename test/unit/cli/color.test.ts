// chalk's default instances (Ink paints with them) get their colour levels from the process
// that runs, not from the one that imported chalk: the single executable imports it on the
// build machine, while its start-up snapshot is made (scripts/package/sea-main.ts).
import chalk, { chalkStderr } from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import { detectChalkLevels } from '../../../src/cli/color.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;
const saved = [chalk.level, chalkStderr.level] as const;
afterEach(() => {
  [chalk.level, chalkStderr.level] = saved;
});

describe('detectChalkLevels', () => {
  it('colours each stream that is a terminal, at the depth TERM and COLORTERM say', () => {
    detectChalkLevels({ TERM: 'xterm-256color' }, tty, pipe);
    expect([chalk.level, chalkStderr.level]).toEqual([2, 0]);
    detectChalkLevels({ COLORTERM: 'truecolor' }, pipe, tty);
    expect([chalk.level, chalkStderr.level]).toEqual([0, 3]);
    detectChalkLevels({ TERM: 'xterm' }, tty, tty);
    expect([chalk.level, chalkStderr.level]).toEqual([1, 1]);
  });

  it('turns colour off with NO_COLOR, also on a terminal, whatever the levels were before', () => {
    detectChalkLevels({ COLORTERM: 'truecolor' }, tty, tty);
    detectChalkLevels({ NO_COLOR: '1', COLORTERM: 'truecolor' }, tty, tty);
    expect([chalk.level, chalkStderr.level]).toEqual([0, 0]);
    expect(chalk.red('x')).toBe('x');
  });

  it('colours pipes with FORCE_COLOR, at the level it names', () => {
    detectChalkLevels({ FORCE_COLOR: '1' }, pipe, pipe);
    expect([chalk.level, chalkStderr.level]).toEqual([1, 1]);
    detectChalkLevels({ FORCE_COLOR: '3' }, pipe, pipe);
    expect(chalk.level).toBe(3);
    expect(chalk.red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
