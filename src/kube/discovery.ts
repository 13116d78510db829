// Which API groups, versions and resources the server serves, in one request
// (aggregated discovery, GA since Kubernetes 1.30; the plain group list before).
//
// Needed because the API server authorizes before it looks a resource up: a user
// who may not list a custom resource gets 403, not 404, when its CRD is not even
// installed. Without discovery, an absent Cilium would look like a permission
// problem to every read-only user. Discovery is open to every authenticated user.
import { debug } from '../util/debug.js';
import type { KubeClient } from './client.js';

export const DISCOVERY_ACCEPT = [
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  'application/json',
].join(',');

export interface ServedApis {
  /** "group/version" of every served group version ("" group not included: core is always served). */
  groupVersions: Set<string>;
  /** "group/version/plural" of every served resource; null when the server gave only the group list. */
  resources: Set<string> | null;
}

/** Whether a resource is served. Core (group "") is always assumed served. */
export function isServed(apis: ServedApis, group: string, version: string, plural: string): boolean {
  if (group === '') return true;
  if (apis.resources) return apis.resources.has(`${group}/${version}/${plural}`);
  return apis.groupVersions.has(`${group}/${version}`);
}

/** Reads /apis. Throws what client.request throws (map with mapKubeError). */
export async function discoverApis(client: KubeClient): Promise<ServedApis> {
  const body = await client.request<unknown>('/apis', { accept: DISCOVERY_ACCEPT });
  const apis = parseDiscovery(body);
  if (apis.groupVersions.size === 0) throw new Error('the API server listed no API groups');
  debug(
    `kube: discovery: ${apis.groupVersions.size} group versions${apis.resources ? `, ${apis.resources.size} resources` : ' (no resource lists: legacy discovery)'}`,
  );
  return apis;
}

/** Parses an APIGroupDiscoveryList (aggregated) or an APIGroupList (legacy). */
export function parseDiscovery(body: unknown): ServedApis {
  const groupVersions = new Set<string>();
  const b = (body ?? {}) as { kind?: unknown; items?: unknown; groups?: unknown };
  if (b.kind === 'APIGroupDiscoveryList' && Array.isArray(b.items)) {
    const resources = new Set<string>();
    for (const item of b.items as Array<{ metadata?: { name?: unknown }; versions?: unknown }>) {
      const group = item?.metadata?.name;
      if (typeof group !== 'string' || !Array.isArray(item.versions)) continue;
      for (const v of item.versions as Array<{ version?: unknown; resources?: unknown }>) {
        if (typeof v?.version !== 'string') continue;
        groupVersions.add(`${group}/${v.version}`);
        for (const r of Array.isArray(v.resources) ? (v.resources as Array<{ resource?: unknown }>) : []) {
          if (typeof r?.resource === 'string') resources.add(`${group}/${v.version}/${r.resource}`);
        }
      }
    }
    return { groupVersions, resources };
  }
  for (const g of Array.isArray(b.groups) ? (b.groups as Array<{ versions?: unknown }>) : []) {
    for (const v of Array.isArray(g?.versions) ? (g.versions as Array<{ groupVersion?: unknown }>) : []) {
      if (typeof v?.groupVersion === 'string') groupVersions.add(v.groupVersion);
    }
  }
  return { groupVersions, resources: null };
}
