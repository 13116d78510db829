#!/usr/bin/env node
// Generates docs/codes.md from the catalogue (src/analyzers/codes.ts and
// src/analyzers/catalogue/explanations.ts), so the page always says what `exposectl codes`
// says. test/unit/analyzers/codes-doc.test.ts fails when the committed page is stale.
// Usage: node scripts/gen-codes-doc.mjs [outFile]   (default: docs/codes.md)
import './ts-sources.mjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = process.argv[2] ?? join(root, 'docs', 'codes.md');
const { codeList, explainCode } = await import('../src/analyzers/catalogue/index.ts');
const { renderCodesMarkdown } = await import('../src/render/codes-markdown.ts');
const list = codeList();
writeFileSync(
  out,
  renderCodesMarkdown(
    list,
    list.items.map((c) => explainCode(c.code)),
  ),
);
console.log(`wrote ${out}`);
