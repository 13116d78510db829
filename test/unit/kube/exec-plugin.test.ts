// Exec credential plugins can be given up on: killed, and their output limited.
import { expect, test } from 'vitest';
import { execPlugins } from '../../../src/kube/exec-plugin.js';

test('killAll kills a plugin still running', async () => {
  const plugins = execPlugins();
  const child = plugins.spawn('sleep', ['300'], {});
  const closed = new Promise<NodeJS.Signals | null>((r) => child.on('close', (_code, signal) => r(signal)));
  plugins.killAll();
  expect(await closed).toBe('SIGKILL');
});

test('a plugin that cannot start is an error event, then close', async () => {
  const child = execPlugins().spawn('/nonexistent/plugin', [], {});
  const error = new Promise<Error>((r) => child.on('error', r));
  const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  expect((await error).message).toMatch(/ENOENT/);
  expect(await closed).toBe(null);
});

test('a plugin writing more than the limit is stopped with an error', async () => {
  const plugins = execPlugins(4096);
  const child = plugins.spawn('yes', [], {});
  child.stdout.setEncoding('utf8'); // as client-node reads it
  child.stdout.on('data', () => undefined);
  const error = new Promise<Error>((r) => child.on('error', r));
  const closed = new Promise<NodeJS.Signals | null>((r) => child.on('close', (_code, signal) => r(signal)));
  expect((await error).message).toBe('the exec credential plugin "yes" wrote more than 4 KiB; it was stopped');
  expect(await closed).toBe('SIGKILL');
});
