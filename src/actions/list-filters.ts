// Which exposures `list` shows: the namespace asked for, the --mode, and the -l selector,
// which reads the labels of the exposing object (the Service, Ingress, Gateway, route or
// workload of the row), as `kubectl get -l` reads the labels of what it lists.
import type { Exposure } from '../model/exposure.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Snapshot } from '../model/snapshot.js';
import { matchesLabels, type Requirement } from '../util/label-selector.js';

export interface ExposureFilter {
  namespace?: string;
  mode?: string;
  selector?: Requirement[];
}

export function filterExposures(items: readonly Exposure[], snapshot: Snapshot, filter: ExposureFilter): Exposure[] {
  const labelsOf = filter.selector ? exposingObjectLabels(snapshot) : undefined;
  return items.filter(
    (e) =>
      (filter.namespace === undefined || e.namespace === filter.namespace || e.namespace === null) &&
      (filter.mode === undefined || e.mode === filter.mode) &&
      (labelsOf === undefined || matchesLabels(filter.selector!, labelsOf(e))),
  );
}

/** The labels of the object that makes each exposure, looked up by kind, namespace and name. */
function exposingObjectLabels(snapshot: Snapshot): (e: Exposure) => Record<string, string> {
  const key = (kind: string, namespace: string | null | undefined, name: string | undefined) =>
    `${kind}/${namespace ?? ''}/${name ?? ''}`;
  const objects: KubeObject[] = [
    ...(snapshot.services as KubeObject[]),
    ...(snapshot.ingresses as KubeObject[]),
    ...(snapshot.workloads as KubeObject[]),
    ...snapshot.gateways,
    ...snapshot.routes,
  ];
  const labels = new Map<string, Record<string, string>>();
  for (const o of objects) {
    const k = key(o.kind, o.metadata.namespace, o.metadata.name);
    if (!labels.has(k)) labels.set(k, stringLabels(o.metadata.labels));
  }
  return (e) => labels.get(key(e.kind, e.namespace, e.name)) ?? {};
}

/** Labels as the API server would hold them: a file may give `tier: 1` (a number) or no map at all. */
function stringLabels(labels: unknown): Record<string, string> {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return {};
  return Object.fromEntries(
    Object.entries(labels)
      .filter(([, v]) => v !== null && typeof v !== 'object')
      .map(([k, v]) => [k, String(v)]),
  );
}
