// The edit exposectl makes to Calico's shared BGPConfiguration `default`: add or remove
// its own CIDRs in spec.serviceLoadBalancerIPs, and nothing else. Pure: the change is
// computed from (the object as read, the CIDRs), the command sends it (src/expose/calico-config.ts).
//
// Why a JSON patch and not a server-side apply: Calico's CRD makes that list atomic (no
// list-type before v3.32, `atomic` since v3.32.1), so an apply would replace the whole
// list and, forced, take it over from the admin. A JSON patch appends or removes single
// entries instead; its first op tests the resourceVersion that was read, so a write by
// someone else in between fails the patch (the caller reads again and retries) rather
// than being overwritten.
//
// Which entries are exposectl's: the annotation CALICO_ADDED_ANNOTATION lists the CIDRs
// exposectl itself added. A CIDR that was already in the list (the admin's) is never
// recorded there, so it is never removed.
import { CALICO_API, CALICO_DEFAULT_CONFIG } from '../discover/calico.js';
import type { KubeObject } from '../model/kube-object.js';

/** On the default BGPConfiguration: the serviceLoadBalancerIPs CIDRs exposectl added (comma-separated). */
export const CALICO_ADDED_ANNOTATION = 'exposectl.dev/added-service-lb-ips';

/** One RFC 6902 operation, as the API server takes them (application/json-patch+json). */
export type JsonPatchOp =
  | { op: 'test' | 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

export interface CalicoConfigChange {
  /** The object to create (there is none yet); then `patch` is empty. */
  create?: KubeObject;
  /** The guarded JSON patch; empty when nothing changes (or when creating). */
  patch: JsonPatchOp[];
  /** The object as it will be once the change is made (undefined: there is none, and none is made). */
  result: KubeObject | undefined;
  /** CIDRs added to / removed from serviceLoadBalancerIPs. */
  added: string[];
  removed: string[];
}

const LIST = '/spec/serviceLoadBalancerIPs';
const ANNOTATION_PATH = `/metadata/annotations/${CALICO_ADDED_ANNOTATION.replaceAll('~', '~0').replaceAll('/', '~1')}`;

/** CIDRs compare case-insensitively (IPv6) and without surrounding blanks. */
const norm = (cidr: string) => cidr.trim().toLowerCase();

function entriesOf(obj: KubeObject | undefined): unknown[] {
  const list = obj?.spec?.serviceLoadBalancerIPs;
  return Array.isArray(list) ? list : [];
}

function cidrOf(entry: unknown): string | undefined {
  const cidr = (entry as { cidr?: unknown } | null)?.cidr;
  return typeof cidr === 'string' ? norm(cidr) : undefined;
}

/** The CIDRs the annotation says exposectl added. */
export function calicoAddedRanges(obj: KubeObject | undefined): string[] {
  const text = obj?.metadata.annotations?.[CALICO_ADDED_ANNOTATION] ?? '';
  return [...new Set(text.split(',').map(norm).filter(Boolean))];
}

/** The guard: the patch applies only to the object as it was read (a live object always has a resourceVersion). */
function guard(current: KubeObject): JsonPatchOp[] {
  const rv = current.metadata.resourceVersion;
  return rv ? [{ op: 'test', path: '/metadata/resourceVersion', value: rv }] : [];
}

/** Ops that set exposectl's annotation to `cidrs`, touching no other annotation. */
function annotationOps(current: KubeObject, cidrs: string[]): JsonPatchOp[] {
  const had = current.metadata.annotations?.[CALICO_ADDED_ANNOTATION] !== undefined;
  if (cidrs.length === 0) return had ? [{ op: 'remove', path: ANNOTATION_PATH }] : [];
  const value = cidrs.join(',');
  if (current.metadata.annotations) return [{ op: 'add', path: ANNOTATION_PATH, value }];
  return [{ op: 'add', path: '/metadata/annotations', value: { [CALICO_ADDED_ANNOTATION]: value } }];
}

function withChanges(current: KubeObject, entries: unknown[], added: string[]): KubeObject {
  const annotations = { ...(current.metadata.annotations ?? {}) };
  if (added.length > 0) annotations[CALICO_ADDED_ANNOTATION] = added.join(',');
  else delete annotations[CALICO_ADDED_ANNOTATION];
  const { serviceLoadBalancerIPs: _, ...spec } = current.spec ?? {};
  return {
    ...current,
    metadata: {
      ...current.metadata,
      ...(Object.keys(annotations).length > 0 || current.metadata.annotations ? { annotations } : {}),
    },
    spec: entries.length > 0 ? { ...spec, serviceLoadBalancerIPs: entries } : spec,
  };
}

/** Adds the `wanted` CIDRs that are not in serviceLoadBalancerIPs yet (and records them as exposectl's). */
export function calicoAddRanges(current: KubeObject | undefined, wanted: readonly string[]): CalicoConfigChange {
  const want = [...new Set(wanted.map(norm).filter(Boolean))];
  if (!current) {
    const create: KubeObject = {
      apiVersion: CALICO_API,
      kind: 'BGPConfiguration',
      metadata: { name: CALICO_DEFAULT_CONFIG, annotations: { [CALICO_ADDED_ANNOTATION]: want.join(',') } },
      spec: { serviceLoadBalancerIPs: want.map((cidr) => ({ cidr })) },
    };
    return { create, patch: [], result: create, added: want, removed: [] };
  }
  const entries = entriesOf(current);
  const have = new Set(entries.map(cidrOf));
  const missing = want.filter((c) => !have.has(c));
  if (missing.length === 0) return { patch: [], result: current, added: [], removed: [] };
  const newEntries = missing.map((cidr) => ({ cidr }));
  const listOps: JsonPatchOp[] = !current.spec
    ? [{ op: 'add', path: '/spec', value: { serviceLoadBalancerIPs: newEntries } }]
    : !Array.isArray(current.spec.serviceLoadBalancerIPs)
      ? [{ op: 'add', path: LIST, value: newEntries }]
      : newEntries.map((value) => ({ op: 'add' as const, path: `${LIST}/-`, value }));
  const recorded = [...new Set([...calicoAddedRanges(current), ...missing])];
  return {
    patch: [...guard(current), ...listOps, ...annotationOps(current, recorded)],
    result: withChanges(current, [...entries, ...newEntries], recorded),
    added: missing,
    removed: [],
  };
}

/**
 * Removes the `release` CIDRs that exposectl added (the annotation says so): one entry
 * each, the last, so that a copy the admin listed as well stays. Entries exposectl did
 * not add are never removed; a recorded CIDR no longer in the list leaves the annotation.
 */
export function calicoRemoveRanges(current: KubeObject | undefined, release: readonly string[]): CalicoConfigChange {
  if (!current) return { patch: [], result: undefined, added: [], removed: [] };
  const recorded = calicoAddedRanges(current);
  const drop = new Set(release.map(norm).filter((c) => recorded.includes(c)));
  if (drop.size === 0) return { patch: [], result: current, added: [], removed: [] };
  const entries = entriesOf(current);
  const indexes: number[] = [];
  for (const cidr of drop) {
    const i = entries.map(cidrOf).lastIndexOf(cidr);
    if (i >= 0) indexes.push(i);
  }
  indexes.sort((a, b) => b - a); // from the end, so each index still points at its entry
  const kept = entries.filter((_, i) => !indexes.includes(i));
  const listOps: JsonPatchOp[] =
    kept.length === 0 && indexes.length > 0
      ? [{ op: 'remove', path: LIST }]
      : indexes.map((i) => ({ op: 'remove' as const, path: `${LIST}/${i}` }));
  const stillRecorded = recorded.filter((c) => !drop.has(c));
  return {
    patch: [...guard(current), ...listOps, ...annotationOps(current, stillRecorded)],
    result: withChanges(current, kept, stillRecorded),
    added: [],
    removed: indexes.map((i) => cidrOf(entries[i])!).reverse(),
  };
}
