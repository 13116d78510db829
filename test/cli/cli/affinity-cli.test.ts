// The built CLI (npm run build first) on examples/sticky: `diagnose affinity SERVICE` in
// text and JSON, `list -o wide` STICKY and `list -o json` sticky, `describe`'s Affinity lines.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { schemaErrors } from '../../helpers/schema.js';

const FILES = ['-f', 'examples/sticky'];

describe('exposectl diagnose affinity SERVICE', { timeout: 90_000 }, () => {
  it('text: the findings, then every way with its hops and where it breaks', async () => {
    const r = await runCli(['diagnose', 'affinity', 'shop/cart', ...FILES]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Service shop/cart\n  warning affinity/bypassed-by-proxy\n');
    expect(r.stdout).toContain('  warning affinity/per-entry-node\n');
    expect(r.stdout).toContain(
      '2 findings: 2 warnings\n\nStickiness on the ways to Service shop/cart:\n  NodePort 30180 on 3 nodes: BROKEN\n',
    );
    expect(r.stdout).toContain(
      '    -> Service shop/cart (kube-proxy): sessionAffinity: ClientIP (timeout 10800s); passed by: the proxy sends to the endpoints\n',
    );
    expect(r.stdout).toContain(
      '    breaks (affinity/bypassed-by-proxy): Service shop/cart has sessionAffinity: ClientIP',
    );
    // Warnings pass the default --fail-on error; --fail-on warning fails the run.
    expect((await runCli(['diagnose', 'affinity', 'shop/cart', ...FILES, '--fail-on', 'warning'])).exitCode).toBe(3);
  });

  it('-o json: the findings and the ways in the affinity field, valid against the schema', async () => {
    const r = await runCli(['diagnose', 'affinity', 'shop/cart', ...FILES, '-o', 'json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      findings: Array<{ code: string }>;
      affinity: {
        service: unknown;
        ways: Array<{ via: { kind: string }; sticky: string; hops: Array<{ key: string; picksPod: boolean }> }>;
      };
    };
    expect(schemaErrors('diagnosis-report.schema.json', report)).toEqual([]);
    expect(report.findings.map((f) => f.code)).toEqual(['affinity/bypassed-by-proxy', 'affinity/per-entry-node']);
    expect(report.affinity.service).toEqual({ namespace: 'shop', name: 'cart' });
    expect(report.affinity.ways.map((w) => [w.via.kind, w.sticky, w.hops.find((h) => h.picksPod)?.key])).toEqual([
      ['Service', 'broken', 'client-ip'],
      ['Ingress', 'broken', 'none'],
    ]);
  });

  it('a healthy way: cookie, no findings; other checks keep their JSON without the affinity field', async () => {
    const r = await runCli(['diagnose', 'affinity', 'shop/checkout', ...FILES, '-o', 'json']);
    const report = JSON.parse(r.stdout) as { findings: unknown[]; affinity: { ways: Array<{ sticky: string }> } };
    expect(report.findings).toEqual([]);
    expect(report.affinity.ways.map((w) => w.sticky)).toEqual(['cookie']);
    const other = JSON.parse(
      (await runCli(['diagnose', 'source-ip', 'shop/cart', ...FILES, '-o', 'json'])).stdout,
    ) as Record<string, unknown>;
    expect(other).not.toHaveProperty('affinity');
  });
});

describe('exposectl list and describe show stickiness', { timeout: 90_000 }, () => {
  it('list -o wide: the STICKY column', async () => {
    const r = await runCli(['list', ...FILES, '-o', 'wide']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^shop\s+ingress\/cart\s+ingress\s.*\sunknown\s+broken\s+ingress-nginx\s+shop\/cart\s/m);
    expect(r.stdout).toMatch(/^shop\s+service\/cart\s+nodeport\s.*\sbroken\s+<unknown>\s+shop\/cart\s/m);
    expect(r.stdout).toMatch(/^shop\s+ingress\/checkout\s+ingress\s.*\scookie\s+ingress-nginx\s+shop\/checkout\s/m);
  });

  it('list -o json: the sticky field, valid against the ExposureList schema', async () => {
    const r = await runCli(['list', ...FILES, '-o', 'json']);
    const list = JSON.parse(r.stdout) as { items: Array<{ name: string; kind: string; sticky: string }> };
    expect(schemaErrors('exposure-list.schema.json', list)).toEqual([]);
    expect(list.items.map((i) => `${i.kind}/${i.name} ${i.sticky}`)).toEqual([
      'Ingress/cart broken',
      'Service/cart broken',
      'Ingress/checkout cookie',
    ]);
  });

  it('describe: one Affinity line per exposure', async () => {
    const r = await runCli(['describe', 'shop/cart', ...FILES]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Affinity:\n  service/cart: broken, affinity/per-entry-node (exposectl diagnose affinity shop/cart)\n  ingress/cart: broken, affinity/bypassed-by-proxy (exposectl diagnose affinity shop/cart)\n',
    );
    const ok = await runCli(['describe', 'shop/checkout', ...FILES]);
    expect(ok.stdout).toContain(
      'Affinity:\n  ingress/checkout: cookie, nginx.ingress.kubernetes.io/affinity: cookie (cookie checkout-session, mode persistent) at ingress-nginx (Ingress shop/checkout)\n',
    );
  });
});
