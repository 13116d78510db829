// The human forms of `exposectl codes`: the table and one code's sections, plain without
// colour, coloured severities with it, paragraphs wrapped to the terminal width.
import { describe, expect, test } from 'vitest';
import { codeList, explainCode } from '../../../src/analyzers/catalogue/index.js';
import { renderCodeExplanation, renderCodeList } from '../../../src/render/codes-text.js';

const plain = { color: false, columns: undefined, tty: false };

describe('codes text', () => {
  test('the list: one row per code, probe codes marked', () => {
    const text = renderCodeList(codeList(), plain);
    expect(text.split('\n')[0]).toMatch(/^CODE {3,}SEVERITY {3}CHECK {3,}TITLE$/);
    expect(text).toMatch(
      /^bgp\/session-down\s+error\s+bgp\s+an expected BGP peer has no established session \(--probe\)$/m,
    );
    expect(text).not.toMatch(/\u001b\[/);
    expect(renderCodeList(codeList(), { ...plain, color: true })).toMatch(/\u001b\[31merror {3,}\u001b\[39m/);
  });

  test('one code: heading, meaning, causes as a list, fix, the example manifest and command, the link', () => {
    const text = renderCodeExplanation(explainCode('lb/sharing-conflict'), plain);
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'lb/sharing-conflict (error, check lb)',
      'Services on one address disagree on how to share it',
    ]);
    expect(lines.filter((l) => l.startsWith('  - '))).toHaveLength(3);
    expect(text).toContain('    metallb.io/allow-shared-ip: dns');
    expect(text).toContain('  $ exposectl diagnose -f example.yaml');
    expect(lines.at(-2)).toBe(
      'More: https://github.com/exposectl/exposectl/blob/main/docs/codes.md#lb-sharing-conflict',
    );
  });

  test('a probe code shows the probe command and what it observes; a cluster example says so', () => {
    const arp = renderCodeExplanation(explainCode('arp/no-reply'), plain);
    expect(arp).toMatch(/^arp\/no-reply \(error, check arp, needs --probe\)$/m);
    expect(arp).toContain('  $ sudo exposectl diagnose arp --probe --interface eth0');
    expect(arp).toContain('  when the probe sees: three ARP requests');
    expect(renderCodeExplanation(explainCode('ingress/tls-secret-missing'), plain)).toContain(
      'With these objects in a cluster',
    );
  });

  test('paragraphs wrap to the terminal width, causes with a hanging indent', () => {
    const text = renderCodeExplanation(explainCode('source-ip/etp-cluster'), { color: false, columns: 60, tty: true });
    for (const line of text.split('\n').filter((l) => !l.startsWith('More: ') && !l.startsWith('    ')))
      expect(line.length).toBeLessThanOrEqual(60);
    expect(text).toMatch(/\n {2}- Cluster is the default: a NodePort or LoadBalancer\n {4}\S/);
  });
});
