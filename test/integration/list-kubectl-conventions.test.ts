// list's kubectl conventions against the real API server: -w writes one document per change
// (a Service created while it watches appears), -l selects by the labels of the exposing
// object, and -o custom-columns lays out as kubectl's on the same objects.
import { describe, expect, it } from 'vitest';
import { parseCustomColumns, renderCustomColumns } from '../../src/render/custom-columns.js';
import { runCli, startCli } from '../helpers/cli.js';
import { kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

const ns = useNamespace('list-conventions');

interface ListDoc {
  items: Array<{ name: string; mode: string }>;
}

/** The JSON documents written one after the other so far (the last may be incomplete). */
function documents(text: string): ListDoc[] {
  const docs: ListDoc[] = [];
  for (const chunk of text.split(/(?<=^\})\n/m)) {
    try {
      docs.push(JSON.parse(chunk) as ListDoc);
    } catch {
      // still being written
    }
  }
  return docs;
}

describe('list -w against the real API server', () => {
  it('writes a JSON document when a Service appears, and one only when something changed', async () => {
    const child = startCli(['list', '-w', '-o', 'json', '-n', ns.name, '--kubeconfig', testCluster().kubeconfig]);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    try {
      await waitUntil('the first document', () => documents(out).length >= 1, { timeoutMs: 30_000 });
      expect(documents(out)[0]!.items).toEqual([]);
      // Several reads of an unchanged namespace: still one document.
      await new Promise((r) => setTimeout(r, 5000));
      expect(documents(out)).toHaveLength(1);
      await kubectl(['create', 'service', 'nodeport', 'watched', '--tcp=80:8080', '-n', ns.name]);
      const doc = await waitUntil(
        'a document with the new Service',
        () => documents(out).find((d) => d.items.some((i) => i.name === 'watched')),
        { timeoutMs: 30_000 },
      );
      expect(doc.items).toMatchObject([{ name: 'watched', mode: 'nodeport' }]);
      // The document right after the empty one is the one with the Service (its EndpointSlice may give one more later).
      expect(documents(out)[1]!.items.map((i) => i.name)).toEqual(['watched']);
    } finally {
      child.kill('SIGINT');
      await child;
    }
    expect(out).not.toMatch(/error/);
  });
});

describe('list -l and -o custom-columns against the real API server', () => {
  it('selects by the labels of the Service, with set-based selectors', async () => {
    await kubectl(['create', 'service', 'nodeport', 'front', '--tcp=80:8080', '-n', ns.name]);
    await kubectl(['label', 'service', 'front', 'tier=frontend', 'team=shop', '-n', ns.name]);
    await kubectl(['create', 'service', 'nodeport', 'back', '--tcp=81:8081', '-n', ns.name]);
    await kubectl(['label', 'service', 'back', 'tier=backend', '-n', ns.name]);
    const names = async (selector: string) => {
      const r = await runCli([
        'list',
        '-n',
        ns.name,
        '--kubeconfig',
        testCluster().kubeconfig,
        '-l',
        selector,
        '-o',
        'name',
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      return r.stdout.split('\n').filter(Boolean).sort();
    };
    expect(await names('tier=frontend')).toEqual(['service/front']);
    expect(await names('tier in (frontend,backend)')).toEqual(['service/back', 'service/front']);
    expect(await names('tier notin (frontend)')).toContain('service/back');
    expect(await names('tier notin (frontend)')).not.toContain('service/front');
    expect(await names('!team,tier')).toEqual(['service/back']);
    // kubectl's own answer for the same selectors on the same objects.
    const kubectlNames = async (selector: string) =>
      (await kubectl(['get', 'services', '-n', ns.name, '-l', selector, '-o', 'name'])).stdout
        .split('\n')
        .filter(Boolean)
        .sort();
    for (const selector of ['tier=frontend', 'tier in (frontend,backend)', '!team,tier', 'team!=shop,tier']) {
      expect(await names(selector), selector).toEqual(
        (await kubectlNames(selector)).filter((n) => n !== 'service/watched'),
      );
    }
  });

  it.each([
    'NAME:.metadata.name,TYPE:.spec.type,PORTS:.spec.ports[*].port',
    'N:{.metadata.name},L:.metadata.labels.tier,P:.spec.ports,NONE:.status.loadBalancer.ingress',
  ])('custom-columns=%s prints what kubectl prints for the same Services', async (spec) => {
    await waitUntil(
      'the labelled Services',
      async () => (await kubectl(['get', 'service', 'front', '-n', ns.name], { allowFailure: true })).exitCode === 0,
    );
    const list = await kubectlJson<{ items: unknown[] }>([
      'get',
      'services',
      '-n',
      ns.name,
      '-l',
      'tier',
      '-o',
      'json',
    ]);
    const theirs = (await kubectl(['get', 'services', '-n', ns.name, '-l', 'tier', '-o', `custom-columns=${spec}`]))
      .stdout;
    expect(renderCustomColumns(parseCustomColumns(spec), list.items).trimEnd()).toBe(theirs.trimEnd());
  });
});
