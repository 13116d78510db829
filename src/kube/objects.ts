// One-object API operations for the objects exposectl writes: GET, server-side apply
// (field manager exposectl, the apply patch type) and DELETE. Paths come from the
// shared kinds table, so every kind exposectl generates is also a kind it reads.

import { type KubeObject, refOf } from '../model/kube-object.js';
import { UsageError } from '../util/errors.js';
import type { KubeClient } from './client.js';
import { KubeApiError, mapKubeError, type RequestDescription } from './errors.js';
import { KINDS, type KindInfo, kindInfoOf } from './kinds.js';
import { resourceName } from './list.js';

export const APPLY_PATCH_CONTENT_TYPE = 'application/apply-patch+yaml';
export const JSON_PATCH_CONTENT_TYPE = 'application/json-patch+json';

export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
}

function infoOf(key: Pick<ObjectKey, 'apiVersion' | 'kind'>): KindInfo {
  const info = kindInfoOf(key.apiVersion, key.kind);
  if (!info) throw new UsageError(`exposectl does not know how to write ${key.kind} (${key.apiVersion})`);
  return info;
}

/** The API path of one object: /api/v1/namespaces/ns/services/name, /apis/group/version/... */
export function objectPath(key: ObjectKey): string {
  const info = infoOf(key);
  const base = info.group ? `/apis/${key.apiVersion}` : `/api/${key.apiVersion}`;
  const ns = info.namespaced ? `/namespaces/${encodeURIComponent(key.namespace ?? 'default')}` : '';
  return `${base}${ns}/${info.plural}/${encodeURIComponent(key.name)}`;
}

export function keyOf(obj: KubeObject): ObjectKey {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name ?? '',
  };
}

function describe(client: KubeClient, verb: string, key: ObjectKey): RequestDescription {
  const info = infoOf(key);
  return {
    verb,
    resource: resourceName(info),
    namespace: info.namespaced ? key.namespace : undefined,
    namespaced: info.namespaced,
    name: key.name,
    server: client.server,
    contextName: client.contextName,
    userName: client.userName,
    timeoutMs: client.requestTimeoutMs,
  };
}

/** The object, or undefined when it does not exist (or its kind is not served). */
export async function getObject(client: KubeClient, key: ObjectKey): Promise<KubeObject | undefined> {
  try {
    const obj = await client.request<KubeObject>(objectPath(key));
    return { ...obj, apiVersion: obj.apiVersion ?? key.apiVersion, kind: obj.kind ?? key.kind };
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 404) return undefined;
    throw mapKubeError(err, describe(client, 'get', key));
  }
}

export interface ApplyOptions {
  /** Server-side dry run: the API server validates and defaults, nothing is stored. */
  dryRun?: boolean;
  /** Take over fields owned by other field managers (--force-conflicts). */
  forceConflicts?: boolean;
  fieldManager: string;
}

/** Server-side apply of one object; returns what the server stored (or would store). */
export async function applyObject(client: KubeClient, obj: KubeObject, opts: ApplyOptions): Promise<KubeObject> {
  const key = keyOf(obj);
  try {
    return await client.request<KubeObject>(objectPath(key), {
      method: 'PATCH',
      contentType: APPLY_PATCH_CONTENT_TYPE,
      body: obj,
      query: {
        fieldManager: opts.fieldManager,
        force: opts.forceConflicts ? true : undefined,
        dryRun: opts.dryRun ? 'All' : undefined,
      },
    });
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 409) {
      throw new UsageError(
        `${refOf(key)}: fields are managed by another field manager: ${oneLineConflict(err.apiMessage ?? 'conflict')}`,
        're-run with --force-conflicts to take those fields over (the other manager may change them back)',
        { cause: err },
      );
    }
    if (err instanceof KubeApiError && (err.status === 422 || err.status === 400)) {
      throw new UsageError(
        `${refOf(key)} was rejected by the API server: ${err.apiMessage ?? err.message}`,
        undefined,
        { cause: err },
      );
    }
    throw mapKubeError(err, describe(client, 'patch', key));
  }
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager: string;
}

/** Creates one object (POST to its collection); returns what the server stored (or would store). */
export async function createObject(client: KubeClient, obj: KubeObject, opts: WriteOptions): Promise<KubeObject> {
  const key = keyOf(obj);
  const path = objectPath(key);
  try {
    return await client.request<KubeObject>(path.slice(0, path.lastIndexOf('/')), {
      method: 'POST',
      body: obj,
      query: { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined },
    });
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 409) throw err; // AlreadyExists: the caller reads again
    throw mapKubeError(err, describe(client, 'create', key));
  }
}

/**
 * An RFC 6902 JSON patch of one object. A failed `test` op comes back as the KubeApiError
 * (422) for the caller to tell from a rejection; other failures are mapped.
 */
export async function jsonPatchObject(
  client: KubeClient,
  key: ObjectKey,
  ops: readonly unknown[],
  opts: WriteOptions,
): Promise<KubeObject> {
  try {
    return await client.request<KubeObject>(objectPath(key), {
      method: 'PATCH',
      contentType: JSON_PATCH_CONTENT_TYPE,
      body: ops,
      query: { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined },
    });
  } catch (err) {
    if (err instanceof KubeApiError && (err.status === 422 || err.status === 409)) throw err;
    throw mapKubeError(err, describe(client, 'patch', key));
  }
}

/** The API server lists several conflicting fields one per line ("- .spec.x"): one line, comma-separated. */
export function oneLineConflict(message: string): string {
  const [head = '', ...fields] = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return fields.length === 0 ? head : `${head} ${fields.map((f) => f.replace(/^-\s*/, '')).join(', ')}`;
}

/** Deletes one object; a missing object counts as deleted. */
export async function deleteObject(
  client: KubeClient,
  key: ObjectKey,
  opts: { dryRun?: boolean } = {},
): Promise<boolean> {
  try {
    await client.request(objectPath(key), { method: 'DELETE', query: { dryRun: opts.dryRun ? 'All' : undefined } });
    return true;
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 404) return false;
    throw mapKubeError(err, describe(client, 'delete', key));
  }
}

/** The kinds exposectl may create, for listing what it owns. */
export function writableKinds(): KindInfo[] {
  const written = new Set([
    'Service',
    'ConfigMap',
    'DaemonSet',
    'Ingress',
    'Gateway',
    'HTTPRoute',
    'TCPRoute',
    'TLSRoute',
    'UDPRoute',
    'IPAddressPool',
    'L2Advertisement',
    'BGPAdvertisement',
    'BGPPeer',
    'IPPool',
  ]);
  // Calico's BGPPeer shares MetalLB's kind name and Istio's Gateway the Gateway API's:
  // exposectl writes only Calico's IPPool, and nothing of Istio's.
  return KINDS.filter(
    (k) =>
      written.has(k.kind) &&
      !(k.group === 'crd.projectcalico.org' && k.kind !== 'IPPool') &&
      k.group !== 'networking.istio.io',
  );
}
