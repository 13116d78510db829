// docs/codes.md: the catalogue as a page, generated from it (scripts/gen-codes-doc.mjs; a test
// fails when the committed page differs). Each code has an explicit anchor (`lb-no-pool`), which
// the SARIF rules' helpUri and `exposectl codes CODE` link to. Pure.
import type { CodeExplanation, CodeList } from '../model/code-catalogue.js';

const anchorOf = (helpUri: string) => helpUri.slice(helpUri.indexOf('#') + 1);
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderCodesMarkdown(list: CodeList, explained: readonly CodeExplanation[]): string {
  const out: string[] = [
    '# Finding codes',
    '',
    '<!-- Generated from the catalogue (src/analyzers/codes.ts, src/analyzers/catalogue/explanations.ts) by',
    '     `node scripts/gen-codes-doc.mjs`; edit those files, not this page. -->',
    '',
    'Every finding of `exposectl diagnose` has a stable code, `CHECK/NAME`; a retired code is never reused.',
    '`exposectl codes` lists them, `exposectl codes CODE` explains one in the terminal, and `-o sarif`',
    'links each rule here. Silence a finding with `--ignore CODE[=NAMESPACE/NAME]`, or in the manifest with',
    'the annotation `exposectl.dev/ignore: "CODE[,CODE]"` on the object the finding is about (reported as',
    'suppressed, not dropped). Codes marked *probe* need `diagnose --probe` (facts from the network).',
    '',
    '| code | severity | check | title |',
    '| --- | --- | --- | --- |',
    ...list.items.map(
      (c) =>
        `| [\`${c.code}\`](#${anchorOf(c.helpUri)}) | ${c.severity} | ${c.check} | ${cell(c.title)}${c.probe ? ' (*probe*)' : ''} |`,
    ),
    '',
  ];
  for (const e of explained) {
    out.push(
      `<a id="${anchorOf(e.helpUri)}"></a>`,
      '',
      `## \`${e.code}\``,
      '',
      `**${e.severity}**, check \`${e.check}\`${e.probe ? ', needs `--probe`' : ''}: ${e.title}.`,
      '',
      e.meaning,
      '',
      '**Usual causes**',
      '',
      ...e.causes.map((c) => `- ${c}`),
      '',
      `**Fix**: ${e.fix}`,
      '',
      '**Example**',
      '',
    );
    if (e.example.cluster)
      out.push(
        'With these objects in a cluster (a missing object is a fact only in a live cluster, not in files):',
        '',
      );
    if (e.example.manifest) out.push('```yaml', e.example.manifest, '```', '');
    out.push('```sh', e.example.command, '```', '');
    if (e.example.observation) out.push(`when the probe observes: ${e.example.observation}.`, '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
