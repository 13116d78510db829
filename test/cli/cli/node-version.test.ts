// Too old a Node.js: one line naming the version needed, exit 1, before anything that
// needs newer APIs is loaded. Runs bin/run.js under the machine's own Node.js 20.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect, test } from 'vitest';

const OLD_NODE = '/usr/bin/node';
const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));

test('an old Node.js gets one error line naming the version required', async () => {
  expect(existsSync(OLD_NODE), `${OLD_NODE} (the machine's Node.js 20) is missing`).toBe(true);
  const version = (await execa(OLD_NODE, ['--version'])).stdout.trim();
  expect(version).toMatch(/^v(1\d|20|21|22\.(1[0-8]|\d))\./);
  for (const args of [['list', '-f', 'examples'], ['--version'], ['diagnose', '--help']]) {
    const r = await execa(OLD_NODE, [BIN, ...args], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: exposectl needs Node.js 22.19.0 or newer (23.x is not supported); this is Node.js ${version}`,
    );
  }
});

test('package.json engines says the same minimum', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
  };
  expect(pkg.engines.node).toBe('^22.19.0 || >=24.0.0');
});
