// Colour is used only on a terminal, and never with --no-color or NO_COLOR.
export function colorEnabled(stream: NodeJS.WriteStream, noColorFlag: boolean, env = process.env): boolean {
  if (noColorFlag || (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '')) return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return Boolean(stream.isTTY);
}
