import { WriteStream } from 'node:tty';
import chalk, { type ColorSupportLevel, chalkStderr } from 'chalk';

// Colour is used only on a terminal, and never with --no-color or NO_COLOR.
export function colorEnabled(stream: NodeJS.WriteStream, noColorFlag: boolean, env = process.env): boolean {
  if (noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/**
 * Sets the colour levels of chalk's default instances (the ones Ink paints with) from this
 * process's terminal and environment. chalk detects them when it is first imported; the
 * single executable imports it while its start-up snapshot is built, on the build machine.
 */
export function detectChalkLevels(
  env = process.env,
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): void {
  chalk.level = colorLevel(stdout, env);
  chalkStderr.level = colorLevel(stderr, env);
}

/** chalk's level (0 none, 1 basic, 2 256 colours, 3 true colour) for a stream: Node's reading of FORCE_COLOR, TERM, COLORTERM, CI... */
function colorLevel(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): ColorSupportLevel {
  if (!colorEnabled(stream, false, env)) return 0;
  const depth = WriteStream.prototype.getColorDepth(env);
  return depth >= 24 ? 3 : depth >= 8 ? 2 : 1;
}
