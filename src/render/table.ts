// Tables with kubectl's look: upper-case headers, columns padded with three spaces,
// no borders. A cell may carry a colour function applied after padding is computed.
export interface Cell {
  text: string;
  paint?: (text: string) => string;
}

export type CellInput = string | Cell;

import { maxOf } from '../util/arrays.js';
import { terminalText } from '../util/terminal-text.js';

export const GAP = '   ';

export interface TableOptions {
  /** kubectl's --no-headers: rows only, and the headers do not widen the columns. */
  noHeaders?: boolean;
  /** Narrowest column (kubectl's tabwriter pads every cell to at least 6 with the gap: 3). */
  minWidth?: number;
}

export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly CellInput[])[],
  opts: TableOptions = {},
): string {
  // Cell text comes from files and the cluster: escaped, so one row stays one line.
  const cells = rows.map((row) =>
    row.map((c) => (typeof c === 'string' ? { text: terminalText(c) } : { ...c, text: terminalText(c.text) })),
  );
  const widths = headers.map((h, i) =>
    maxOf(
      cells.map((row) => displayWidth(row[i]?.text ?? '')),
      Math.max(opts.minWidth ?? 0, opts.noHeaders ? 0 : h.length),
    ),
  );
  const line = (row: readonly Cell[]) =>
    row
      .map((cell, i) => {
        const last = i === row.length - 1;
        const padded = last ? cell.text : cell.text + ' '.repeat(widths[i]! - displayWidth(cell.text));
        return cell.paint ? cell.paint(padded) : padded;
      })
      .join(GAP)
      .trimEnd();
  const lines = cells.map(line);
  if (!opts.noHeaders) lines.unshift(line(headers.map((h) => ({ text: h }))));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Width in terminal columns; counts code points so that non-ASCII names line up. */
export function displayWidth(text: string): number {
  return [...text].length;
}
