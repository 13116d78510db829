// The file source must not load @kubernetes/client-node at run time (it costs ~400 ms
// of start-up): walk the static import graph from files.ts and refuse value imports.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const SRC = path.resolve(__dirname, '../../../src');

function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'"]*?)\s*from\s+['"]([^'"]+)['"]/gm)) {
    if (m[2]) continue; // import type / export type: erased
    specs.push(m[4]!);
  }
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(`dynamic:${m[1]}`);
  return specs;
}

function staticOffenders(entry: string): { seen: Set<string>; offenders: string[] } {
  const seen = new Set<string>();
  const offenders: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of valueImports(file)) {
      if (spec.startsWith('dynamic:')) continue;
      if (spec.includes('@kubernetes/client-node')) offenders.push(`${path.relative(SRC, file)} -> ${spec}`);
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
    }
  };
  visit(entry);
  return { seen, offenders };
}

test('the cluster source and kubeconfig resolution load @kubernetes/client-node only on demand (dynamic import)', () => {
  const { seen, offenders } = staticOffenders(path.join(SRC, 'sources/cluster.ts'));
  expect(seen.has(path.join(SRC, 'kube/client.ts'))).toBe(true);
  expect(offenders).toEqual([]);
  const clientNode = new Set(
    valueImports(path.join(SRC, 'kube/client.ts')).filter((s) => s.includes('@kubernetes/client-node')),
  );
  // Dynamic, and only the modules used: the package index also loads ~700 generated API models (about a second of CPU).
  expect([...clientNode].sort()).toEqual([
    'dynamic:@kubernetes/client-node/dist/config.js',
    'dynamic:@kubernetes/client-node/dist/gen/http/http.js',
    'dynamic:@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js',
  ]);
});

test('readManifests never imports @kubernetes/client-node', () => {
  const seen = new Set<string>();
  const offenders: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of valueImports(file)) {
      if (spec.includes('@kubernetes/client-node')) offenders.push(`${path.relative(SRC, file)} -> ${spec}`);
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
    }
  };
  visit(path.join(SRC, 'sources/files.ts'));
  expect(seen.size).toBeGreaterThan(3);
  expect(offenders).toEqual([]);
});
