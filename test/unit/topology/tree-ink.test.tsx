// The Ink tree (TTYs only): the same lines as the plain text, coloured.

import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Topology } from '../../../src/model/topology.js';
import { renderTree } from '../../../src/render/topology/tree.js';
import { readManifests } from '../../../src/sources/files.js';
import { buildTopology } from '../../../src/topology/build.js';
import { REPO_ROOT } from '../../helpers/cli.js';

// On a terminal, Ink's colour support comes from the TTY; here it is forced before chalk loads.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
let api: Topology;
let ink: typeof import('../../../src/render/topology/tree-ink.js');

beforeAll(async () => {
  ink = await import('../../../src/render/topology/tree-ink.js');
  const snapshot = await readManifests([join(REPO_ROOT, 'examples/demo')], { defaultNamespace: 'default' });
  api = buildTopology(snapshot, { service: { namespace: 'shop', name: 'api' } });
});

describe('TopologyTree', () => {
  it('renders the same lines as the plain tree', () => {
    const { lastFrame, unmount } = render(<ink.TopologyTree topology={api} />);
    const frame = lastFrame() ?? '';
    const plain = renderTree(api, { color: false, columns: 100 }).trimEnd().split('\n');
    expect(
      strip(frame)
        .split('\n')
        .map((l) => l.trimEnd()),
    ).toEqual(plain.map((l) => l.trimEnd()));
    unmount();
  });

  it('colours statuses, the lost source IP and the not-ready Pod', () => {
    const out = ink.renderTreeInk(api, 100);
    expect(out).toMatch(/\u001b\[31m\u001b\[1m NOT READY|\u001b\[1m\u001b\[31m NOT READY/);
    expect(out).toMatch(/\u001b\[33m⚠ source IP lost here: /);
    expect(out).toMatch(/\u001b\[33m degraded/);
  });

  it('cuts lines to the terminal width', () => {
    const out = strip(ink.renderTreeInk(api, 50));
    for (const line of out.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(50);
    expect(out).toContain('…');
  });
});
