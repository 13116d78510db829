// `exposectl codes` through the built CLI: the list (text, JSON, YAML), one check, one code
// explained, and an unknown code (exit 2, the closest known code as the hint).
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CODES } from '../../../src/analyzers/codes.js';
import { runCli } from '../../helpers/cli.js';
import { schemaErrors } from '../../helpers/schema.js';

describe('exposectl codes', () => {
  it('lists every code with severity, check and title', async () => {
    const r = await runCli(['codes']);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CODE\s+SEVERITY\s+CHECK\s+TITLE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(CODES.map((c) => c.code));
    expect(r.stdout).toMatch(/^lb\/no-pool\s+error\s+lb\s+no address pool can serve the Service$/m);
    expect(r.stdout).toMatch(/^arp\/no-reply\s+error\s+arp\s+nobody answers ARP for the address \(--probe\)$/m);
  });

  it('-o json and -o yaml give the CodeList document, valid against its schema', async () => {
    const json = JSON.parse((await runCli(['codes', '-o', 'json'])).stdout) as {
      kind: string;
      items: Array<{ code: string; helpUri: string }>;
    };
    expect(json.kind).toBe('CodeList');
    expect(json.items.map((i) => i.code)).toEqual(CODES.map((c) => c.code));
    expect(json.items[0]!.helpUri).toMatch(
      /^https:\/\/github\.com\/exposectl\/exposectl\/blob\/main\/docs\/codes\.md#source-ip-etp-cluster$/,
    );
    expect(schemaErrors('code-list.schema.json', json)).toEqual([]);
    expect(parse((await runCli(['codes', '-o', 'yaml'])).stdout)).toEqual(json);
  });

  it('a check lists its codes only', async () => {
    const json = JSON.parse((await runCli(['codes', 'bgp/*', '-o', 'json'])).stdout) as {
      items: Array<{ code: string }>;
    };
    expect(json.items.map((i) => i.code)).toEqual([
      'bgp/session-down',
      'bgp/not-advertised',
      'bgp/nexthop-without-endpoints',
      'bgp/peer-not-established',
    ]);
  });

  it('CODE explains one: meaning, usual causes, fix, example', async () => {
    const r = await runCli(['codes', 'lb/no-pool']);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const heading of ['Meaning', 'Usual causes', 'Fix', 'Example'])
      expect(r.stdout).toMatch(new RegExp(`^${heading}$`, 'm'));
    expect(r.stdout).toMatch(/^lb\/no-pool \(error, check lb\)$/m);
    expect(r.stdout).toContain('autoAssign: false');
    expect(r.stdout).toContain('$ exposectl diagnose -f example.yaml');
    expect(r.stdout).toContain('More: https://github.com/exposectl/exposectl/blob/main/docs/codes.md#lb-no-pool');
    const json = JSON.parse((await runCli(['codes', 'lb/no-pool', '-o', 'json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ kind: 'CodeExplanation', code: 'lb/no-pool', severity: 'error', check: 'lb' });
    expect(schemaErrors('code-explanation.schema.json', json)).toEqual([]);
  });

  it('an unknown CODE exits 2 with the closest known code', async () => {
    const r = await runCli(['codes', 'lb/pool-overlapp']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd()).toBe(
      'error: unknown code lb/pool-overlapp\nhint: did you mean lb/pool-overlap? (exposectl codes lb/pool-overlap)',
    );
    const far = await runCli(['codes', 'completely-unrelated']);
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toContain('hint: exposectl codes lists every code');
  });
});
