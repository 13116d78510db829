// The built CLI, `probe reach` on explicit loopback targets with no kubeconfig at all: the
// document on stdout, exit codes (0 whatever it found, 3 with --fail-on, 2 for a bad target).
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../helpers/cli.js';
import { schemaErrors } from '../../../helpers/schema.js';

let server: http.Server;
let port: number;
let closed: number;
const env = { KUBECONFIG: '/nonexistent/kubeconfig', HOME: '/nonexistent' };

beforeAll(async () => {
  server = http.createServer((_q, s) => s.end('{"pod":"web-1"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
  const other = http.createServer();
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  closed = (other.address() as net.AddressInfo).port;
  await new Promise<void>((r) => other.close(() => r()));
});
afterAll(() => server.close());

describe('probe reach (built CLI, no cluster)', () => {
  it('explicit targets need no kubeconfig: exit 0, a ReachProbe document valid against its schema', async () => {
    const r = await runCli(['probe', 'reach', `http://127.0.0.1:${port}/`, `127.0.0.1:${closed}`, '-o', 'json'], {
      env,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(schemaErrors('reach-probe.schema.json', doc)).toEqual([]);
    expect(doc.results.map((x: { outcomes: object; pods: object }) => [x.outcomes, x.pods])).toEqual([
      [{ connected: 1 }, { 'web-1': 1 }],
      [{ refused: 1 }, {}],
    ]);
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(['reach/refused']);
  });

  it('--fail-on error: exit 3 on a refused target', async () => {
    const r = await runCli(['probe', 'reach', `127.0.0.1:${closed}`, '--fail-on', 'error'], { env });
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^ERROR reach\/refused: /m);
  });

  it('a bad target or flag: exit 2, one error line, nothing tried', async () => {
    const r = await runCli(['probe', 'reach', '192.0.2.11'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: 192\.0\.2\.11: expected ADDRESS:PORT/m);
    expect(r.stdout).toBe('');
    const c = await runCli(['probe', 'reach', `127.0.0.1:${port}`, '--count', '0'], { env });
    expect(c.exitCode).toBe(2);
    const n = await runCli(['probe', 'reach'], { env });
    expect(n.exitCode).toBe(2);
    expect(n.stderr).toMatch(/^error: give a SERVICE, or targets/m);
  });
});
