// The built CLI: `topology` and `describe` on files, their formats, the not-found and
// bad-argument exits, and every exposure of the shared corpus in svg and html.
import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import { readManifests } from '../../../src/sources/files.js';
import { CORPUS, runCli } from '../../helpers/cli.js';
import { schemaErrors } from '../../helpers/schema.js';

const ESC = /\u001b\[/;

describe('exposectl topology -f', () => {
  it('prints the tree by default, plain in a pipe, within 100 columns', async () => {
    const { stdout, stderr, exitCode } = await runCli(['topology', 'shop/web', '-f', 'examples/demo']);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^client\n├─ 80\/TCP → address 198\.51\.100\.10 ready \(l2\)/);
    expect(stdout).toContain('pod web-7d9f-1 ready');
    expect(stdout).not.toMatch(ESC);
    for (const line of stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
  });

  it('NAME with -n is NAMESPACE/NAME', async () => {
    const a = await runCli(['topology', 'web', '-n', 'shop', '-f', 'examples/demo', '-o', 'json']);
    const b = await runCli(['topology', 'shop/web', '-f', 'examples/demo', '-o', 'json']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(schemaErrors('topology.schema.json', JSON.parse(a.stdout))).toEqual([]);
  });

  it.each(['mermaid', 'dot', 'svg', 'html'])('-o %s', async (format) => {
    const { stdout, exitCode } = await runCli(['topology', 'shop/api', '-f', 'examples/demo', '-o', format], {
      timeoutMs: 120_000,
    });
    expect(exitCode).toBe(0);
    expect(stdout).toContain('shop/api');
    expect(stdout).not.toMatch(ESC);
  });

  it('renders every exposure of the shared corpus as svg and html', async () => {
    const snapshot = await readManifests([CORPUS], { defaultNamespace: 'default' });
    const names = discoverExposures(snapshot).map((e) => `${e.namespace ? `${e.namespace}/` : ''}${e.name}`);
    expect(names.length).toBeGreaterThan(40);
    for (const format of ['svg', 'html']) {
      const { stdout, stderr, exitCode } = await runCli(['topology', '-f', CORPUS, '-o', format], {
        timeoutMs: 180_000,
      });
      expect(stderr).toBe('');
      expect(exitCode).toBe(0);
      const text = stdout
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'");
      expect(names.filter((n) => !text.includes(n))).toEqual([]);
    }
  }, 400_000);

  it("an unknown Service exits 1 with kubectl's NotFound message", async () => {
    const { stdout, stderr, exitCode } = await runCli(['topology', 'shop/nope', '-f', 'examples/demo']);
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: services "nope" not found in namespace "shop" of the input files\nhint: /);
  });

  it.each([
    [['topology', 'a/b/c', '-f', 'examples/demo'], /invalid SERVICE "a\/b\/c"/],
    [['topology', 'Bad_Name', '-f', 'examples/demo'], /invalid SERVICE "Bad_Name"/],
    [['topology', 'shop/web', '-n', 'other', '-f', 'examples/demo'], /names namespace shop but --namespace is other/],
    [['topology', '-o', 'png', '-f', 'examples/demo'], /Expected --output=png to be one of: tree, mermaid, dot, svg/],
    [['describe', '-f', 'examples/demo'], /Missing 1 required arg/],
  ])('%j exits 2', async (args, message) => {
    const { stderr, exitCode } = await runCli(args);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('-n keeps one namespace of the files', async () => {
    const { stdout, exitCode } = await runCli(['topology', '-n', 'monitoring', '-f', 'examples/demo', '-o', 'json']);
    expect(exitCode).toBe(0);
    const services = (JSON.parse(stdout) as { nodes: Array<{ kind: string; id: string }> }).nodes
      .filter((n) => n.kind === 'service')
      .map((n) => n.id);
    expect(services).toEqual(['service:monitoring/metrics']);
  });
});

describe('exposectl describe -f', () => {
  it('describes shop/web kubectl-style: exposures, announcer, gateways, endpoints per node, findings', async () => {
    const { stdout, stderr, exitCode } = await runCli(['describe', 'shop/web', '-f', 'examples/demo']);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^Name: {21}web\nNamespace: {16}shop\nType: {21}LoadBalancer\n/);
    expect(stdout).toMatch(/External Traffic Policy: {2}Local \(client source IP kept\)/);
    expect(stdout).toMatch(/service\/web\s+l2\s+metallb\s+198\.51\.100\.10\s+80:31080\/TCP\s+preserved\s+ready/);
    expect(stdout).toMatch(/ingress\/admin\s+ingress\s+ingress-nginx/);
    expect(stdout).toMatch(
      /Announcer:\n {2}198\.51\.100\.10 {2}answered \(ARP\/NDP\) by <unknown>: one elected among node-1, node-2/,
    );
    expect(stdout).toMatch(
      /Gateways:\n {2}Ingress shop\/admin \(ingress-nginx\) {2}ready\n {4}admin\.shop\.example\/ -> :80\n {2}HTTPRoute shop\/storefront \(cilium\) {2}ready\n {4}via Gateway shop\/public \(cilium\)/,
    );
    expect(stdout).toMatch(
      /Endpoints: {16}2\/2 ready\n {2}node-1 {2}\(1\/1 ready\)\n {4}web-7d9f-1 {2}10\.244\.1\.5 {2}ready/,
    );
    expect(stdout).toMatch(/Findings:\n {2}info {2}ingress\/retired-controller/);
    expect(stdout).not.toMatch(ESC);
  });

  it('says where the source IP is lost and which endpoint is not ready', async () => {
    const { stdout, exitCode } = await runCli(['describe', 'api', '-n', 'shop', '-f', 'examples/demo']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/Source IP:\n {2}lost at next hop node-1 -> Service shop\/api: SNAT on the node/);
    expect(stdout).toMatch(/node-3 {2}\(0\/1 ready\)\n {4}10\.244\.3\.9 {2}NOT READY/);
    expect(stdout).toMatch(/warning {2}source-ip\/etp-cluster/);
  });

  it('-o json is the ServiceDescription document', async () => {
    const { stdout, exitCode } = await runCli(['describe', 'shop/api', '-f', 'examples/demo', '-o', 'json']);
    expect(exitCode).toBe(0);
    const d = JSON.parse(stdout) as Record<string, unknown>;
    expect(d).toMatchObject({
      kind: 'ServiceDescription',
      service: { namespace: 'shop', name: 'api' },
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Cluster',
      endpoints: { ready: 2, total: 3 },
    });
    expect((d.hops as unknown[]).length).toBe(3);
    expect((d.findings as Array<{ code: string }>).map((f) => f.code)).toContain('source-ip/etp-cluster');
  });

  it('an unknown Service exits 1', async () => {
    const { stderr, exitCode } = await runCli(['describe', 'missing', '-f', 'examples/demo']);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/services "missing" not found in namespace "default"/);
  });
});
