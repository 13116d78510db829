// `topology -o json`: the Topology document (schema: schemas/topology.schema.json).
import type { Topology } from '../../model/topology.js';
import { toJson } from '../json.js';

export function renderTopologyJson(t: Topology): string {
  return toJson(t);
}
