import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../../src/cli/color.js';
import { parseDuration } from '../../../src/util/duration.js';
import { UsageError } from '../../../src/util/errors.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['5', 5_000],
    ['0.5', 500],
    ['1.5s', 1_500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, 'timeout')).toBe(ms);
  });

  it.each(['', 'abc', '10x', '5s garbage', '-1s'])('rejects %j with a usage error naming the flag', (text) => {
    expect(() => parseDuration(text, 'timeout')).toThrowError(UsageError);
    expect(() => parseDuration(text, 'timeout')).toThrowError(/--timeout/);
  });
});

describe('colorEnabled', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  it('colours a terminal only', () => {
    expect(colorEnabled(tty, false, {})).toBe(true);
    expect(colorEnabled(pipe, false, {})).toBe(false);
  });
  it('honours --no-color and NO_COLOR', () => {
    expect(colorEnabled(tty, true, {})).toBe(false);
    expect(colorEnabled(tty, false, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(tty, false, { NO_COLOR: '' })).toBe(true);
  });
  it('honours FORCE_COLOR in pipes', () => {
    expect(colorEnabled(pipe, false, { FORCE_COLOR: '1' })).toBe(true);
  });
});
