// Credentials are what kubectl would send (client-go's rules), checked before any
// request: problems are UsageErrors naming them, never an anonymous request instead.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { prepareConnection } from '../../../src/kube/credentials.js';
import { resolveKubeconfig } from '../../../src/kube/kubeconfig.js';
import { parseServerUrl, redactUrl } from '../../../src/kube/server-url.js';
import { UsageError } from '../../../src/util/errors.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/kube');
const pem = (f: string) => readFileSync(path.join(FIXTURES, f), 'utf8');
const b64 = (f: string) => Buffer.from(pem(f)).toString('base64');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'exposectl-cred-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A kubeconfig with one cluster (extra fields) and one user entry; returns the prepared connection's user and cluster. */
function prepare(
  user: Record<string, unknown> | undefined,
  cluster: Record<string, unknown> = {},
  server = 'https://k.example:6443',
) {
  const file = path.join(dir, `config-${n++}`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'ctx',
      clusters: [{ name: 'c', cluster: { server, ...cluster } }],
      users: user ? [{ name: 'u', user }] : [],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    }),
  );
  const { resolved, url } = prepareConnection(resolveKubeconfig({ kubeconfig: file }));
  return {
    user: resolved.config!.users.find((u) => u.name === 'u')?.user ?? {},
    cluster: resolved.config!.clusters.find((c) => c.name === 'c')?.cluster ?? {},
    url,
  };
}

function usageError(f: () => unknown): UsageError {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('tokens (client-go: token wins, else tokenFile, trimmed, must not be empty)', () => {
  test('tokenFile and token-file are both read, relative to the kubeconfig, trimmed', () => {
    writeFileSync(path.join(dir, 'token-a'), 'from-tokenFile\n');
    writeFileSync(path.join(dir, 'token-b'), '  from-token-file  ');
    expect(prepare({ tokenFile: 'token-a' }).user).toEqual({ token: 'from-tokenFile' });
    expect(prepare({ 'token-file': 'token-b' }).user).toEqual({ token: 'from-token-file' });
  });

  test('an inline token wins; its tokenFile is then not even read', () => {
    expect(prepare({ token: 'inline', tokenFile: '/nonexistent/token' }).user).toEqual({ token: 'inline' });
  });

  test('a token means the exec plugin never runs', () => {
    writeFileSync(path.join(dir, 'token-c'), 't');
    expect(
      prepare({ tokenFile: 'token-c', exec: { command: 'get-token', apiVersion: 'client.authentication.k8s.io/v1' } })
        .user,
    ).toEqual({ token: 't' });
  });

  test('a missing, unreadable, empty or endless token file is a UsageError naming file and user', () => {
    expect(usageError(() => prepare({ tokenFile: '/nonexistent/token' })).message).toMatch(
      /^cannot read the token file "\/nonexistent\/token" of user "u": ENOENT/,
    );
    writeFileSync(path.join(dir, 'empty'), ' \n');
    expect(usageError(() => prepare({ tokenFile: 'empty' })).message).toBe(
      `the token file "${path.join(dir, 'empty')}" of user "u" is empty`,
    );
    expect(usageError(() => prepare({ tokenFile: '/dev/zero' })).message).toMatch(
      /"\/dev\/zero" of user "u": it is larger than 1 MiB/,
    );
    expect(usageError(() => prepare({ tokenFile: dir })).message).toMatch(/EISDIR/);
    if (process.getuid?.() !== 0) {
      // root reads everything
      writeFileSync(path.join(dir, 'secret'), 't');
      chmodSync(path.join(dir, 'secret'), 0);
      expect(usageError(() => prepare({ tokenFile: 'secret' })).message).toMatch(/EACCES/);
    }
  });
});

describe('users, CA, client certificates', () => {
  test('a context naming an undefined user is a UsageError (kubectl: user was not found for context)', () => {
    expect(usageError(() => prepare(undefined)).message).toMatch(
      /^context "ctx" names user "u", which is not defined in /,
    );
  });

  test('a missing or non-PEM certificate-authority file is a UsageError naming cluster and file', () => {
    expect(usageError(() => prepare({ token: 't' }, { 'certificate-authority': 'missing-ca.crt' })).message).toBe(
      `cannot read the certificate-authority file "${path.join(dir, 'missing-ca.crt')}" of cluster "c": ENOENT: no such file or directory, open '${path.join(dir, 'missing-ca.crt')}'`,
    );
    writeFileSync(path.join(dir, 'bad-ca.crt'), 'not a certificate');
    expect(usageError(() => prepare({ token: 't' }, { 'certificate-authority': 'bad-ca.crt' })).message).toMatch(
      /^the certificate-authority of cluster "c" is not a PEM certificate/,
    );
  });

  test('CA and client certificate files are read and inlined (client-node reads nothing more)', () => {
    writeFileSync(path.join(dir, 'ca.crt'), pem('ca.crt'));
    writeFileSync(path.join(dir, 'client.crt'), pem('client.crt'));
    writeFileSync(path.join(dir, 'client.key'), pem('client.key'));
    const { user, cluster } = prepare(
      { 'client-certificate': 'client.crt', 'client-key': 'client.key' },
      { 'certificate-authority': 'ca.crt' },
    );
    expect(cluster['certificate-authority-data']).toBe(b64('ca.crt'));
    expect(cluster['certificate-authority']).toBeUndefined();
    expect(user).toEqual({ 'client-certificate-data': b64('client.crt'), 'client-key-data': b64('client.key') });
  });

  test('a bad client key, a key of another certificate, a certificate without key: UsageErrors', () => {
    expect(
      usageError(() =>
        prepare({
          'client-certificate-data': b64('client.crt'),
          'client-key-data': Buffer.from('garbage').toString('base64'),
        }),
      ).message,
    ).toMatch(/^the client key of user "u" is not a usable private key/);
    expect(
      usageError(() => prepare({ 'client-certificate-data': b64('client.crt'), 'client-key-data': b64('server.key') }))
        .message,
    ).toBe('the client key of user "u" does not belong to its client certificate');
    expect(usageError(() => prepare({ 'client-certificate-data': b64('client.crt') })).message).toBe(
      'user "u" has a client certificate but no client-key(-data)',
    );
    expect(usageError(() => prepare({ 'client-key-data': b64('client.key') })).message).toBe(
      'user "u" has a client key but no client-certificate(-data)',
    );
  });
});

describe('server URL', () => {
  test('only http(s); anything else is a UsageError', () => {
    expect(usageError(() => prepare({ token: 't' }, {}, 'ftp://k.example')).message).toBe(
      'the server URL "ftp://k.example" of cluster "c" is not http(s)',
    );
    expect(usageError(() => prepare({ token: 't' }, {}, 'k.example:6443')).message).toMatch(
      /is not http\(s\)|is not a URL/,
    );
    expect(usageError(() => prepare({ token: 't' }, {}, 'https://')).message).toBe(
      'the server URL "https://" of cluster "c" is not a URL',
    );
  });

  test('a password in the URL is sent as basic auth but shown as xxxxx', () => {
    const { url } = prepare({}, {}, 'https://admin:s3cret@k.example:6443/');
    expect(url).toEqual({
      base: 'https://k.example:6443',
      display: 'https://admin:xxxxx@k.example:6443',
      basicAuth: { username: 'admin', password: 's3cret' },
    });
    expect(parseServerUrl('http://127.0.0.1:8001', 'c')).toEqual({
      base: 'http://127.0.0.1:8001',
      display: 'http://127.0.0.1:8001',
      basicAuth: undefined,
    });
    expect(usageError(() => prepare({}, {}, 'ftp://admin:s3cret@k.example')).message).not.toContain('s3cret');
  });

  test('redactUrl', () => {
    expect(redactUrl('https://a:b@h/x')).toBe('https://a:xxxxx@h/x');
    expect(redactUrl('https://h:6443')).toBe('https://h:6443');
    expect(redactUrl('not a url //a:b@h')).toBe('not a url //a:xxxxx@h');
  });

  test('resolveKubeconfig gives the redacted server for messages', () => {
    const file = path.join(dir, 'pw-config');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'x',
        clusters: [{ name: 'c', cluster: { server: 'https://admin:s3cret@k.example' } }],
        users: [],
        contexts: [{ name: 'x', context: { cluster: 'c' } }],
      }),
    );
    expect(resolveKubeconfig({ kubeconfig: file }).server).toBe('https://admin:xxxxx@k.example/');
  });
});

describe('kubeconfig size', () => {
  test('--kubeconfig /dev/zero is a UsageError naming the limit, not gigabytes of memory', () => {
    expect(usageError(() => resolveKubeconfig({ kubeconfig: '/dev/zero' })).message).toBe(
      'cannot read the kubeconfig "/dev/zero": it is larger than 2 MiB, the limit for a kubeconfig',
    );
  });
});
