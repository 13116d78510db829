// The `tree` view on a terminal, drawn with Ink: the same lines as the plain text
// (tree-model.ts), coloured per segment and cut to the terminal width. Loaded lazily,
// only when stdout is a TTY (Ink costs ~250 ms to import).
import { Box, renderToString, Text } from 'ink';
import type { Topology } from '../../model/topology.js';
import { type Tone, type TreeLine, treeLines } from './tree-model.js';

const COLORS: Record<Tone, { color?: string; dimColor?: boolean; bold?: boolean }> = {
  plain: {},
  ok: { color: 'green' },
  warn: { color: 'yellow' },
  bad: { color: 'red', bold: true },
  dim: { dimColor: true },
  kind: { color: 'cyan' },
};

export function TreeLineView({ line }: { line: TreeLine }) {
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{line.prefix}</Text>
      {line.segments.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line's segments are drawn once and never reordered
        <Text key={i} {...COLORS[s.tone]}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

export function TopologyTree({ topology }: { topology: Topology }) {
  const lines = treeLines(topology);
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the tree's lines are drawn once and never reordered
        <TreeLineView key={i} line={line} />
      ))}
    </Box>
  );
}

/** The tree as a string with Ink's colours, for a terminal of the given width. */
export function renderTreeInk(topology: Topology, columns: number): string {
  const out = renderToString(<TopologyTree topology={topology} />, { columns });
  return out.endsWith('\n') ? out : `${out}\n`;
}
