/// <reference lib="dom" />
// The mermaid and dot outputs go through the real parsers: Mermaid (its own dist bundle,
// loaded from node_modules into headless Chromium: it needs a DOM; never a CDN) and
// Graphviz (`dot -Tsvg`). For the demo, each Service of it, and the shared corpus.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '../../../src/model/topology.js';
import { renderDot } from '../../../src/render/topology/dot.js';
import { renderMermaid } from '../../../src/render/topology/mermaid.js';
import { readManifests } from '../../../src/sources/files.js';
import { buildTopology } from '../../../src/topology/build.js';
import { CORPUS, REPO_ROOT } from '../../helpers/cli.js';
import { type Browser, openBrowser, requireDot } from './browser.js';

const MERMAID_BUNDLE = join(REPO_ROOT, 'node_modules/mermaid/dist/mermaid.min.js');

const cases: Array<[string, () => Topology]> = [];
let demo: Awaited<ReturnType<typeof readManifests>>;
let corpus: Awaited<ReturnType<typeof readManifests>>;

beforeAll(async () => {
  demo = await readManifests([join(REPO_ROOT, 'examples/demo')], { defaultNamespace: 'default' });
  corpus = await readManifests([CORPUS], { defaultNamespace: 'default' });
}, 120_000);

cases.push(
  ['demo: every exposure', () => buildTopology(demo)],
  ['demo: shop/web', () => buildTopology(demo, { service: { namespace: 'shop', name: 'web' } })],
  ['demo: shop/api', () => buildTopology(demo, { service: { namespace: 'shop', name: 'api' } })],
  ['shared corpus: every exposure', () => buildTopology(corpus)],
);

describe('Graphviz accepts the dot output', () => {
  it.each(cases)('%s', (_, topology) => {
    requireDot();
    const t = topology();
    const svg = execFileSync('dot', ['-Tsvg'], {
      input: renderDot(t),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    expect(svg).toMatch(/<svg /);
    const text = svg
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    for (const n of t.nodes.filter((x) => x.kind === 'service')) expect(text).toContain(`Service ${n.label}`);
  });
});

describe('Mermaid accepts the mermaid output', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
    await browser.page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
    await browser.page.addScriptTag({ path: MERMAID_BUNDLE });
    await browser.page.evaluate(() => {
      const w = window as unknown as {
        mermaid?: { initialize(c: object): void };
        __esbuild_esm_mermaid_nm?: { mermaid: { default: unknown } };
      };
      w.mermaid ??= w.__esbuild_esm_mermaid_nm?.mermaid.default as typeof w.mermaid;
      w.mermaid!.initialize({ startOnLoad: false, securityLevel: 'strict', flowchart: { htmlLabels: false } });
    });
  }, 60_000);
  afterAll(async () => {
    expect(browser?.blocked ?? []).toEqual([]);
    await browser?.close();
  });

  it.each(cases)(
    '%s',
    async (_, topology) => {
      const t = topology();
      const text = renderMermaid(t);
      const result = await browser.page.evaluate(async (src) => {
        const m = (
          window as unknown as {
            mermaid: { parse(s: string): Promise<unknown>; render(id: string, s: string): Promise<{ svg: string }> };
          }
        ).mermaid;
        try {
          const parsed = await m.parse(src);
          const { svg } = await m.render(`g${Math.floor(Math.random() * 1e9)}`, src);
          return { ok: true, parsed: Boolean(parsed), svg };
        } catch (err) {
          return { ok: false, error: String((err as Error)?.message ?? err) };
        }
      }, text);
      expect(result.error).toBeUndefined();
      expect(result.ok).toBe(true);
      // The rendered diagram carries the Service labels.
      for (const n of t.nodes.filter((x) => x.kind === 'service')) expect(result.svg).toContain(`Service ${n.label}`);
    },
    60_000,
  );
});
