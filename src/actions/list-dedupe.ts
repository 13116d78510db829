// The same object (group, kind, namespace, name) read more than once from -f inputs, e.g.
// a base file and an overlay's copy of it, or two variants of one deploy.yaml: `list`
// shows it once (the first read) and warns, naming every place it was read. The snapshot
// itself keeps every copy, so that the analyzers still see what the files say.
//
// Why here, in the list action, and not when the snapshot is built (sources/): deduping
// at snapshot build changed what diagnose reports on the real-world corpus (a later copy
// that differs is a finding the analyzers must see, and the duplicate itself is one).
// Which copy to show is a question of `list`'s rows only, so the list action answers it.
import { groupOf, type KubeObject } from '../model/kube-object.js';
import type { Snapshot } from '../model/snapshot.js';

export interface Deduplicated {
  snapshot: Snapshot;
  /** One line per object read more than once, naming where. */
  warnings: string[];
}

/** The snapshot with only the first copy of each object; a cluster's snapshot is returned as is. */
export function withoutDuplicates(snapshot: Snapshot): Deduplicated {
  if (snapshot.source.kind !== 'files') return { snapshot, warnings: [] };
  const copies = new Map<string, KubeObject[]>();
  const firstOnly = (objects: KubeObject[]) =>
    objects.filter((o) => {
      const key = identity(o);
      const seen = copies.get(key);
      if (seen) seen.push(o);
      else copies.set(key, [o]);
      return !seen;
    });
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(snapshot)) {
    if (Array.isArray(value)) out[field] = firstOnly(value as KubeObject[]);
    else if (field === 'metallb' || field === 'cilium') {
      out[field] = Object.fromEntries(
        Object.entries(value as Record<string, KubeObject[]>).map(([k, v]) => [k, firstOnly(v)]),
      );
    } else out[field] = value; // source, origins
  }
  const warnings = [...copies.values()]
    .filter((c) => c.length > 1)
    .map((c) => {
      const places = c.map((o) => {
        const origin = snapshot.origins.get(o);
        return origin?.file ? `${origin.file}:${origin.line ?? 1}` : '?';
      });
      const times = c.length === 2 ? 'twice' : `${c.length} times`;
      return `${describe(c[0]!)} is defined ${times}: in ${places.slice(0, -1).join(', ')} and in ${places.at(-1)}; the first is used`;
    });
  return { snapshot: out as unknown as Snapshot, warnings };
}

function kindOf(o: KubeObject): string {
  const group = groupOf(o.apiVersion);
  return `${o.kind.toLowerCase()}${group ? `.${group}` : ''}`;
}

function identity(o: KubeObject): string {
  return `${kindOf(o)}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function describe(o: KubeObject): string {
  return `${kindOf(o)} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}
