import { describe, expect, it } from 'vitest';
import { formatPorts } from '../../../src/render/exposure-table.js';
import { renderTable } from '../../../src/render/table.js';

describe('renderTable', () => {
  it('pads columns with three spaces like kubectl and does not pad the last column', () => {
    const text = renderTable(
      ['NAME', 'TYPE'],
      [
        ['web', 'NodePort'],
        ['database', 'ClusterIP'],
      ],
    );
    expect(text).toBe('NAME       TYPE\nweb        NodePort\ndatabase   ClusterIP\n');
  });

  it('paints cells after padding so colour never shifts columns', () => {
    const text = renderTable(['A', 'B', 'C'], [[{ text: 'x', paint: (t) => `<${t}>` }, 'long-value', 'z']]);
    expect(text.split('\n')[1]).toBe('<x>   long-value   z');
  });

  it('lines up names with non-ASCII characters by code point', () => {
    const text = renderTable(
      ['N', 'X'],
      [
        ['café', '1'],
        ['ab', '2'],
      ],
    );
    expect(text.split('\n').map((l) => l.indexOf(l.trim().split(/\s+/)[1]!))).toEqual([7, 7, 7, -1]);
  });
});

describe('formatPorts', () => {
  it('uses the PORT(S) notation of kubectl', () => {
    expect(
      formatPorts([
        { port: 80, protocol: 'TCP', nodePort: 30080 },
        { port: 53, protocol: 'UDP' },
      ]),
    ).toBe('80:30080/TCP,53/UDP');
    expect(formatPorts([])).toBe('<none>');
  });
});
