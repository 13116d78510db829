// Secrets are never printed by the CLI: a TLS Secret read from files never shows its
// data in any command's -o json/yaml, and kubeconfig credentials never show in errors or
// DEBUG output (an exec plugin's message, a broken kubeconfig, a token user).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const TLS_KEY = 'PRIVATE-KEY-MATERIAL-never-printed';
const TLS_KEY_B64 = Buffer.from(TLS_KEY).toString('base64');
let dir = '';
let manifests = '';

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'exposectl-secrets-'));
  manifests = write(
    'app.yaml',
    `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Secret
metadata:
  name: web-tls
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"tls.key":"${TLS_KEY_B64}"}}'
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: ${TLS_KEY_B64}}
stringData: {extra: ${TLS_KEY}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  tls: [{hosts: [web.example.com], secretName: web-tls}]
  rules: [{host: web.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`,
  );
});

describe('Secret data from files', () => {
  it('is in no output of list, describe, topology, diagnose or expose', async () => {
    const runs = await Promise.all([
      runCli(['list', '-f', manifests, '-A', '-o', 'yaml']),
      runCli(['list', '-f', manifests, '-A', '-o', 'json']),
      runCli(['describe', 'shop/web', '-f', manifests, '-o', 'json']),
      runCli(['topology', 'shop/web', '-f', manifests, '-o', 'json']),
      runCli(['diagnose', '-f', manifests, '-A', '-o', 'json']),
      runCli([
        'expose',
        'shop/web',
        '-f',
        manifests,
        '--mode',
        'ingress',
        '--host',
        'web.example.com',
        '--tls-secret',
        'web-tls',
        '--dry-run=client',
        '-o',
        'yaml',
      ]),
    ]);
    for (const r of runs) {
      expect(r.stdout.length).toBeGreaterThan(0);
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(TLS_KEY);
        expect(text).not.toContain(TLS_KEY_B64);
      }
    }
    // The Ingress's TLS reference was read (the outputs are about the Secret's use, not empty).
    expect(runs[0]!.stdout).toMatch(/web\.example\.com/);
    expect(runs[5]!.stdout).toMatch(/secretName: web-tls/);
  }, 120_000);
});

describe('kubeconfig credentials', () => {
  it('never reach errors or DEBUG output', async () => {
    const execUser = write(
      'kc-exec',
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ["-c", "echo 'login failed, refresh-token: rt-SECRET-exec-123 rejected' >&2; exit 1"]
      interactiveMode: Never
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    const broken = write(
      'kc-broken',
      `apiVersion: v1
kind: Config
users:
- name: u
  user:
    token: tok-SECRET-broken-456
   bad: [indent
`,
    );
    const tokenUser = write(
      'kc-token',
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: tok-SECRET-token-789, client-key-data: a2V5LVNFQ1JFVC1rZXktMDAw}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    const cases: Array<[string, string, number, RegExp]> = [
      [execUser, 'rt-SECRET-exec-123', 1, /cannot get credentials for user "u".*refresh-token: REDACTED/],
      [broken, 'tok-SECRET-broken-456', 2, /is not valid YAML/],
      // A key without its certificate is refused before any request, as kubectl does (docs/reliability.md).
      [tokenUser, 'tok-SECRET-token-789', 2, /user "u" has a client key but no client-certificate\(-data\)/],
    ];
    const runs = await Promise.all(
      cases.map(([kubeconfig]) =>
        runCli(['list', '--kubeconfig', kubeconfig, '--request-timeout', '10s'], { env: { DEBUG: 'exposectl' } }),
      ),
    );
    for (const [i, [, secret, exitCode, message]] of cases.entries()) {
      const r = runs[i]!;
      expect(r.exitCode, r.stderr).toBe(exitCode);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^exposectl: /m); // DEBUG was on
      expect(r.stderr + r.stdout).not.toContain(secret);
      expect(r.stderr + r.stdout).not.toContain('a2V5LVNFQ1JFVC1rZXktMDAw');
    }
  }, 120_000);
});
