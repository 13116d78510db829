// `topology -o tree` as plain text: fits 100 columns (longer lines end in …), optional
// colour (chalk) only when the render context allows it; never escape codes in pipes.
import { Chalk } from 'chalk';
import type { Topology } from '../../model/topology.js';
import type { RenderContext } from '../context.js';
import { fitWidth, type Tone, treeLines } from './tree-model.js';

export const TREE_WIDTH = 100;

export function renderTree(
  t: Topology,
  ctx: Pick<RenderContext, 'color' | 'columns'> = { color: false, columns: undefined },
): string {
  // A terminal that reports no size (0 columns) gets the pipe width.
  const width = Math.min(ctx.columns && ctx.columns > 0 ? ctx.columns : TREE_WIDTH, TREE_WIDTH);
  const lines = treeLines(t);
  if (lines.length === 0) return '';
  if (!ctx.color)
    return `${lines.map((l) => fitWidth(l.prefix + l.segments.map((s) => s.text).join(''), width)).join('\n')}\n`;
  const paint = new Chalk({ level: 1 });
  const tones: Record<Tone, (s: string) => string> = {
    plain: (s) => s,
    ok: paint.green,
    warn: paint.yellow,
    bad: paint.red,
    dim: paint.dim,
    kind: paint.cyan,
  };
  return `${lines
    .map((l) => {
      // Cut the plain text first, then colour what is left of each segment.
      let room = width - [...l.prefix].length;
      let text = paint.dim(l.prefix);
      const total = [...l.segments.map((s) => s.text).join('')].length;
      for (const s of l.segments) {
        if (room <= 0) break;
        const chars = [...s.text];
        const cut = total > width - [...l.prefix].length && chars.length >= room ? fitWidth(s.text, room) : s.text;
        text += tones[s.tone](cut);
        room -= chars.length;
      }
      return text;
    })
    .join('\n')}\n`;
}
