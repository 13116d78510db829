// The human form of a DiagnosisReport: findings grouped by subject, worst first within
// each group, with the fix under each message. Colour only when the render context
// allows it (a TTY without --no-color/NO_COLOR); messages wrap to the terminal width.
import { Chalk, type ChalkInstance } from 'chalk';
import type { DiagnosisReport, Finding, Severity } from '../model/finding.js';
import { terminalSafe } from '../util/terminal-text.js';
import type { RenderContext } from './context.js';

const LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

function paintFor(paint: ChalkInstance, s: Severity): (t: string) => string {
  return s === 'error' ? paint.red.bold : s === 'warning' ? paint.yellow : paint.cyan;
}

function wrap(text: string, width: number | undefined, indent: string): string {
  if (!width || width < 40) return indent + text;
  const max = width - indent.length;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

export function renderDiagnosisText(
  unsafeReport: DiagnosisReport,
  ctx: RenderContext,
  unsafeNotes: string[] = [],
): string {
  const report = terminalSafe(unsafeReport);
  const notes = terminalSafe(unsafeNotes);
  const paint = new Chalk({ level: ctx.color ? 1 : 0 });
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const k = `${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const out: string[] = [];
  for (const [subject, findings] of groups) {
    out.push(paint.bold(subject));
    for (const f of findings) {
      out.push(`  ${paintFor(paint, f.severity)(LABEL[f.severity].padEnd(7))} ${paint.bold(f.code)}`);
      out.push(wrap(f.message, ctx.columns, '    '));
      out.push(paint.dim(wrap(`fix: ${f.fix}`, ctx.columns, '    ')));
    }
    out.push('');
  }
  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const parts = (['error', 'warning', 'info'] as const)
    .map((s) => [s, count(s)] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => paintFor(paint, s)(`${n} ${s}${n === 1 ? '' : s === 'info' ? '' : 's'}`));
  out.push(
    report.findings.length === 0
      ? paint.green('No findings.')
      : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}: ${parts.join(', ')}`,
  );
  // Silenced in the manifests, never silently: counted here, listed by -o json and -o sarif.
  const silenced = report.suppressed?.length ?? 0;
  if (silenced > 0)
    out.push(paint.dim(`${silenced} suppressed by exposectl.dev/ignore annotations (-o json lists them)`));
  for (const n of notes) out.push(paint.dim(n));
  return `${out.join('\n')}\n`;
}
