import { describe, expect, test } from 'vitest';
import type { DiagnosisReport, Finding } from '../../../src/model/finding.js';
import { renderDiagnosisText } from '../../../src/render/diagnosis-text.js';

const f = (code: string, severity: Finding['severity'], name: string, kind = 'Service'): Finding => ({
  code,
  severity,
  check: code.split('/')[0]!,
  subject: { kind, namespace: 'shop', name },
  message: `${code} message for ${name}.`,
  fix: `Fix ${name}.`,
});
const report = (findings: Finding[]): DiagnosisReport => ({
  apiVersion: 'exposectl.dev/v1alpha1',
  kind: 'DiagnosisReport',
  findings,
});
const plain = { color: false, tty: false, columns: undefined };

describe('diagnosis text', () => {
  test('grouped by subject, fix under each message, summary line, no colour off a TTY', () => {
    const out = renderDiagnosisText(
      report([
        f('lb/no-pool', 'error', 'web'),
        f('source-ip/etp-cluster', 'warning', 'web'),
        f('ingress/retired-controller', 'info', 'web', 'Ingress'),
      ]),
      plain,
    );
    expect(out).toBe(
      [
        'Service shop/web',
        '  error   lb/no-pool',
        '    lb/no-pool message for web.',
        '    fix: Fix web.',
        '  warning source-ip/etp-cluster',
        '    source-ip/etp-cluster message for web.',
        '    fix: Fix web.',
        '',
        'Ingress shop/web',
        '  info    ingress/retired-controller',
        '    ingress/retired-controller message for web.',
        '    fix: Fix web.',
        '',
        '3 findings: 1 error, 1 warning, 1 info',
        '',
      ].join('\n'),
    );
    expect(out).not.toMatch(/\x1b\[/);
  });

  test('no findings', () => {
    expect(renderDiagnosisText(report([]), plain)).toBe('No findings.\n');
  });

  test('colour on a TTY, wrapped to the terminal width', () => {
    const long = { ...f('lb/no-pool', 'error', 'web'), message: 'word '.repeat(40).trim() };
    const out = renderDiagnosisText(report([long]), { color: true, tty: true, columns: 60 });
    expect(out).toMatch(/\x1b\[31m/);
    const stripped = out.replace(/\x1b\[[0-9;]*m/g, '');
    expect(stripped.split('\n').every((l) => l.length <= 60)).toBe(true);
  });
});
