// SARIF output validated against the real SARIF 2.1.0 JSON Schema (OASIS, final rtm.5,
// test/fixtures/sarif/ from the npm package @microsoft/jest-sarif, see its README).

import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { REPOSITORY_URL, sarifRules } from '../../../src/analyzers/catalogue/index.js';
import { CODES } from '../../../src/analyzers/codes.js';
import type { Finding } from '../../../src/model/finding.js';
import { fileUri, toSarif } from '../../../src/render/sarif.js';

/** The schema is draft-04 (`id`); Ajv 8 reads it as draft-07 once the top-level keywords are renamed (it uses no draft-04-only keyword). */
function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(new URL('../../fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const text = JSON.stringify(schema);
  expect(text).not.toMatch(/"exclusive(Minimum|Maximum)":\s*(true|false)/);
  schema.$id = schema.id;
  delete schema.id;
  schema.$schema = 'http://json-schema.org/draft-07/schema#';
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv.compile(schema);
}

const findings: Finding[] = [
  {
    code: 'lb/no-pool',
    severity: 'error',
    check: 'lb',
    subject: { kind: 'Service', namespace: 'shop', name: 'web' },
    message: 'No pool.',
    fix: 'Add one.',
  },
  {
    code: 'lb/pool-overlap',
    severity: 'warning',
    check: 'lb',
    subject: { kind: 'CiliumLoadBalancerIPPool', namespace: null, name: 'blue' },
    message: 'Overlap.',
    fix: 'Split.',
  },
  {
    code: 'ingress/retired-controller',
    severity: 'info',
    check: 'ingress',
    subject: { kind: 'Ingress', namespace: 'shop', name: 'web' },
    message: 'Retired.',
    fix: 'Move.',
  },
];
const origins: Record<string, { file: string; line: number }> = {
  'Service|shop|web': { file: 'deploy/app svc.yaml', line: 12 },
  'Ingress|shop|web': { file: '/abs/path/ingress.yaml', line: 1 },
};
const locate = (s: Finding['subject']) => origins[`${s.kind}|${s.namespace ?? ''}|${s.name}`];

describe('SARIF 2.1.0', () => {
  const validate = sarifValidator();

  test('the log validates against the SARIF 2.1.0 schema, with and without findings', () => {
    for (const list of [findings, []]) {
      const log = toSarif(list, { toolVersion: '0.1.0', locate, codes: sarifRules(), informationUri: REPOSITORY_URL });
      const ok = validate(JSON.parse(JSON.stringify(log)));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  test('the schema validator rejects a broken log (it really validates)', () => {
    const log = JSON.parse(
      JSON.stringify(
        toSarif(findings, { toolVersion: '0.1.0', locate, codes: sarifRules(), informationUri: REPOSITORY_URL }),
      ),
    ) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  test('rules come from the catalogue; results carry ruleId, level, message, file/line and the subject', () => {
    const log = toSarif(findings, {
      toolVersion: '0.1.0',
      locate,
      codes: sarifRules(),
      informationUri: REPOSITORY_URL,
    });
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(CODES.map((c) => c.code));
    expect(run.tool.driver.rules.find((r) => r.id === 'lb/no-pool')?.defaultConfiguration.level).toBe('error');
    const [a, b, c] = run.results;
    expect(a).toMatchObject({
      ruleId: 'lb/no-pool',
      level: 'error',
      ruleIndex: CODES.findIndex((x) => x.code === 'lb/no-pool'),
    });
    expect(a!.message.text).toBe('No pool.\nFix: Add one.');
    expect(a!.locations[0]).toEqual({
      logicalLocations: [{ name: 'web', fullyQualifiedName: 'Service/shop/web', kind: 'resource' }],
      physicalLocation: { artifactLocation: { uri: 'deploy/app%20svc.yaml' }, region: { startLine: 12 } },
    });
    expect(b!.level).toBe('warning');
    expect(b!.locations[0]).toEqual({
      logicalLocations: [{ name: 'blue', fullyQualifiedName: 'CiliumLoadBalancerIPPool/blue', kind: 'resource' }],
    });
    expect(c!.level).toBe('note');
    expect(
      (c!.locations[0] as { physicalLocation: { artifactLocation: { uri: string } } }).physicalLocation.artifactLocation
        .uri,
    ).toBe('file:///abs/path/ingress.yaml');
  });

  test('every rule links its section of docs/codes.md (helpUri), and that anchor exists in the page', () => {
    const doc = readFileSync(new URL('../../../docs/codes.md', import.meta.url), 'utf8');
    const rules = toSarif([], { toolVersion: '0.1.0', codes: sarifRules(), informationUri: REPOSITORY_URL }).runs[0]!
      .tool.driver.rules;
    expect(rules).toHaveLength(CODES.length);
    for (const r of rules) {
      expect(r.helpUri).toBe(
        `https://github.com/exposectl/exposectl/blob/main/docs/codes.md#${r.id.replace('/', '-')}`,
      );
      expect(doc).toContain(`<a id="${String(r.helpUri).split('#')[1]}"></a>`);
    }
  });

  test('findings silenced in the manifest are results with an inSource suppression, and the log stays valid', () => {
    const suppressed = [
      {
        ...findings[1]!,
        suppression: {
          kind: 'inSource' as const,
          justification: 'annotation exposectl.dev/ignore: "lb/pool-overlap" on CiliumLoadBalancerIPPool blue',
        },
      },
    ];
    const log = toSarif([findings[0]!], {
      toolVersion: '0.1.0',
      locate,
      codes: sarifRules(),
      informationUri: REPOSITORY_URL,
      suppressed,
    });
    const results = log.runs[0]!.results;
    expect(results.map((r) => [r.ruleId, 'suppressions' in r ? r.suppressions : undefined])).toEqual([
      ['lb/no-pool', undefined],
      [
        'lb/pool-overlap',
        [
          {
            kind: 'inSource',
            justification: 'annotation exposectl.dev/ignore: "lb/pool-overlap" on CiliumLoadBalancerIPPool blue',
          },
        ],
      ],
    ]);
    expect(validate(JSON.parse(JSON.stringify(log)))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  test('file URIs', () => {
    expect(fileUri('./a/b.yaml')).toBe('a/b.yaml');
    expect(fileUri('a b/c#d.yaml')).toBe('a%20b/c%23d.yaml');
    expect(fileUri('C:\\work\\x.yaml')).toBe('file:///C:/work/x.yaml');
  });
});
