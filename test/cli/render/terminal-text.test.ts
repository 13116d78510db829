// Strings from files or the cluster are printed with control characters escaped: a name
// or annotation cannot move the cursor, recolour, retitle or clear the terminal, reorder
// text, or start a line of its own. JSON output keeps them exactly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTable } from '../../../src/render/table.js';
import { UsageError } from '../../../src/util/errors.js';
import { terminalSafe, terminalText } from '../../../src/util/terminal-text.js';
import { runCli } from '../../helpers/cli.js';

/** Any character a terminal acts on, other than the line ends the renderers print themselves. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('terminalText', () => {
  it('writes every control character as an escape', () => {
    expect(terminalText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(terminalText('\u001b[2J\u001b]0;title\u0007')).toBe('\\x1b[2J\\x1b]0;title\\x07');
    expect(terminalText('\u0000\u007f\u009b')).toBe('\\x00\\x7f\\x9b');
    expect(terminalText('abc\u202edef\u2066\u2028')).toBe('abc\\u202edef\\u2066\\u2028');
  });

  it('leaves printable text, non-ASCII and emoji as they are, and is idempotent', () => {
    for (const s of ['web-1', 'café/ünïcode', '名前', '🚀 rocket', 'C:\\path\\x1b', '']) {
      expect(terminalText(s)).toBe(s);
      expect(terminalText(terminalText(`${s}\u001b`))).toBe(terminalText(`${s}\u001b`));
    }
  });

  it('for every code point up to U+FFFF: the result has no control character', () => {
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      expect(CONTROL.test(terminalText(`x${String.fromCharCode(c)}\n`))).toBe(false);
    }
  });

  it('terminalSafe escapes every string of a data value and keeps its shape', () => {
    const value = { name: 'a\nb', n: 3, ok: true, none: null, list: ['\u001b', { deep: '\r' }] };
    expect(terminalSafe(value)).toEqual({
      name: 'a\\nb',
      n: 3,
      ok: true,
      none: null,
      list: ['\\x1b', { deep: '\\r' }],
    });
    expect(value.name).toBe('a\nb');
  });

  it('a table row stays one line and columns are measured on the escaped text', () => {
    const text = renderTable(
      ['NAME', 'X'],
      [
        ['a\nb', '1'],
        ['long-name', '2'],
      ],
    );
    expect(text).toBe('NAME        X\na\\nb        1\nlong-name   2\n');
  });

  it('errors are one line whatever they quote', () => {
    const err = new UsageError('cannot read "/tmp/a\nerror: fake\u001b[2J"', 'hint\nmore', { details: ['  one\ntwo'] });
    expect(err.message).toBe('cannot read "/tmp/a\\nerror: fake\\x1b[2J"');
    expect(err.hint).toBe('hint\\nmore');
    expect(err.details).toEqual(['  one\\ntwo']);
  });
});

describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exposectl-terminal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const name = 'web\u001b]0;pwned\u0007\nfake line\u001b[2J';
  const namespace = 'shop\u202e';
  const file = join(dir, 'evil.json');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace, annotations: { note: '\u001b[31mred' } },
          spec: { type: 'LoadBalancer', selector: { app: 'x\u001b[2J' }, ports: [{ port: 80, protocol: 'TCP' }] },
        },
      ],
    }),
  );

  it('list and diagnose print the names escaped, one line per row; -o json keeps them exactly', async () => {
    const list = await runCli(['list', '-f', file]);
    expect(list.exitCode).toBe(0);
    expect(CONTROL.test(list.stdout)).toBe(false);
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(list.stdout).toContain('service/web\\x1b]0;pwned\\x07\\nfake line\\x1b[2J');
    const text = await runCli(['diagnose', '-f', file]);
    expect(CONTROL.test(text.stdout)).toBe(false);
    expect(text.stdout).toContain(`Service shop\\u202e/web\\x1b]0;pwned\\x07\\nfake line\\x1b[2J`);
    const json = await runCli(['list', '-f', file, '-o', 'json']);
    expect((JSON.parse(json.stdout) as { items: Array<{ name: string; namespace: string }> }).items[0]).toMatchObject({
      name,
      namespace,
    });
  }, 60_000);

  it('an error naming a path with a newline and escape sequences is one line', async () => {
    const path = join(dir, 'missing\nerror: all good\u001b[2J.yaml');
    const r = await runCli(['list', '-f', path]);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`error: the path "${dir}/missing\\nerror: all good\\x1b[2J.yaml" does not exist`);
    expect(lines.slice(1).every((l) => l.startsWith('hint: '))).toBe(true);
    expect(CONTROL.test(r.stderr)).toBe(false);
  });

  it('an unknown --context with a newline is one line', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    const r = await runCli(['list', '--kubeconfig', kubeconfig, '--context', 'prod\nerror: fake\u001b[1A']);
    expect(r.exitCode).toBe(2);
    expect(
      r.stderr
        .trimEnd()
        .split('\n')
        .filter((l) => !l.startsWith('hint: ')),
    ).toEqual([expect.stringContaining('prod\\nerror: fake\\x1b[1A')]);
    expect(CONTROL.test(r.stderr)).toBe(false);
  });
});
