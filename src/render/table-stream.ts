// renderTable's look (upper-case headers, columns padded, three spaces between them) for
// tables too large for one string: 3 million routes of `probe bgp`. Two passes over the
// rows (widths, then lines), one line at a time: memory stays that of one line.

import { terminalText } from '../util/terminal-text.js';
import { displayWidth, GAP } from './table.js';

/** The lines of renderTable(headers, rows.map(cellsOf)), each prefixed by `indent` and ending in \n. */
export function* tableLines<Row>(
  headers: readonly string[],
  rows: readonly Row[],
  cellsOf: (row: Row) => readonly string[],
  indent = '',
): Generator<string> {
  const widths = headers.map((h) => h.length);
  // Cell text comes from files and the cluster: escaped, so one row stays one line.
  const cells = (row: Row) => cellsOf(row).map(terminalText);
  for (const row of rows) {
    cells(row).forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(c));
    });
  }
  const line = (texts: readonly string[]) =>
    `${indent}${texts
      .map((t, i) => (i === texts.length - 1 ? t : t + ' '.repeat(widths[i]! - displayWidth(t))))
      .join(GAP)
      .trimEnd()}\n`;
  yield line(headers);
  for (const row of rows) yield line(cells(row));
}
