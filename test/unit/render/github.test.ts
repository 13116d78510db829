import { describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/model/finding.js';
import { escapeData, escapeProperty, renderGithub } from '../../../src/render/github.js';

const f = (over: Partial<Finding>): Finding => ({
  code: 'lb/no-pool',
  severity: 'error',
  check: 'lb',
  subject: { kind: 'Service', namespace: 'shop', name: 'web' },
  message: 'No pool.',
  fix: 'Add one.',
  ...over,
});

describe('GitHub workflow commands', () => {
  test('error with file and line, title = code and subject', () => {
    expect(renderGithub([f({})], () => ({ file: 'deploy/web.yaml', line: 7 }))).toBe(
      '::error file=deploy/web.yaml,line=7,title=lb/no-pool (Service shop/web)::No pool.%0AFix: Add one.\n',
    );
  });

  test('warning and notice levels; no file for stdin or cluster objects', () => {
    const out = renderGithub(
      [
        f({ severity: 'warning' }),
        f({ severity: 'info', subject: { kind: 'IngressClass', namespace: null, name: 'nginx' } }),
      ],
      (s) => (s.kind === 'Service' ? { file: '<stdin>', line: 1 } : undefined),
    );
    expect(out.split('\n').filter(Boolean)).toEqual([
      '::warning title=lb/no-pool (Service shop/web)::No pool.%0AFix: Add one.',
      '::notice title=lb/no-pool (IngressClass nginx)::No pool.%0AFix: Add one.',
    ]);
  });

  test("escaping per the runner's rules", () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const out = renderGithub([f({ message: 'a: b, c %\nd' })], () => ({ file: 'dir,x/a:b.yaml', line: 3 }));
    expect(out).toBe(
      '::error file=dir%2Cx/a%3Ab.yaml,line=3,title=lb/no-pool (Service shop/web)::a: b, c %25%0Ad%0AFix: Add one.\n',
    );
    expect(out.trimEnd().split('\n')).toHaveLength(1);
  });

  test('nothing for no findings', () => {
    expect(renderGithub([])).toBe('');
  });
});
