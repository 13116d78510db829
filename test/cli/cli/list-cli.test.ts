// The built CLI, run as a user runs it: exit codes, errors and the list contract on files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, runCli } from '../../helpers/cli.js';
import { closedPort } from '../../helpers/net.js';
import { schemaErrors } from '../../helpers/schema.js';

const tmp = mkdtempSync(join(tmpdir(), 'exposectl-cli-'));

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('exposectl list -f', () => {
  it('lists the bundled demo as a kubectl-style table', async () => {
    const { stdout, stderr, exitCode } = await runCli(['list', '-f', 'examples/demo']);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+MODE\s+ADDRESSES\s+PORTS\s+ENDPOINTS\s+SOURCE-IP\s+STATUS$/);
    expect(stdout).toMatch(/shop\s+service\/web\s+l2\s+198\.51\.100\.10\s+80:31080\/TCP\s+2\/2\s+preserved\s+ready/);
    expect(stdout).toMatch(/shop\s+service\/api\s+bgp\s+203\.0\.113\.1\s+443:31443\/TCP\s+2\/3\s+lost\s+degraded/);
    expect(stdout).toMatch(/monitoring\s+service\/metrics\s+nodeport\s+/);
    expect(stdout).toMatch(/shop\s+ingress\/admin\s+ingress\s+198\.51\.100\.11/);
    expect(stdout).toMatch(/shop\s+gateway\/public\s+gateway\s+198\.51\.100\.12/);
    expect(stdout).toMatch(/shop\s+httproute\/storefront\s+gateway\s+198\.51\.100\.12/);
    expect(stdout).toMatch(/edge\s+daemonset\/edge-haproxy\s+hostnetwork\s+192\.0\.2\.11,192\.0\.2\.12/);
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it('-o wide adds implementation and service', async () => {
    const { stdout, exitCode } = await runCli(['list', '-f', 'examples/demo', '-o', 'wide']);
    expect(exitCode).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/STATUS\s+STICKY\s+IMPLEMENTATION\s+SERVICE\s+DNS-NAMES\s+REASON$/);
    expect(stdout).toMatch(/service\/web\s.*\smetallb\s+shop\/web/);
    expect(stdout).toMatch(/ingress\/admin\s.*\singress-nginx\s+shop\/web/);
  });

  it('-n keeps one namespace of the files and --mode one mode', async () => {
    const ns = await runCli(['list', '-f', 'examples/demo', '-n', 'monitoring', '-o', 'json']);
    expect(ns.exitCode).toBe(0);
    const items = (JSON.parse(ns.stdout) as { items: Array<{ namespace: string | null }> }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.namespace === 'monitoring' || i.namespace === null)).toBe(true);
    const bgp = await runCli(['list', '-f', 'examples/demo', '--mode', 'bgp', '-o', 'json']);
    expect((JSON.parse(bgp.stdout) as { items: Array<{ name: string }> }).items.map((i) => i.name)).toEqual(['api']);
  });

  it('reads stdin with -f -', async () => {
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30001}]}\n';
    const { stdout, exitCode } = await runCli(['list', '-f', '-', '-o', 'json'], { input: svc });
    expect(exitCode).toBe(0);
    const list = JSON.parse(stdout) as { items: Array<{ name: string; mode: string; namespace: string }> };
    expect(list.items).toMatchObject([{ name: 'np', mode: 'nodeport', namespace: 'default' }]);
  });

  it('prints a schema-valid ExposureList for the whole shared corpus, -o yaml too', async () => {
    const { stdout, stderr, exitCode } = await runCli(['list', '-f', CORPUS, '-o', 'json']);
    // The corpus gathers projects that reuse names (default/my-service...): each object read twice is warned about.
    expect(
      stderr
        .split('\n')
        .filter(
          (l) => !/^Warning: .* is defined (twice|\d+ times): in .*:\d+ and in .*:\d+; the first is used$/.test(l),
        ),
    ).toEqual([]);
    expect(exitCode).toBe(0);
    const list = JSON.parse(stdout) as { items: unknown[] };
    expect(schemaErrors('exposure-list.schema.json', list)).toEqual([]);
    expect(list.items.length).toBeGreaterThan(40);
    const yaml = await runCli(['list', '-f', CORPUS, '-o', 'yaml']);
    expect(yaml.exitCode).toBe(0);
    expect(yaml.stdout).toMatch(/^apiVersion: exposectl.dev\/v1alpha1\nkind: ExposureList\nitems:\n/);
  });

  it('says so on stderr when nothing is exposed, and exits 0', async () => {
    const path = file('empty.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const { stdout, stderr, exitCode } = await runCli(['list', '-f', path]);
    expect(exitCode).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/No exposures found/);
  });
});

describe('bad input exits 2 with one clear line', () => {
  it.each([
    [['list', '--bogus'], /Nonexistent flag: --bogus/],
    [
      ['list', '-o', 'xml', '-f', 'examples/demo'],
      /unknown output format "xml": use table, wide, json, yaml, name, jsonpath=TEMPLATE, custom-columns=SPEC/,
    ],
    [['list', '-o', 'jsonpath={.items', '-f', 'examples/demo'], /invalid -o jsonpath: unclosed action/],
    [['list', '-o', 'custom-columns=NAME', '-f', 'examples/demo'], /expected <header>:<json-path-expr>/],
    [
      ['list', '-l', 'app in ()', '-f', 'examples/demo'],
      /invalid -l\/--selector "app in \(\)": for 'in', 'notin' operators, values set can't be empty/,
    ],
    [['list', '--sort-by', '{a}{b}', '-f', 'examples/demo'], /invalid --sort-by: unexpected path string/],
    [['list', '-w', '-f', 'examples/demo'], /--watch needs a cluster/],
    [['list', '--mode', 'magic', '-f', 'examples/demo'], /Expected --mode=magic to be one of/],
    [['list', '-n', 'a', '-A', '-f', 'examples/demo'], /--namespace and --all-namespaces cannot be used together/],
    [['list', '-f', '/nonexistent/file.yaml'], /\/nonexistent\/file\.yaml/],
    [['no-such-command'], /^error: unknown command "no-such-command" for "exposectl"$/m],
  ])('%j', async (args, message) => {
    const { stdout, stderr, exitCode } = await runCli(args);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('malformed YAML names the file and line', async () => {
    const path = file('bad.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n');
    const { stderr, exitCode } = await runCli(['list', '-f', path]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`${path}:`);
    expect(stderr).toMatch(/bad\.yaml:\d+/);
  });
});

describe('cluster errors exit 1 with one clear line', () => {
  it('an unreachable API server is named, with a hint, within the request timeout', async () => {
    const port = await closedPort();
    const kubeconfig = file('unreachable.kubeconfig', kubeconfigFor(`https://127.0.0.1:${port}`));
    const started = Date.now();
    const { stdout, stderr, exitCode } = await runCli(['list', '--kubeconfig', kubeconfig, '--request-timeout', '3s']);
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`https://127.0.0.1:${port}`);
    expect(stderr).toMatch(/hint:/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a server that never answers times out after --request-timeout', async () => {
    const server = createServer(() => {
      /* accept and stay silent */
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const kubeconfig = file('silent.kubeconfig', kubeconfigFor(`https://127.0.0.1:${port}`));
      const started = Date.now();
      const { stderr, exitCode } = await runCli(['list', '--kubeconfig', kubeconfig, '--request-timeout', '2s']);
      expect(exitCode).toBe(1);
      expect(stderr).toMatch(/time(d)? ?out/i);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      server.close();
    }
  });

  it('no kubeconfig at all is a usage error that says how to point at a cluster', async () => {
    const { stderr, exitCode } = await runCli(['list'], {
      env: { KUBECONFIG: join(tmp, 'missing-config'), HOME: tmp },
    });
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/kubeconfig/i);
  });
});

function kubeconfigFor(server: string): string {
  return `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: ctx, context: { cluster: c, user: u, namespace: default } }]
current-context: ctx
`;
}
