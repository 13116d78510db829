// Paginated lists of any kind of the kinds table, in one namespace, all namespaces,
// or at the cluster scope. Pages of 500 (`limit`/`continue`) are handed to the
// caller one by one, so memory holds the result and one page, never a whole raw
// list. A kind whose API version is not served (404: CRD not installed) is simply
// absent: the versions of the KindInfo are tried in order, and none served is not
// an error.
//
// Faults end in an error, never in a short or endless list (docs/reliability.md): an
// answer that is not a list (no `items` array), a `continue` token the server already
// gave, more than MAX_LIST_PAGES pages or MAX_LIST_OBJECTS objects, and a 404 that is
// not the API server's own Status (a proxy's page) are RuntimeErrors. A page over the
// size limit for one answer is asked again in smaller pages before giving up.

import type { KubeObject } from '../model/kube-object.js';
import { debug } from '../util/debug.js';
import { RuntimeError } from '../util/errors.js';
import type { KubeClient } from './client.js';
import {
  KubeApiError,
  KubeBadResponseError,
  KubeResponseTooLargeError,
  mapKubeError,
  type RequestDescription,
} from './errors.js';
import type { KindInfo } from './kinds.js';

export const PAGE_SIZE = 500;
/** 10,000 pages of 500: far above Kubernetes' tested limits (150,000 Pods per cluster). */
export const MAX_LIST_PAGES = 10_000;
/** Objects of one kind (memory stays bounded whatever the server sends). */
export const MAX_LIST_OBJECTS = 300_000;
/** Metadata only (kubectl's own Accept for this), falling back to full objects on servers that cannot. */
export const METADATA_ONLY_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

export interface ListOptions {
  /** A namespace; undefined: all namespaces (ignored for cluster-scoped kinds). */
  namespace?: string;
  pageSize?: number;
  fieldSelector?: string;
  labelSelector?: string;
  /** Ask only for metadata (Secrets: the data never leaves the server). */
  metadataOnly?: boolean;
  /** The versions to try, in order (default: the KindInfo's); [] means none is served: absent, no request. */
  versions?: readonly string[];
}

export interface ListResult {
  /** The API version that answered, or null when no version of the kind is served (absent CRD). */
  version: string | null;
  count: number;
  pages: number;
}

/** The resource name used in messages and RBAC: "services", "ipaddresspools.metallb.io". */
export function resourceName(info: Pick<KindInfo, 'plural' | 'group'>): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

/** The collection path of a kind at one version. */
export function collectionPath(
  info: Pick<KindInfo, 'group' | 'plural' | 'namespaced'>,
  version: string,
  namespace: string | undefined,
): string {
  const base = info.group ? `/apis/${info.group}/${version}` : `/api/${version}`;
  const ns = info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.plural}`;
}

export function describeList(client: KubeClient, info: KindInfo, namespace: string | undefined): RequestDescription {
  const req: RequestDescription = {
    verb: 'list',
    resource: resourceName(info),
    namespaced: info.namespaced,
    server: client.server,
    contextName: client.contextName,
  };
  if (info.namespaced && namespace !== undefined) req.namespace = namespace;
  if (client.userName !== undefined) req.userName = client.userName;
  if (client.requestTimeoutMs !== undefined) req.timeoutMs = client.requestTimeoutMs;
  return req;
}

interface ListBody {
  kind?: unknown;
  items?: unknown[] | null;
  metadata?: { continue?: string };
}

/** An items array; or no items at all in a body whose kind says it is a list (an empty typed list). */
function isList(body: ListBody): boolean {
  return (
    Array.isArray(body.items) || (body.items == null && typeof body.kind === 'string' && body.kind.endsWith('List'))
  );
}

/**
 * Lists every object of a kind, page by page, calling onPage with each page's
 * objects (apiVersion and kind set, managedFields dropped). Failures other than
 * "not served" are mapped to one clear ExposectlError (mapKubeError).
 */
export async function listKind(
  client: KubeClient,
  info: KindInfo,
  opts: ListOptions,
  onPage: (objects: KubeObject[]) => void,
): Promise<ListResult> {
  const namespace = info.namespaced ? opts.namespace : undefined;
  const req = describeList(client, info, namespace);
  const versions = opts.versions ?? info.versions;
  for (const version of versions) {
    const path = collectionPath(info, version, namespace);
    const apiVersion = info.group ? `${info.group}/${version}` : version;
    let token: string | undefined;
    let pages = 0;
    let count = 0;
    let restarted = false;
    let limit = opts.pageSize ?? PAGE_SIZE;
    const seenTokens = new Set<string>();
    try {
      for (;;) {
        let body: ListBody;
        try {
          body = await client.request<ListBody>(path, {
            query: { limit, continue: token, fieldSelector: opts.fieldSelector, labelSelector: opts.labelSelector },
            ...(opts.metadataOnly ? { accept: METADATA_ONLY_ACCEPT } : {}),
          });
        } catch (err) {
          // A page too large to hold (huge ConfigMaps): the same page again, smaller.
          if (err instanceof KubeResponseTooLargeError && limit > 1) {
            limit = Math.max(1, Math.floor(limit / 10));
            debug(`kube: list ${req.resource}: page too large, asking again with limit=${limit}`);
            continue;
          }
          // 410 Gone: the continue token expired while paging. The Status may carry a token
          // to go on with (an inconsistent but complete-enough list); else give up clearly.
          if (err instanceof KubeApiError && err.status === 410 && token !== undefined && !restarted) {
            const next = (err.body as ListBody | undefined)?.metadata?.continue;
            if (next) {
              restarted = true;
              token = next;
              debug(`kube: list ${req.resource}: continue token expired, going on with the server's new token`);
              continue;
            }
            throw new RuntimeError(
              `the list of ${req.resource} changed too much while it was read page by page (410 Gone)`,
              'try again',
              { cause: err },
            );
          }
          throw err;
        }
        pages++;
        if (!isList(body)) {
          throw new KubeBadResponseError(
            'the JSON is not a list (no "items" array)',
            `GET ${client.server}${path}`,
            200,
            'application/json',
            JSON.stringify(body).slice(0, 200),
          );
        }
        const objects: KubeObject[] = [];
        for (const item of body.items ?? []) {
          if (typeof item !== 'object' || item === null) continue;
          const object = item as KubeObject;
          // Items of typed lists carry no apiVersion/kind; metadata-only items say PartialObjectMetadata.
          object.apiVersion = apiVersion;
          object.kind = info.kind;
          object.metadata ??= {};
          delete object.metadata.managedFields;
          objects.push(object);
        }
        count += objects.length;
        if (count > MAX_LIST_OBJECTS) {
          throw new RuntimeError(
            `the list of ${req.resource} from ${client.server} has more than ${MAX_LIST_OBJECTS} objects; exposectl stopped reading it`,
            'narrow the request with -n NAMESPACE; see docs/reliability.md for the limits',
          );
        }
        onPage(objects);
        token = body.metadata?.continue || undefined;
        if (token !== undefined) {
          if (seenTokens.has(token)) {
            throw new RuntimeError(
              `the API server at ${client.server} sent the same continue token twice while listing ${req.resource} (page ${pages + 1}); the list would never end`,
              'is a proxy in between caching answers? try again, or check the API server',
            );
          }
          if (pages >= MAX_LIST_PAGES) {
            throw new RuntimeError(
              `the list of ${req.resource} from ${client.server} did not end after ${MAX_LIST_PAGES} pages; exposectl stopped reading it`,
              'see docs/reliability.md for the limits',
            );
          }
          seenTokens.add(token);
        }
        if (token === undefined) break;
      }
      debug(
        `kube: list ${req.resource} ${apiVersion}${namespace ? ` in ${namespace}` : ''}: ${count} object(s) in ${pages} page(s)`,
      );
      return { version, count, pages };
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404 && pages === 0 && isStatus(err.body)) {
        debug(`kube: ${apiVersion} ${info.plural} is not served (404)`);
        continue; // try the next version
      }
      throw mapKubeError(err, req);
    }
  }
  debug(
    `kube: ${resourceName(info)} is not served${versions.length ? ` at any of ${versions.join(', ')}` : ''}: absent`,
  );
  return { version: null, count: 0, pages: 0 };
}

/** Whether a body is a Kubernetes Status object (what the API server sends with its 404s). */
function isStatus(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}
