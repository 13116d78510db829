// Records which kinds an analyzer reads, as istio's analyzer tests hook the collection
// reader: the snapshot and the discovery context an analyzer gets are proxies that note each
// collection touched. Each run gets fresh proxies, so caches keyed by the snapshot or the
// context (WeakMaps) never hide a read made by an earlier analyzer.
import { SNAPSHOT_KINDS } from '../../../src/analyzers/catalogue/kinds.js';
import type { Analyzer, Clock, Facts } from '../../../src/analyzers/types.js';
import { buildContext, type DiscoveryContext } from '../../../src/discover/context.js';
import type { Finding } from '../../../src/model/finding.js';
import type { Snapshot } from '../../../src/model/snapshot.js';

/** Context fields and the kind each is built from; `live` and `snapshot` carry no kind of their own. */
const CONTEXT_KINDS: Record<string, string | null> = {
  snapshot: null,
  live: null,
  facts: null,
  inventory: null,
  nodesKnown: 'Node',
  services: 'Service',
  slicesByService: 'EndpointSlice',
  podsByNamespace: 'Pod',
  pods: 'Pod',
  nodes: 'Node',
  nodePortAddresses: 'Node',
};
const NOT_KINDS = new Set(['source', 'origins', 'inventory']);

function recording<T extends object>(target: T, kinds: Record<string, unknown>, read: Set<string>): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      const value = Reflect.get(t, key, receiver);
      if (typeof key !== 'string' || NOT_KINDS.has(key)) return value;
      const kind = kinds[key];
      if (typeof kind === 'string') read.add(kind);
      else if (kind && typeof kind === 'object' && value && typeof value === 'object')
        return recording(value as object, kind as Record<string, unknown>, read);
      else if (kind === undefined) read.add(`?snapshot.${key}`);
      return value;
    },
  });
}

export interface RecordedRun {
  findings: Finding[];
  /** Kinds read; a `?`-prefixed entry is a field the recorder cannot map to a kind (extend kinds.ts or CONTEXT_KINDS). */
  kinds: Set<string>;
}

/** Runs one analyzer over a snapshot with recording proxies; the probes and the rest of the facts as given. */
export function runRecorded(
  analyzer: Analyzer,
  snapshot: Snapshot,
  clock: Clock,
  facts: Partial<Facts> = {},
): RecordedRun {
  const kinds = new Set<string>();
  const real = buildContext(snapshot);
  const watchedSnapshot = recording(snapshot, SNAPSHOT_KINDS as unknown as Record<string, unknown>, kinds);
  const ctx = new Proxy(real, {
    get(t, key, receiver) {
      if (key === 'snapshot') return watchedSnapshot;
      const value = Reflect.get(t, key, receiver);
      if (typeof key === 'string') {
        const kind = CONTEXT_KINDS[key];
        if (kind) kinds.add(kind);
        else if (kind === undefined) kinds.add(`?ctx.${key}`);
      }
      return value;
    },
  }) as DiscoveryContext;
  const findings = analyzer.analyze({ probes: {}, ...facts, snapshot: watchedSnapshot, ctx }, clock);
  return { findings, kinds };
}
