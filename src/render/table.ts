// Tables with kubectl's look: upper-case headers, columns padded with three spaces,
// no borders. A cell may carry a colour function applied after padding is computed.
export interface Cell {
  text: string;
  paint?: (text: string) => string;
}

export type CellInput = string | Cell;

import { maxOf } from '../util/arrays.js';
import { terminalText } from './terminal-text.js';

const GAP = '   ';

export function renderTable(headers: readonly string[], rows: readonly (readonly CellInput[])[]): string {
  // Cell text comes from files and the cluster: escaped, so one row stays one line.
  const cells = rows.map((row) => row.map((c) => (typeof c === 'string' ? { text: terminalText(c) } : { ...c, text: terminalText(c.text) })));
  const widths = headers.map((h, i) => maxOf(cells.map((row) => displayWidth(row[i]?.text ?? '')), h.length));
  const line = (row: readonly Cell[]) =>
    row
      .map((cell, i) => {
        const last = i === row.length - 1;
        const padded = last ? cell.text : cell.text + ' '.repeat(widths[i]! - displayWidth(cell.text));
        return cell.paint ? cell.paint(padded) : padded;
      })
      .join(GAP)
      .trimEnd();
  return [line(headers.map((h) => ({ text: h }))), ...cells.map(line)].join('\n') + '\n';
}

/** Width in terminal columns; counts code points so that non-ASCII names line up. */
function displayWidth(text: string): number {
  return [...text].length;
}
