// The registry against the contract: every code of ../shared/design/product.md's table is
// in the catalogue with its severity, has an analyzer, a message and a fix; analyzer names
// are unique; skipping, scoping to a Service, --ignore.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CODES, codeInfo } from '../../../src/analyzers/codes.js';
import { ANALYZERS, parseIgnore, runAnalyzers } from '../../../src/analyzers/registry.js';
import { CHECKS, INPUTS } from '../../../src/analyzers/types.js';
import {
  clock,
  diagnose,
  factsOf,
  haproxyGateway,
  haproxyTcp,
  l2adv,
  lb,
  pairs,
  pool,
  service,
  snapshotOf,
} from './registry-helpers.js';

const PRODUCT = new URL('../../../../shared/design/product.md', import.meta.url);

function contractCodes(): Array<{ code: string; severity: string }> {
  const text = readFileSync(PRODUCT, 'utf8');
  const section = text.slice(text.indexOf('## Finding codes'));
  return [...section.matchAll(/^\| `([a-z0-9-]+\/[a-z0-9-]+)` \| (error|warning|info) \|/gm)].map((m) => ({
    code: m[1]!,
    severity: m[2]!,
  }));
}

describe('the codes catalogue and the contract', () => {
  // Codes the catalogue holds beyond the contract's table (issue #14: bad values are findings); named here so drift shows.
  const BEYOND_CONTRACT = [
    { code: 'input/invalid-value', severity: 'error' },
    { code: 'gateway/ref-not-permitted', severity: 'error' },
    { code: 'lb/no-eligible-announcer', severity: 'error' },
    { code: 'lb/annotation-ignored', severity: 'warning' },
    // Announced by the contract on 2026-12-07 (not in its table yet), and two more of issue #17's classes.
    { code: 'affinity/client-ip-hidden', severity: 'warning' },
    { code: 'affinity/bypassed-by-proxy', severity: 'warning' },
    { code: 'affinity/per-entry-node', severity: 'warning' },
    { code: 'affinity/annotation-ignored', severity: 'warning' },
    { code: 'affinity/proxy-sticks-to-service', severity: 'warning' },
  ];

  test('every code of the contract table is in the catalogue with its severity (the catalogue may hold more)', () => {
    const contract = contractCodes();
    expect(contract.length).toBeGreaterThanOrEqual(29);
    const catalogue = new Map<string, string>(CODES.map((c) => [c.code, c.severity]));
    expect(contract.filter((c) => catalogue.get(c.code) !== c.severity)).toEqual([]);
    for (const c of BEYOND_CONTRACT) expect(contract.map((x) => x.code)).not.toContain(c.code);
    expect(BEYOND_CONTRACT.map((c) => ({ severity: codeInfo(c.code).severity, code: c.code }))).toEqual(
      BEYOND_CONTRACT.map((c) => ({ severity: c.severity, code: c.code })),
    );
  });

  test('every code has an analyzer, a meaning and a fix; checks are the code prefixes', () => {
    for (const c of CODES) {
      expect(
        ANALYZERS.some((a) => a.codes.includes(c.code)),
        c.code,
      ).toBe(true);
      expect(c.meaning).toMatch(/^\S.{20,}\.$/);
      expect(c.fix.length).toBeGreaterThan(20);
      expect(c.code.startsWith(`${c.check}/`)).toBe(true);
      expect(CHECKS).toContain(c.check);
      expect(c.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    }
  });

  test('no two analyzers share a name; every analyzer code is catalogued; inputs are known', () => {
    const names = ANALYZERS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    for (const a of ANALYZERS) {
      expect(a.name).toMatch(/^[a-z0-9-]+$/);
      for (const code of a.codes) expect(() => codeInfo(code)).not.toThrow();
      for (const i of [...a.inputs, ...(a.optionalInputs ?? [])]) expect(INPUTS).toContain(i);
      expect(a.codes.every((c) => c.startsWith(`${a.check}/`))).toBe(true);
    }
  });

  test('probe-based codes are reported only by analyzers that need a probe input', () => {
    for (const c of CODES.filter((x) => x.probe)) {
      for (const a of ANALYZERS.filter((x) => x.codes.includes(c.code)))
        expect(a.inputs.some((i) => i !== 'snapshot')).toBe(true);
    }
  });
});

describe('runAnalyzers', () => {
  test('analyzers whose inputs are absent are skipped, with the missing inputs', () => {
    const r = runAnalyzers(factsOf(snapshotOf([])), clock);
    expect(r.skipped.map((s) => [s.analyzer, s.missing])).toEqual([
      ['arp-replies', ['arp']],
      ['bgp-routes', ['bgp']],
      ['source-ip-probe', ['sourceIpProbe']],
      ['reach-probe', ['reachProbe']],
    ]);
    expect(r.ran).toContain('lb-allocation');
    expect(r.findings).toEqual([]);
  });

  test('a check runs only its analyzers', () => {
    const r = runAnalyzers(
      factsOf(snapshotOf([service('web', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })])),
      clock,
      { check: 'nodeport' },
    );
    expect(r.ran).toEqual(['nodeport-range', 'nodeport-collision']);
    expect(pairs(r.findings)).toEqual([['nodeport/out-of-range', 'Service default/web']]);
  });

  test('--ignore: a code, a code for one object, a whole check', () => {
    const s = snapshotOf([
      lb('a', { externalTrafficPolicy: 'Cluster' }),
      lb('b', { externalTrafficPolicy: 'Cluster' }),
    ]);
    expect(pairs(diagnose(s, { check: 'source-ip' }))).toHaveLength(2);
    const one = parseIgnore('source-ip/etp-cluster=default/a');
    expect(one).toEqual({ code: 'source-ip/etp-cluster', namespace: 'default', name: 'a' });
    expect(pairs(diagnose(s, { check: 'source-ip', ignore: [one as never] }))).toEqual([
      ['source-ip/etp-cluster', 'Service default/b'],
    ]);
    expect(diagnose(s, { ignore: [parseIgnore('source-ip/etp-cluster') as never] })).toEqual([]);
    expect(diagnose(s, { ignore: [parseIgnore('source-ip/*') as never] })).toEqual([]);
    expect(typeof parseIgnore('Bad Code')).toBe('string');
    expect(typeof parseIgnore('lb/pending=a/b/c')).toBe('string');
    expect(parseIgnore('lb/pool-overlap=pool-b')).toEqual({ code: 'lb/pool-overlap', namespace: null, name: 'pool-b' });
  });

  test('with a SERVICE, only the objects on its path', () => {
    const objects = [
      service('web', { type: 'ClusterIP' }),
      lb('other', { externalTrafficPolicy: 'Cluster' }),
      ...haproxyGateway('gw', haproxyTcp('web.default.svc:80')),
      ...haproxyGateway('gw2', haproxyTcp('api.default.svc:80')),
      pool('p', ['198.51.100.0/28']),
      pool('q', ['198.51.100.8/29']),
      l2adv('l2'),
    ];
    const all = diagnose(snapshotOf(objects));
    expect(pairs(all).map((p) => p[1])).toEqual(
      expect.arrayContaining([
        'DaemonSet default/gw',
        'DaemonSet default/gw2',
        'Service default/other',
        'IPAddressPool metallb-system/q',
      ]),
    );
    expect(pairs(diagnose(snapshotOf(objects), { service: { namespace: 'default', name: 'web' } }))).toEqual([
      ['source-ip/proxy-protocol-missing', 'DaemonSet default/gw'],
    ]);
  });

  test('findings are sorted by namespace, kind, name, then severity', () => {
    const s = snapshotOf([
      lb('b', { externalTrafficPolicy: 'Cluster', ports: [{ port: 80, nodePort: 8 }] }),
      lb('a', { externalTrafficPolicy: 'Cluster' }),
    ]);
    expect(diagnose(s).map((f) => `${f.subject.name} ${f.severity}`)).toEqual(['a warning', 'b error', 'b warning']);
  });
});
