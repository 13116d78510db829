// The built CLI against a fake API server that misbehaves the way proxies and broken
// servers do (docs/reliability.md). Every fault must end in exit 1 with a message naming
// the URL and what came back, never in "No findings" or an empty list with exit 0.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type FakeApiServer, type Fault, startFakeApiServer, writeKubeconfig } from '../helpers/fake-apiserver.js';

let api: FakeApiServer;
let kubeconfig: string;

beforeAll(async () => {
  api = await startFakeApiServer();
  kubeconfig = writeKubeconfig(api.url, { namespace: 'shop' });
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  api.clearFaults();
  api.requests.length = 0;
  api.collections.clear();
  for (const p of [
    '/api/v1/services',
    '/api/v1/namespaces/shop/services',
    '/api/v1/nodes',
    '/api/v1/pods',
    '/api/v1/namespaces/shop/pods',
  ])
    api.collections.set(p, []);
});

/** Every command that reads the cluster, as a user runs it. */
const READERS: Array<{ name: string; args: string[] }> = [
  { name: 'diagnose -A --fail-on info', args: ['diagnose', '-A', '--fail-on', 'info'] },
  { name: 'list -A', args: ['list', '-A'] },
  { name: 'describe', args: ['describe', 'shop/web'] },
  { name: 'topology', args: ['topology', 'shop/web'] },
  { name: 'probe endpoints', args: ['probe', 'endpoints', 'shop/web'] },
  { name: 'expose (pre-flight)', args: ['expose', 'shop/web', '--mode', 'nodeport', '--dry-run=server'] },
  { name: 'unexpose', args: ['unexpose', 'shop/web', '--dry-run=server'] },
];

function run(args: string[]) {
  return runCli([...args, '--kubeconfig', kubeconfig, '--request-timeout', '10s'], { timeoutMs: 60_000 });
}

describe('a 200 that is not Kubernetes JSON is exit 1 naming the URL and what came back', () => {
  const faults: Array<{ name: string; fault: Fault; says: RegExp }> = [
    {
      name: 'an SSO login page (text/html)',
      fault: { type: 'html' },
      says: /it is text\/html, not JSON; it starts with "<!DOCTYPE html>/,
    },
    { name: 'a truncated JSON body', fault: { type: 'truncated' }, says: /the JSON is cut short or invalid/ },
    {
      name: 'a wrong content type',
      fault: { type: 'content-type', contentType: 'text/plain' },
      says: /it is text\/plain, not JSON/,
    },
    {
      name: 'JSON that is not a list',
      fault: { type: 'body', body: '{"ok":true}' },
      says: /the JSON is not a list \(no "items" array\)/,
    },
    { name: 'an empty body', fault: { type: 'body', body: '' }, says: /the body is empty/ },
  ];
  for (const { name, fault, says } of faults) {
    it(`${name}: diagnose -A --fail-on info fails, no "No findings"`, async () => {
      api.fault(/\/services$/, fault);
      const r = await run(['diagnose', '-A', '--fail-on', 'info']);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stdout).not.toMatch(/No findings/);
      expect(r.stderr).toMatch(says);
      expect(r.stderr).toContain(`${api.url}/api/v1/services`);
    });
  }

  for (const reader of READERS) {
    it(`${reader.name}: an HTML login page on every path is exit 1`, async () => {
      api.fault('*', { type: 'html' });
      const r = await run(reader.args);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/did not send Kubernetes JSON .*it is text\/html, not JSON/);
      expect(r.stderr).toContain(api.url);
      expect(api.requests.every((q) => q.method === 'GET' || q.method === 'POST')).toBe(true); // nothing was written
    });
  }

  it('a 404 that is a proxy\'s page, not the API server\'s Status, is an error, not "CRD absent"', async () => {
    api.fault(/^\/apis\/metallb\.io\//, {
      type: 'body',
      code: 404,
      body: '<html>Not here</html>',
      contentType: 'text/html',
    });
    const r = await run(['list', '-A']);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/not found: list ipaddresspools\.metallb\.io/);
    api.clearFaults(); // the same path answering the API server's 404 Status: absent, exit 0
    const absent = await run(['list', '-A']);
    expect(absent.exitCode, absent.stderr).toBe(0);
  });
});

describe('a server that never answers', () => {
  it('is given up on at --request-timeout, exit 1 naming the timeout', async () => {
    api.fault('/api/v1/services', { type: 'stall' });
    const started = Date.now();
    const r = await runCli([
      'diagnose',
      '-A',
      '--fail-on',
      'info',
      '--kubeconfig',
      kubeconfig,
      '--request-timeout',
      '2s',
    ]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/request to the API server at http:\/\/127\.0\.0\.1:\d+ timed out after 2s/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('pagination is bounded', () => {
  it('a continue token that repeats is exit 1 after two pages', async () => {
    api.fault('/api/v1/services', { type: 'repeat-continue' });
    const r = await run(['diagnose', '-A', '--fail-on', 'info']);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/sent the same continue token twice while listing services/);
    expect(api.requests.filter((q) => q.path === '/api/v1/services')).toHaveLength(2);
  });

  it('pages that never end stop at the page limit with exit 1', async () => {
    api.fault('/api/v1/services', { type: 'endless-pages', items: 0 });
    const r = await run(['list', '-A']);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/did not end after 10000 pages/);
  }, 120_000);
});

describe('memory is bounded', () => {
  it('an endless response body stops at the answer limit, exit 1, with the CLI under 512 MB of heap', async () => {
    api.fault('/api/v1/services', { type: 'endless-body' });
    const r = await runCli(['list', '-A', '--kubeconfig', kubeconfig], {
      timeoutMs: 90_000,
      env: { NODE_OPTIONS: '--max-old-space-size=512' },
    });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/sent too much .*larger than 64 MiB, the limit for one answer/);
    // Asked again in smaller pages (500, 50, 5, 1) before giving up.
    expect(api.requests.filter((q) => q.path === '/api/v1/services').map((q) => q.query.get('limit'))).toEqual([
      '500',
      '50',
      '5',
      '1',
    ]);
  }, 120_000);
});
