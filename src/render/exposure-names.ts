// `exposectl list -o name`: `<kind>/<name>` per exposing object, as `kubectl get -o name`
// (no namespace, one line per object even when a Service gives two rows).
import type { Exposure } from '../model/exposure.js';
import { exposureName } from './exposure-table.js';

export function renderExposureNames(items: readonly Exposure[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of items) {
    const key = `${e.namespace ?? ''}/${e.kind}/${e.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(exposureName(e));
  }
  return lines.map((l) => `${l}\n`).join('');
}
