// How `npm run audit` reads npm audit's JSON: the report shapes npm 10/11 print.
import { describe, expect, it } from 'vitest';
import { auditVerdict } from '../../../scripts/audit/verdict.ts';

const counts = (high: number, critical: number, moderate = 0) => ({
  info: 0,
  low: 0,
  moderate,
  high,
  critical,
  total: high + critical + moderate,
});

describe('auditVerdict', () => {
  it('passes a clean report and one with only moderate advisories', () => {
    expect(
      auditVerdict(
        JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: counts(0, 0) } }),
      ),
    ).toEqual({ kind: 'pass', counts: counts(0, 0) });
    const moderate = {
      auditReportVersion: 2,
      vulnerabilities: {
        'js-yaml': { name: 'js-yaml', severity: 'moderate', via: [{ title: 'prototype pollution in merge (<<)' }] },
      },
      metadata: { vulnerabilities: counts(0, 0, 1) },
    };
    expect(auditVerdict(JSON.stringify(moderate)).kind).toBe('pass');
  });

  it('fails on high or critical, naming package, severity and advisory', () => {
    const report = {
      auditReportVersion: 2,
      vulnerabilities: {
        'jsonpath-plus': {
          name: 'jsonpath-plus',
          severity: 'critical',
          via: [{ title: 'Remote Code Execution', url: 'https://github.com/advisories/GHSA-pppg-cpfq-h7wr' }],
        },
        '@kubernetes/client-node': { name: '@kubernetes/client-node', severity: 'critical', via: ['jsonpath-plus'] },
      },
      metadata: { vulnerabilities: counts(0, 2) },
    };
    expect(auditVerdict(JSON.stringify(report))).toEqual({
      kind: 'fail',
      counts: counts(0, 2),
      packages: [
        {
          name: 'jsonpath-plus',
          severity: 'critical',
          advisories: ['Remote Code Execution (https://github.com/advisories/GHSA-pppg-cpfq-h7wr)'],
        },
        { name: '@kubernetes/client-node', severity: 'critical', advisories: ['via jsonpath-plus'] },
      ],
    });
  });

  it('is unknown, not passed, when the endpoint could not be asked (what this machine gets: 405 on the bulk POST)', () => {
    const refused = {
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    };
    expect(auditVerdict(JSON.stringify(refused))).toEqual({
      kind: 'unknown',
      reason:
        'the advisory endpoint could not be asked: 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
    });
    expect(
      auditVerdict(
        JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND registry.npmjs.org' } }),
      ).kind,
    ).toBe('unknown');
    expect(auditVerdict('').kind).toBe('unknown');
  });
});
