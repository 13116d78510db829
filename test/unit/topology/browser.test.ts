/// <reference lib="dom" />
// The svg and html outputs opened in headless Chromium: every Service and Pod label is in
// the rendered page, nothing is fetched from the network, the html filter box and zoom
// work, and 1,000 Services stay readable (overview). Screenshots land in
// test-results/topology/ (gitignored) for a human to look at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCluster } from '../../../bench/topology-snapshot.ts';
import { discoverExposures } from '../../../src/discover/index.js';
import { kindInfoOf } from '../../../src/kube/kinds.js';
import { emptySnapshot, type Snapshot } from '../../../src/model/snapshot.js';
import type { Topology } from '../../../src/model/topology.js';
import { renderHtml } from '../../../src/render/topology/html.js';
import { renderSvg } from '../../../src/render/topology/svg.js';
import { readManifests } from '../../../src/sources/files.js';
import { buildTopology } from '../../../src/topology/build.js';
import { CORPUS, REPO_ROOT } from '../../helpers/cli.js';
import { type Browser, openBrowser } from './browser.js';

const OUT = join(REPO_ROOT, 'test-results/topology');
let browser: Browser;
let demo: Snapshot;
let corpus: Snapshot;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await openBrowser();
  demo = await readManifests([join(REPO_ROOT, 'examples/demo')], { defaultNamespace: 'default' });
  corpus = await readManifests([CORPUS], { defaultNamespace: 'default' });
}, 120_000);

afterAll(async () => {
  expect(browser?.blocked ?? []).toEqual([]);
  await browser?.close();
});

/** Writes the document, opens it, returns the page's text and saves a screenshot. */
async function open(name: string, text: string, fullPage = false): Promise<string> {
  const path = join(OUT, name);
  writeFileSync(path, text);
  await browser.page.goto(`file://${path}`);
  if (name.endsWith('.svg')) {
    // The whole picture (Chromium cannot take a full-page shot of an SVG document).
    const size = await browser.page.evaluate(() => ({
      w: document.documentElement.getAttribute('width'),
      h: document.documentElement.getAttribute('height'),
    }));
    await browser.page.setViewportSize({
      width: Math.min(4000, Number(size.w) || 1600),
      height: Math.min(3000, Number(size.h) || 1000),
    });
  }
  await browser.page.screenshot({ path: `${path}.png`, fullPage });
  await browser.page.setViewportSize({ width: 1600, height: 1000 });
  return browser.page.evaluate(() => document.documentElement.textContent ?? '');
}

function expectLabels(t: Topology, pageText: string): void {
  const missing = t.nodes
    .filter((n) => (n.kind === 'service' || n.kind === 'pod') && !pageText.includes(n.label))
    .map((n) => n.id);
  expect(missing).toEqual([]);
  expect(t.nodes.filter((n) => n.kind === 'pod').length).toBeGreaterThan(0);
}

describe.each([
  ['demo', () => buildTopology(demo)],
  ['demo-web', () => buildTopology(demo, { service: { namespace: 'shop', name: 'web' } })],
  ['corpus', () => buildTopology(corpus)],
])('%s', (name, topology) => {
  it('svg: every Service and Pod label in the rendered picture', async () => {
    const t = topology();
    const text = await open(`${name}.svg`, await renderSvg(t));
    expectLabels(t, text);
    expect(text).toContain('source IP lost on this hop');
  }, 120_000);

  it('html: every Service and Pod label in the rendered page', async () => {
    const t = topology();
    const text = await open(`${name}.html`, await renderHtml(t), false);
    expectLabels(t, text);
  }, 120_000);
});

describe('the shared corpus', () => {
  it('every exposure is drawn (svg)', async () => {
    const t = buildTopology(corpus);
    const text = await open('corpus-exposures.svg', await renderSvg(t), false);
    const missing = discoverExposures(corpus)
      .filter((e) => !text.includes(`${e.namespace ? `${e.namespace}/` : ''}${e.name}`))
      .map((e) => `${e.kind} ${e.namespace}/${e.name}`);
    expect(missing).toEqual([]);
  }, 120_000);
});

describe('html interactions', () => {
  it('the filter box dims what does not match, the buttons zoom', async () => {
    const t = buildTopology(demo);
    await open('demo-filter.html', await renderHtml(t), false);
    const page = browser.page;
    await page.fill('#filter', 'api');
    const counts = await page.evaluate(() => ({
      dim: document.querySelectorAll('.node.dim').length,
      lit: document.querySelectorAll('[data-search]:not(.dim)').length,
      count: document.getElementById('count')?.textContent,
    }));
    expect(counts.lit).toBeGreaterThan(0);
    expect(counts.dim).toBeGreaterThan(0);
    expect(counts.count).toMatch(/\d+ match/);
    await page.screenshot({ path: join(OUT, 'demo-filter.html.filtered.png') });
    const before = await page.evaluate(() => document.querySelector('svg.topology')?.getAttribute('viewBox'));
    await page.click('#zoom-in');
    const after = await page.evaluate(() => document.querySelector('svg.topology')?.getAttribute('viewBox'));
    expect(after).not.toBe(before);
    await page.click('#zoom-reset');
    expect(await page.evaluate(() => document.querySelector('svg.topology')?.getAttribute('viewBox'))).toBe(before);
  }, 120_000);
});

describe('1,000 Services and 10,000 Pods', () => {
  it('the overview names every Service and Pod, per namespace', async () => {
    const cluster = generateCluster({ services: 1000, podsPerService: 10, nodes: 20 });
    const s = emptySnapshot({ kind: 'files', description: 'generated' });
    for (const o of cluster.items) {
      const info = kindInfoOf(String(o.apiVersion), String(o.kind));
      if (info && (!info.keep || info.keep(o as never))) info.add(s, o as never);
    }
    const t = buildTopology(s);
    expect(t.nodes.filter((n) => n.kind === 'service')).toHaveLength(1000);
    const html = await renderHtml(t);
    const text = await open('scale-1000.html', html, false);
    expectLabels(t, text);
    expect(text).toContain('namespace team-049');
    // A closer look at one corner, for the screenshot.
    await browser.page.click('#zoom-in');
    await browser.page.click('#zoom-in');
    await browser.page.click('#zoom-in');
    await browser.page.screenshot({ path: join(OUT, 'scale-1000.zoomed.png') });
  }, 180_000);
});
