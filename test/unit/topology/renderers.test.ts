// Each topology renderer on the bundled demo cluster: golden text for tree, mermaid and
// dot (UPDATE_GOLDEN=1 rewrites them), the JSON document against its schema, the tree's
// width and colour rules, and the svg/html structure (the browser test looks at them).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '../../../src/model/topology.js';
import { renderDot } from '../../../src/render/topology/dot.js';
import { renderHtml } from '../../../src/render/topology/html.js';
import { renderTopologyJson } from '../../../src/render/topology/json.js';
import { layoutTopology } from '../../../src/render/topology/layout.js';
import { renderMermaid } from '../../../src/render/topology/mermaid.js';
import { renderSvg } from '../../../src/render/topology/svg.js';
import { renderTree } from '../../../src/render/topology/tree.js';
import { readManifests } from '../../../src/sources/files.js';
import { buildTopology } from '../../../src/topology/build.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { schemaErrors } from '../../helpers/schema.js';

const GOLDEN = join(REPO_ROOT, 'test/unit/topology/golden');
const ESC = /\u001b\[/;

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

let all: Topology;
let web: Topology;
let api: Topology;

beforeAll(async () => {
  const snapshot = await readManifests([join(REPO_ROOT, 'examples/demo')], { defaultNamespace: 'default' });
  all = buildTopology(snapshot);
  web = buildTopology(snapshot, { service: { namespace: 'shop', name: 'web' } });
  api = buildTopology(snapshot, { service: { namespace: 'shop', name: 'api' } });
});

describe('tree', () => {
  it('golden: every exposure of the demo', () => golden('demo.tree.txt', renderTree(all)));
  it('golden: shop/web (three ways in)', () => golden('web.tree.txt', renderTree(web)));
  it('golden: shop/api (BGP, a Pod not ready, source IP lost)', () => golden('api.tree.txt', renderTree(api)));

  it('fits 100 columns and has no escape codes without colour', () => {
    const text = renderTree(all, { color: false, columns: 300 });
    expect(text).not.toMatch(ESC);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    const narrow = renderTree(all, { color: false, columns: 60 });
    for (const line of narrow.split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    expect(narrow).toMatch(/…$/m);
    // A terminal that reports no size gets the pipe width, not an empty tree.
    expect(renderTree(all, { color: false, columns: 0 })).toBe(renderTree(all));
  });

  it('with colour: the same text once the escape codes are removed', () => {
    const coloured = renderTree(all, { color: true, columns: 100 });
    expect(coloured).toMatch(ESC);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderTree(all));
  });
});

describe('mermaid and dot', () => {
  it('golden mermaid', () => golden('demo.mmd', renderMermaid(all)));
  it('golden dot', () => golden('demo.dot', renderDot(all)));

  it('mark the lost source IP and the not-ready endpoint', () => {
    const m = renderMermaid(api);
    expect(m).toMatch(/==>\|"443\/TCP · source IP lost: SNAT on the node/);
    expect(m).toMatch(/-\.->\|"not ready"\|/);
    expect(m).toMatch(/linkStyle [\d,]+ stroke:#c62828/);
    const d = renderDot(api);
    expect(d).toMatch(
      /label="443\/TCP · source IP lost: SNAT on the node \(externalTrafficPolicy Cluster\)", color="#c62828"/,
    );
    expect(d).toMatch(/label="not ready", style=dashed/);
  });

  it('escape quotes and markup in names', () => {
    const t: Topology = {
      apiVersion: 'exposectl.dev/v1alpha1',
      kind: 'Topology',
      service: null,
      nodes: [
        { id: 'a', kind: 'address', label: 'x"<b>&\\', namespace: null },
        { id: 'b', kind: 'service', label: 'ns/s', namespace: 'ns' },
      ],
      edges: [{ id: 'a->b', from: 'a', to: 'b', label: 'p"q', sourceIpLost: false }],
    };
    expect(renderMermaid(t)).toContain('x#quot;#lt;b#gt;#amp;\\');
    expect(renderDot(t)).toContain('label="x\\"<b>&\\\\"');
  });
});

describe('json', () => {
  it('is the Topology document, valid against schemas/topology.schema.json', () => {
    for (const t of [all, web, api]) {
      const doc = JSON.parse(renderTopologyJson(t));
      expect(schemaErrors('topology.schema.json', doc)).toEqual([]);
      expect(doc).toMatchObject({ apiVersion: 'exposectl.dev/v1alpha1', kind: 'Topology' });
    }
    expect(JSON.parse(renderTopologyJson(web)).service).toEqual({ namespace: 'shop', name: 'web' });
  });

  it('every edge joins two nodes, ids are unique', () => {
    const ids = new Set(all.nodes.map((n) => n.id));
    expect(ids.size).toBe(all.nodes.length);
    for (const e of all.edges) {
      expect(ids.has(e.from)).toBe(true);
      expect(ids.has(e.to)).toBe(true);
    }
  });
});

describe('svg and html', () => {
  it('the detailed layout places every node inside the picture, Pods inside their Node box', async () => {
    const layout = await layoutTopology(all);
    expect(layout.view).toBe('detailed');
    expect(layout.nodes).toHaveLength(all.nodes.length);
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width + 0.5);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height + 0.5);
    }
    const pod = layout.nodes.find((n) => n.node.id === 'pod:shop/web-7d9f-1')!;
    const host = layout.groups.find((g) => g.id === 'group:host:shop/node-1')!;
    expect(pod.x).toBeGreaterThanOrEqual(host.x);
    expect(pod.y + pod.height).toBeLessThanOrEqual(host.y + host.height);
    expect(layout.edges).toHaveLength(all.edges.length);
  });

  it('svg: self-contained, with a legend and a title for every node', async () => {
    const svg = await renderSvg(all);
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.toMatch(/(href|src)=["']?https?:/);
    expect(svg).not.toMatch(/@import|url\(http/);
    expect(svg).toContain('source IP lost on this hop');
    expect(svg.match(/<g class="node k-/g)).toHaveLength(all.nodes.length);
    expect(svg).toContain('<g class="edge lost"');
  });

  it('html: one page with the svg, a filter box and zoom, no external resources', async () => {
    const html = await renderHtml(web);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<input id="filter"');
    expect(html).toContain('id="zoom-in"');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).toContain('Service shop/web');
  });
});
