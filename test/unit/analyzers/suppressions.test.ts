// Silencing in the manifest: the exposectl.dev/ignore annotation on a finding's subject moves the
// finding to `suppressed` with the reason (never drops it); codes, whole checks, cluster-scoped
// subjects; unknown codes are reported with the closest one. And --ignore refuses unknown codes.
import { describe, expect, test } from 'vitest';
import { parseIgnore, runAnalyzers } from '../../../src/analyzers/registry.js';
import { applyIgnoreAnnotations } from '../../../src/analyzers/suppressions.js';
import type { Finding } from '../../../src/model/finding.js';
import { clock, factsOf, l2adv, lb, pool, snapshotOf } from './registry-helpers.js';

const annotated = (value: string) => ({ annotations: { 'exposectl.dev/ignore': value } });

describe('the exposectl.dev/ignore annotation', () => {
  test('silences the named code on that object only; the finding is kept as suppressed, with the reason', () => {
    const a = {
      ...lb('a', { externalTrafficPolicy: 'Cluster' }),
      metadata: { name: 'a', namespace: 'default', ...annotated('source-ip/etp-cluster') },
    };
    const b = lb('b', { externalTrafficPolicy: 'Cluster' });
    const r = runAnalyzers(factsOf(snapshotOf([a, b])), clock, { check: 'source-ip' });
    expect(r.findings.map((f) => f.subject.name)).toEqual(['b']);
    expect(r.suppressed).toHaveLength(1);
    expect(r.suppressed[0]).toMatchObject({
      code: 'source-ip/etp-cluster',
      subject: { kind: 'Service', namespace: 'default', name: 'a' },
      suppression: {
        kind: 'inSource',
        justification: 'annotation exposectl.dev/ignore: "source-ip/etp-cluster" on Service default/a',
      },
    });
    expect(r.suppressionProblems).toEqual([]);
  });

  test('a list of codes and a whole check (CHECK/*); another code on the object is still reported', () => {
    const svc = {
      ...lb('web', { externalTrafficPolicy: 'Cluster', loadBalancerIP: '203.0.113.5' }),
      metadata: { name: 'web', namespace: 'default', ...annotated(' lb/no-pool , source-ip/* ') },
    };
    const r = runAnalyzers(factsOf(snapshotOf([pool('p', ['198.51.100.0/28']), l2adv('l2'), svc])), clock);
    expect(r.suppressed.map((f) => f.code)).toEqual(['source-ip/etp-cluster']);
    expect(r.findings.map((f) => f.code)).toEqual(['lb/ip-not-in-pool']);
  });

  test('cluster-scoped subjects (Cilium pools) are matched without a namespace', () => {
    const pools = [
      {
        apiVersion: 'cilium.io/v2alpha1',
        kind: 'CiliumLoadBalancerIPPool',
        metadata: { name: 'blue', ...annotated('lb/pool-overlap') },
        spec: { blocks: [{ cidr: '198.51.100.0/28' }] },
      },
      {
        apiVersion: 'cilium.io/v2alpha1',
        kind: 'CiliumLoadBalancerIPPool',
        metadata: { name: 'green', ...annotated('lb/pool-overlap') },
        spec: { blocks: [{ cidr: '198.51.100.0/29' }] },
      },
    ];
    const r = runAnalyzers(factsOf(snapshotOf(pools as never)), clock, { check: 'lb' });
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((f) => [f.code, f.subject.namespace, f.subject.name])).toEqual([
      ['lb/pool-overlap', null, expect.stringMatching(/blue|green/)],
    ]);
  });

  test('an unknown code silences nothing and is reported with the closest known one', () => {
    const svc = {
      ...lb('a', { externalTrafficPolicy: 'Cluster' }),
      metadata: { name: 'a', namespace: 'shop', ...annotated('source-ip/etp-clustr,nope/*') },
    };
    const snapshot = snapshotOf([svc]);
    const f: Finding = {
      code: 'source-ip/etp-cluster',
      severity: 'warning',
      check: 'source-ip',
      subject: { kind: 'Service', namespace: 'shop', name: 'a' },
      message: 'm',
      fix: 'f',
    };
    const r = applyIgnoreAnnotations([f], snapshot);
    expect(r.findings).toEqual([f]);
    expect(r.suppressed).toEqual([]);
    expect(r.problems).toEqual([
      'Service shop/a: annotation exposectl.dev/ignore names unknown code "source-ip/etp-clustr" (did you mean source-ip/etp-cluster?); it silences nothing',
      'Service shop/a: annotation exposectl.dev/ignore names unknown check "nope/*"; it silences nothing',
    ]);
  });
});

describe('--ignore refuses codes the catalogue does not know', () => {
  test('a misspelt code names the closest one; an unknown check too', () => {
    expect(parseIgnore('lb/pool-overlapp')).toBe(
      '--ignore "lb/pool-overlapp": unknown code lb/pool-overlapp; did you mean lb/pool-overlap? (exposectl codes lists every code)',
    );
    expect(parseIgnore('source_ip/etp-cluster=shop/web')).toMatch(/expected CODE/);
    expect(parseIgnore('lbb/*')).toBe('--ignore "lbb/*": unknown check lbb (exposectl codes lists every code)');
    expect(parseIgnore('zzz/qqq')).toBe('--ignore "zzz/qqq": unknown code zzz/qqq (exposectl codes lists every code)');
    expect(parseIgnore('lb/*')).toEqual({ code: 'lb/*' });
    expect(parseIgnore('lb/pool-overlap=metallb-system/a')).toEqual({
      code: 'lb/pool-overlap',
      namespace: 'metallb-system',
      name: 'a',
    });
  });
});
