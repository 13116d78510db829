// Regenerates the table part of test/realworld/README.md from cases.json:
//   node test/realworld/render-readme.ts
// realworld.test.ts fails when README.md and cases.json disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadCases, renderTable, withTable } from './table.ts';

const readmeUrl = new URL('./README.md', import.meta.url);
writeFileSync(readmeUrl, withTable(readFileSync(readmeUrl, 'utf8'), renderTable(loadCases())));
