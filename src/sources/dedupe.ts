// The same object (kind, namespace, name) read twice from -f inputs, e.g. a base file and
// an overlay's copy of it: the snapshot keeps the first and the commands warn, naming
// both places, as a list that shows the object twice would mislead (and `kubectl apply`
// would keep only one of them).
import type { KubeObject, Origin } from '../model/kube-object.js';
import { groupOf } from '../model/kube-object.js';
import type { Snapshot } from '../model/snapshot.js';

interface Seen {
  byKey: Map<string, Origin>;
  warnings: string[];
}

const seenBySnapshot = new WeakMap<Snapshot, Seen>();

/**
 * Is the object already in the snapshot (read before from another place)? The first
 * time, records it and answers false; after, records a warning naming both places.
 */
export function isDuplicate(snapshot: Snapshot, object: KubeObject, origin: Required<Origin>): boolean {
  let seen = seenBySnapshot.get(snapshot);
  if (!seen) {
    seen = { byKey: new Map(), warnings: [] };
    seenBySnapshot.set(snapshot, seen);
  }
  const group = groupOf(object.apiVersion);
  const kind = `${object.kind.toLowerCase()}${group ? `.${group}` : ''}`;
  const ns = object.metadata.namespace;
  const key = `${kind}/${ns ?? ''}/${object.metadata.name}`;
  const first = seen.byKey.get(key);
  if (!first) {
    seen.byKey.set(key, origin);
    return false;
  }
  const what = `${kind} ${ns ? `${ns}/` : ''}${object.metadata.name}`;
  seen.warnings.push(`${what} is defined twice: in ${first.file}:${first.line} and in ${origin.file}:${origin.line}; the first is used`);
  return true;
}

/** Warnings for the objects read more than once into this snapshot (none for a cluster). */
export function duplicateWarnings(snapshot: Snapshot): string[] {
  return [...(seenBySnapshot.get(snapshot)?.warnings ?? [])];
}
