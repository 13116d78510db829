// Builds Snapshots from the shared corpus for the discovery tests: files are read in
// place (never copied), parsed with the yaml package, and placed with the kinds table.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { kindInfoOf } from '../../../src/kube/kinds.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { emptySnapshot, type Snapshot } from '../../../src/model/snapshot.js';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../../..');
export const CORPUS = resolve(REPO_ROOT, '../shared/corpus');

/** Every YAML/JSON file under the corpus, relative to it, sorted. */
export function corpusFiles(dir = CORPUS): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(name)) out.push(relative(CORPUS, p));
    }
  };
  walk(dir);
  return out;
}

function objectsOf(value: unknown): KubeObject[] {
  if (!value || typeof value !== 'object') return [];
  const o = value as KubeObject;
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items))
    return (o.items as unknown[]).flatMap(objectsOf);
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return [];
  return [{ ...o, metadata: o.metadata ?? {} }];
}

/** One snapshot (source: files) holding the objects of the given corpus files (relative paths or directories). */
export function corpusSnapshot(...paths: string[]): Snapshot {
  const files = paths.flatMap((p) => {
    const abs = resolve(CORPUS, p);
    return statSync(abs).isDirectory() ? corpusFiles(abs) : [p];
  });
  const snapshot = emptySnapshot({ kind: 'files', description: files.join(',') });
  // What the input held, as the file reader records it (src/discover/completeness.ts reads it).
  const inventory = { kinds: new Map<string, Set<string>>(), export: false, completeness: 'auto' as const };
  snapshot.inventory = inventory;
  for (const file of files) {
    const text = readFileSync(resolve(CORPUS, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const value = doc.toJS();
      if (value?.kind === 'List' && Array.isArray(value.items)) inventory.export = true;
      for (const obj of objectsOf(value)) {
        const info = kindInfoOf(obj.apiVersion, obj.kind);
        if (!info) continue;
        const key = `${info.group}/${info.kind}`;
        const namespace = info.namespaced ? String(obj.metadata.namespace || 'default') : '';
        inventory.kinds.set(key, (inventory.kinds.get(key) ?? new Set<string>()).add(namespace));
        if (info.keep && !info.keep(obj)) continue;
        info.add(snapshot, obj);
        snapshot.origins.set(obj, { file });
      }
    }
  }
  return snapshot;
}
