// The built CLI with hostile kubeconfigs: credentials are what kubectl would send, a
// problem with them is exit 2 naming it and no request goes out; an exec plugin is
// killed when exposectl gives up on it; a password in the server URL is never printed.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type FakeApiServer, startFakeApiServer, writeKubeconfig } from '../helpers/fake-apiserver.js';

let api: FakeApiServer;
let dir: string;
beforeAll(async () => {
  api = await startFakeApiServer();
  dir = mkdtempSync(path.join(tmpdir(), 'exposectl-faults-cred-'));
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  api.clearFaults();
  api.requests.length = 0;
  api.collections.clear();
  api.collections.set('/api/v1/services', []);
});

const list = (kubeconfig: string, extra: string[] = []) => runCli(['list', '-A', '--kubeconfig', kubeconfig, ...extra]);

describe('credential problems are exit 2, and nothing is sent', () => {
  const cases: Array<{ name: string; kubeconfig: () => string; says: RegExp }> = [
    {
      name: 'an unreadable token file',
      kubeconfig: () => writeKubeconfig(api.url, { userEntry: { tokenFile: '/nonexistent/token' } }),
      says: /cannot read the token file "\/nonexistent\/token" of user "tester": ENOENT/,
    },
    {
      name: 'a context naming an undefined user',
      kubeconfig: () => writeKubeconfig(api.url, { defineUser: false }),
      says: /context "test" names user "tester", which is not defined in /,
    },
    {
      name: 'a missing CA file',
      kubeconfig: () =>
        writeKubeconfig(api.url.replace('http:', 'https:'), {
          cluster: { 'certificate-authority': '/nonexistent/ca.crt' },
        }),
      says: /cannot read the certificate-authority file "\/nonexistent\/ca.crt" of cluster "test-cluster": ENOENT/,
    },
    {
      name: 'a bad client key',
      kubeconfig: () =>
        writeKubeconfig(api.url, {
          userEntry: {
            'client-certificate-data': Buffer.from(
              readFileSync(path.resolve(__dirname, '../fixtures/kube/client.crt')),
            ).toString('base64'),
            'client-key-data': Buffer.from('not a key').toString('base64'),
          },
        }),
      says: /the client key of user "tester" is not a usable private key/,
    },
    {
      name: 'a server URL that is not http(s)',
      kubeconfig: () => writeKubeconfig(api.url.replace('http:', 'ftp:')),
      says: /the server URL "ftp:\/\/127\.0\.0\.1:\d+" of cluster "test-cluster" is not http\(s\)/,
    },
    {
      name: '--kubeconfig /dev/zero',
      kubeconfig: () => '/dev/zero',
      says: /cannot read the kubeconfig "\/dev\/zero": it is larger than 2 MiB, the limit for a kubeconfig/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await list(c.kubeconfig());
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(c.says);
      expect(api.requests).toEqual([]);
    });
  }
});

describe('what is sent', () => {
  it("tokenFile and token-file both send the file's token, as kubectl does", async () => {
    for (const key of ['tokenFile', 'token-file']) {
      const tokenFile = path.join(dir, `token-${key}`);
      writeFileSync(tokenFile, `token-of-${key}\n`);
      api.requests.length = 0;
      const r = await list(writeKubeconfig(api.url, { userEntry: { [key]: tokenFile } }));
      expect(r.exitCode, r.stderr).toBe(0);
      expect(api.requests.length).toBeGreaterThan(0);
      expect(new Set(api.requests.map((q) => q.headers.authorization))).toEqual(new Set([`Bearer token-of-${key}`]));
    }
  });

  it('a password in the server URL is sent as basic auth and never printed', async () => {
    api.fault('/api/v1/services', { type: 'html' });
    const r = await list(writeKubeconfig(api.url.replace('http://', 'http://admin:s3cret@'), { userEntry: {} }), [
      '-o',
      'json',
    ]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toContain('http://admin:xxxxx@127.0.0.1:');
    expect(`${r.stdout}${r.stderr}`).not.toContain('s3cret');
    expect(api.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
  });
});

describe('exec credential plugins', () => {
  function plugin(body: string): { kubeconfig: string; pidFile: string } {
    const pidFile = path.join(dir, `plugin-${Math.random().toString(36).slice(2)}.pid`);
    const script = path.join(dir, `plugin-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(script, `#!/bin/sh\necho $$ > ${pidFile}\n${body}\n`);
    chmodSync(script, 0o755);
    return {
      kubeconfig: writeKubeconfig(api.url, {
        userEntry: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: script } },
      }),
      pidFile,
    };
  }
  /** Running (a zombie waiting to be reaped is not). */
  const running = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] !== 'Z';
    } catch {
      return false;
    }
  };

  it('a plugin that hangs is killed when --request-timeout gives up', async () => {
    const { kubeconfig, pidFile } = plugin('exec sleep 300');
    const r = await list(kubeconfig, ['--request-timeout', '2s']);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/timed out after 2s/);
    expect(existsSync(pidFile)).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(running(pid)).toBe(false); // killed before the CLI exited, not orphaned
    expect(api.requests).toEqual([]);
  });

  it('a plugin that never stops writing is stopped at 1 MiB', async () => {
    const { kubeconfig } = plugin('exec yes');
    const r = await list(kubeconfig);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/cannot get credentials for user "tester".*wrote more than 1 MiB; it was stopped/);
    expect(api.requests).toEqual([]);
  });

  it("a working plugin's token is sent", async () => {
    const { kubeconfig } = plugin(
      `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}'`,
    );
    const r = await list(kubeconfig);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(api.requests[0]?.headers.authorization).toBe('Bearer from-plugin');
  });
});
