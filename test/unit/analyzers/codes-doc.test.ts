// docs/codes.md is generated from the catalogue (node scripts/gen-codes-doc.mjs): this fails
// when the committed page is stale, and holds the page to what it promises: every code of the
// catalogue with its anchor (the SARIF helpUri), title, meaning, causes, fix and example.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  CODES_DOC_URL,
  codeAnchor,
  codeList,
  explainCode,
  helpUri,
  REPOSITORY_URL,
} from '../../../src/analyzers/catalogue/index.js';
import { CODES } from '../../../src/analyzers/codes.js';
import { renderCodesMarkdown } from '../../../src/render/codes-markdown.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const committed = readFileSync(join(REPO_ROOT, 'docs/codes.md'), 'utf8');
const generated = () =>
  renderCodesMarkdown(
    codeList(),
    codeList().items.map((c) => explainCode(c.code as never)),
  );

describe('docs/codes.md', () => {
  test('is up to date (run `node scripts/gen-codes-doc.mjs` after changing the catalogue)', () => {
    expect(committed).toBe(generated());
  });

  test('the script writes what the renderer gives', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'exposectl-codes-doc-')), 'codes.md');
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/gen-codes-doc.mjs'), out], { encoding: 'utf8' });
    expect(readFileSync(out, 'utf8')).toBe(generated());
  });

  test('has a section per code, at the anchor SARIF links to, with every part of the explanation', () => {
    for (const c of CODES) {
      const e = explainCode(c.code);
      const start = committed.indexOf(`<a id="${codeAnchor(c.code)}"></a>`);
      expect(start, c.code).toBeGreaterThan(0);
      const next = committed.indexOf('<a id="', start + 1);
      const section = committed.slice(start, next < 0 ? undefined : next);
      expect(section).toContain(`## \`${c.code}\``);
      for (const part of [e.title, e.meaning, e.fix, ...e.causes, e.example.command])
        expect(section, c.code).toContain(part);
      expect(helpUri(c.code)).toBe(`${CODES_DOC_URL}#${codeAnchor(c.code)}`);
    }
  });

  test('the repository URL is the one package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      repository?: { url?: string };
      homepage?: string;
    };
    expect(pkg.repository?.url).toBe(`git+${REPOSITORY_URL}.git`);
    expect(CODES_DOC_URL).toBe(`${REPOSITORY_URL}/blob/main/docs/codes.md`);
  });
});
