// The human forms of `exposectl codes`: the catalogue as a table (CODE SEVERITY CHECK TITLE),
// and one code explained in sections (meaning, usual causes, fix, example). Colour only when
// the render context allows it; paragraphs wrap to the terminal width.
import { Chalk, type ChalkInstance } from 'chalk';
import type { CodeExplanation, CodeList, CodeSummary } from '../model/code-catalogue.js';
import type { RenderContext } from './context.js';
import { renderTable } from './table.js';

function severityPaint(paint: ChalkInstance, s: CodeSummary['severity']): (t: string) => string {
  return s === 'error' ? paint.red : s === 'warning' ? paint.yellow : paint.cyan;
}

export function renderCodeList(list: CodeList, ctx: RenderContext): string {
  const paint = new Chalk({ level: ctx.color ? 1 : 0 });
  const rows = list.items.map((c) => [
    c.code,
    { text: c.severity, paint: severityPaint(paint, c.severity) },
    c.check,
    `${c.title}${c.probe ? ' (--probe)' : ''}`,
  ]);
  return `${renderTable(['CODE', 'SEVERITY', 'CHECK', 'TITLE'], rows)}`;
}

function wrap(text: string, width: number | undefined, indent: string, first = indent): string {
  if (!width || width < 40) return first + text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const max = width - (lines.length === 0 ? first : indent).length;
    if (line !== '' && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l, i) => (i === 0 ? first : indent) + l).join('\n');
}

export function renderCodeExplanation(e: CodeExplanation, ctx: RenderContext): string {
  const paint = new Chalk({ level: ctx.color ? 1 : 0 });
  const head = (t: string) => paint.bold(t);
  const out: string[] = [
    `${paint.bold(e.code)} (${severityPaint(paint, e.severity)(e.severity)}, check ${e.check}${e.probe ? ', needs --probe' : ''})`,
    wrap(e.title, ctx.columns, '', ''),
    '',
    head('Meaning'),
    wrap(e.meaning, ctx.columns, '  '),
    '',
    head('Usual causes'),
    ...e.causes.map((c) => wrap(c, ctx.columns, '    ', '  - ')),
    '',
    head('Fix'),
    wrap(e.fix, ctx.columns, '  '),
    '',
    head('Example'),
  ];
  if (e.example.cluster)
    out.push('  With these objects in a cluster (a missing object is a fact only in a live cluster):');
  if (e.example.manifest) out.push(...e.example.manifest.split('\n').map((l) => paint.dim(`    ${l}`)), '');
  out.push(`  $ ${e.example.command}`);
  if (e.example.observation) out.push(wrap(`when the probe sees: ${e.example.observation}`, ctx.columns, '    ', '  '));
  out.push('', `More: ${e.helpUri}`);
  return `${out.join('\n')}\n`;
}
