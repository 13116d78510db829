// Secrets and credentials against the real API server: TLS verification is on unless the
// kubeconfig turns it off (then one warning per run), a bearer token never shows in
// DEBUG output, and the data of a TLS Secret never reaches any output.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type CliResult, runCli } from '../helpers/cli.js';
import { kubectl, testCluster, useNamespace } from './helpers.js';
import { adminCluster, serviceAccountKubeconfig, writeKubeconfig } from './identity.js';

const TEST_TIMEOUT_MS = 300_000;
const ns = useNamespace('security');
const TLS_KEY = 'exposectl-test-private-key-material';
const TLS_KEY_B64 = Buffer.from(TLS_KEY).toString('base64');

function cli(args: string[], kubeconfig: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env: { KUBECONFIG: kubeconfig, ...env }, timeoutMs: 240_000 });
}

/** The admin's user entry (client certificate), for kubeconfigs that differ only in the cluster entry. */
function adminUser(): { name: string; user: Record<string, unknown> } {
  return (
    parse(readFileSync(testCluster().kubeconfig, 'utf8')) as {
      users: Array<{ name: string; user: Record<string, unknown> }>;
    }
  ).users[0]!;
}

beforeAll(async () => {
  await kubectl(['apply', '-n', ns.name, '-f', '-'], {
    input: `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Secret
metadata: {name: web-tls}
type: kubernetes.io/tls
data: {tls.crt: ${Buffer.from('not-a-real-cert').toString('base64')}, tls.key: ${TLS_KEY_B64}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  tls: [{hosts: [web.example.com], secretName: web-tls}]
  rules: [{host: web.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: ${ns.name}-nginx}
spec: {controller: k8s.io/ingress-nginx}
`,
  });
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  if (ns.name) await kubectl(['delete', 'ingressclass', `${ns.name}-nginx`, '--ignore-not-found']);
});

describe('TLS verification', () => {
  it(
    'is on by default: a kubeconfig without the CA fails naming TLS, the normal one works without a warning',
    async () => {
      const { 'certificate-authority-data': _ca, ...noCa } = adminCluster().cluster;
      const withoutCa = writeKubeconfig({ name: 'exposectl-test', cluster: noCa }, adminUser(), ns.name);
      const [refused, normal] = await Promise.all([
        cli(['list'], withoutCa),
        cli(['list'], testCluster().kubeconfig, {}),
      ]);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toMatch(/cannot verify the TLS connection to the API server at https:/);
      expect(normal.exitCode, normal.stderr).toBe(0);
      expect(normal.stderr).not.toMatch(/TLS verification is off/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'is off only when the kubeconfig says insecure-skip-tls-verify, with one warning per run',
    async () => {
      const { 'certificate-authority-data': _ca, ...noCa } = adminCluster().cluster;
      const insecure = writeKubeconfig(
        { name: 'exposectl-test', cluster: { ...noCa, 'insecure-skip-tls-verify': true } },
        adminUser(),
        ns.name,
      );
      const list = await cli(['list', '-n', ns.name], insecure);
      expect(list.exitCode, list.stderr).toBe(0);
      const warnings = (s: string) =>
        s.split('\n').filter((l) => l.startsWith('Warning: TLS verification is off for cluster "exposectl-test"'));
      expect(warnings(list.stderr)).toHaveLength(1);
      expect(list.stderr).toMatch(/insecure-skip-tls-verify is set in the kubeconfig/);
      // expose connects twice (the Service, then the cluster read): still one warning.
      const expose = await cli(['expose', 'web', '-n', ns.name, '--mode', 'nodeport', '--dry-run=server'], insecure);
      expect(expose.exitCode, expose.stderr).toBe(0);
      expect(warnings(expose.stderr)).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('credentials and Secret data', () => {
  it(
    'a bearer token never appears in DEBUG output',
    async () => {
      const kubeconfig = await serviceAccountKubeconfig(ns.name, 'debugger');
      await kubectl([
        'create',
        'rolebinding',
        'debugger-view',
        '--clusterrole=view',
        `--serviceaccount=${ns.name}:debugger`,
        '-n',
        ns.name,
      ]);
      const token = String(
        (parse(readFileSync(kubeconfig, 'utf8')) as { users: Array<{ user: { token: string } }> }).users[0]!.user.token,
      );
      expect(token.length).toBeGreaterThan(100);
      for (const debug of ['exposectl', '*']) {
        const r = await cli(['list', '-n', ns.name], kubeconfig, { DEBUG: debug });
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stderr).toMatch(/exposectl: kube: GET \/api\/v1\/namespaces\/[^/]+\/services/);
        // Neither the token nor any long piece of it (its payload or signature).
        for (const part of [token, ...token.split('.')]) expect(r.stderr).not.toContain(part);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the data of a TLS Secret is never printed, in any output format',
    async () => {
      const admin = testCluster().kubeconfig;
      const runs = await Promise.all([
        cli(['list', '-n', ns.name, '-o', 'yaml'], admin, { DEBUG: 'exposectl' }),
        cli(['list', '-n', ns.name, '-o', 'json'], admin),
        cli(['describe', 'web', '-n', ns.name, '-o', 'json'], admin),
        cli(['topology', 'web', '-n', ns.name, '-o', 'json'], admin),
        cli(['diagnose', '-n', ns.name, '-o', 'json'], admin),
        cli(
          [
            'expose',
            'web',
            '-n',
            ns.name,
            '--mode',
            'ingress',
            '--host',
            'shop.example.com',
            '--ingress-class',
            `${ns.name}-nginx`,
            '--tls-secret',
            'web-tls',
            '--dry-run=server',
            '-o',
            'yaml',
          ],
          admin,
        ),
      ]);
      for (const r of runs) {
        expect(r.stdout.length + r.stderr.length).toBeGreaterThan(0);
        for (const text of [r.stdout, r.stderr]) {
          expect(text).not.toContain(TLS_KEY);
          expect(text).not.toContain(TLS_KEY_B64);
        }
      }
      for (const r of runs.filter((_, i) => i !== 4)) expect(r.exitCode, r.stderr).toBe(0);
      expect([0, 3]).toContain(runs[4]!.exitCode); // diagnose: findings are not failures here
      // expose found the Secret (the admin may list Secrets, metadata only) and references it.
      expect(runs[5]!.stdout).toMatch(/secretName: web-tls/);
      expect(runs[5]!.stderr).not.toMatch(/web-tls does not exist/);
    },
    TEST_TIMEOUT_MS,
  );
});
