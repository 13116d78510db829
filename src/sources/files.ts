// The file source: manifests given with -f (files, folders, `-` for stdin) become
// the same Snapshot the live cluster gives. Never loads @kubernetes/client-node.

import { type KindInfo, kindInfoOf } from '../kube/kinds.js';
import type { KubeObject } from '../model/kube-object.js';
import { emptySnapshot, type InputCompleteness, type Snapshot } from '../model/snapshot.js';
import { isPlainObject } from '../util/data-shape.js';
import { debug } from '../util/debug.js';
import { UsageError } from '../util/errors.js';
import { namedConfigMaps } from './configmap-refs.js';
import { decodeDocuments } from './documents.js';
import { expandInputs, STDIN_NAME } from './inputs.js';

export interface ReadManifestsOptions {
  /** Read for `-`; process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
  /**
   * Namespace given to namespaced objects that have none, as `kubectl apply` would
   * (the CLI passes -n or the context's namespace). Default: "default".
   */
  defaultNamespace?: string;
  /** --input-complete: how much of the world the input stands for (default auto). */
  completeness?: InputCompleteness;
}

export type SkipReason =
  | 'not-an-object' // a scalar or sequence document
  | 'no-apiVersion-or-kind'
  | 'kind-not-relevant' // a kind exposectl does not read (RBAC, Namespace, Job, ...)
  | 'removed-api' // an API version removed from Kubernetes (extensions/v1beta1 Ingress, ...): no cluster accepts it
  | 'filtered' // a kind exposectl reads, but not this object (e.g. a ConfigMap other than kubevip)
  | 'no-name'; // metadata.name missing or not a string

export interface SkippedDocument {
  file: string;
  line: number;
  reason: SkipReason;
  apiVersion?: string;
  kind?: string;
  name?: string;
}

export interface ManifestLoad {
  snapshot: Snapshot;
  /** Every object or document that was read but not put in the snapshot, and why. */
  skipped: SkippedDocument[];
  /** Files (and <stdin>) read, in order. */
  files: string[];
  /** Objects put into the snapshot. */
  objects: number;
  /** ConfigMaps keepConfigMap left out, kept back until the workloads that may name them are read. */
  setAside?: Array<{ object: KubeObject; file: string; line: number }>;
}

/** Reads manifests into a Snapshot. Malformed input or a missing path: UsageError (exit 2). */
export async function readManifests(paths: string[], opts: ReadManifestsOptions = {}): Promise<Snapshot> {
  return (await loadManifests(paths, opts)).snapshot;
}

/** Like readManifests, with what was skipped (for debug output and tests). */
export async function loadManifests(paths: string[], opts: ReadManifestsOptions = {}): Promise<ManifestLoad> {
  const defaultNamespace = opts.defaultNamespace || 'default';
  const snapshot = emptySnapshot({ kind: 'files', description: paths.join(', ') });
  const inventory = { kinds: new Map(), export: false, completeness: opts.completeness ?? 'auto' };
  snapshot.inventory = inventory;
  const load: ManifestLoad = { snapshot, skipped: [], files: [], objects: 0 };
  const inputs = await expandInputs(paths, opts.stdin ? { stdin: opts.stdin } : {});
  for (const input of inputs) {
    const text = await input.read();
    load.files.push(input.name);
    const docs = decodeDocuments(text, input.name);
    // A file or stdin named on the command line that holds no object at all (empty, binary,
    // a word): a mistake, not an empty cluster. Files found in a folder may be anything.
    if (input.given && !docs.some((doc) => isKubeObject(doc.value))) {
      throw new UsageError(
        `${input.name}: no Kubernetes object in the input (${text.trim() === '' ? 'it is empty' : 'no document has apiVersion and kind'})`,
        input.name === STDIN_NAME
          ? 'pipe YAML or JSON manifests in: kubectl get ... -o yaml | exposectl ... -f -'
          : undefined,
      );
    }
    for (const doc of docs) {
      if (nestedDeeperThan(doc.value, MAX_NESTING_DEPTH)) {
        throw new UsageError(
          `${input.name}:${doc.line}: the document nests collections more than ${MAX_NESTING_DEPTH} levels deep; no Kubernetes object does`,
        );
      }
      const ctx: AddContext = { file: input.name, load, defaultNamespace };
      if (isListDocument(doc.value)) {
        const list = doc.value as { apiVersion: string; kind: string; items: unknown[] };
        if (list.kind === 'List') inventory.export = true;
        for (const [i, item] of list.items.entries())
          addDocument(withListDefaults(item, list), doc.itemLines?.[i] ?? doc.line, ctx);
      } else {
        addDocument(doc.value, doc.line, ctx);
      }
    }
  }
  keepNamedConfigMaps(load);
  debug(
    `files: read ${load.objects} object(s) from ${load.files.length} file(s), skipped ${load.skipped.length}${summarize(load.skipped)}`,
  );
  return load;
}

/**
 * Objects and lists nested deeper than this are refused: Kubernetes objects nest a few
 * dozen levels at most, and code that walks objects recursively (printing, comparing)
 * must not run out of stack on a crafted file.
 */
export const MAX_NESTING_DEPTH = 1000;

/** Does the value nest objects or arrays more than `max` levels deep? Iterative, so it cannot overflow the stack itself. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * API versions of the kinds exposectl reads that Kubernetes removed (1.16, 1.22):
 * their shape differs (e.g. Ingress backends with serviceName/servicePort) and no
 * current cluster accepts them, so they are skipped with their own reason.
 */
const REMOVED_APIS = new Set([
  'extensions/v1beta1 Ingress',
  'networking.k8s.io/v1beta1 Ingress',
  'networking.k8s.io/v1beta1 IngressClass',
  'extensions/v1beta1 DaemonSet',
  'extensions/v1beta1 Deployment',
  'apps/v1beta1 Deployment',
  'apps/v1beta1 StatefulSet',
  'apps/v1beta2 DaemonSet',
  'apps/v1beta2 Deployment',
  'apps/v1beta2 StatefulSet',
  'discovery.k8s.io/v1beta1 EndpointSlice',
]);

interface AddContext {
  file: string;
  load: ManifestLoad;
  defaultNamespace: string;
}

function addDocument(value: unknown, line: number, { file, load, defaultNamespace }: AddContext): void {
  const skip = (reason: SkipReason, extra: Partial<SkippedDocument> = {}) => {
    load.skipped.push({ file, line, reason, ...extra });
  };
  if (!isPlainObject(value)) return skip('not-an-object');
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '')
    return skip('no-apiVersion-or-kind');
  if (REMOVED_APIS.has(`${apiVersion} ${kind}`)) {
    debug(
      `files: ${file}:${line}: ${kind} ${apiVersion} was removed from Kubernetes; skipped (use its current apiVersion)`,
    );
    return skip('removed-api', { apiVersion, kind });
  }
  const info = kindInfoOf(apiVersion, kind);
  if (!info) return skip('kind-not-relevant', { apiVersion, kind });
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') return skip('no-name', { apiVersion, kind });
  const object = { ...value, metadata } as KubeObject;
  if (info.namespaced && (typeof metadata.namespace !== 'string' || metadata.namespace === '')) {
    object.metadata.namespace = defaultNamespace;
  }
  recordKind(load.snapshot, info, object);
  if (info.keep && !info.keep(object)) {
    if (kind === 'ConfigMap') (load.setAside ??= []).push({ object, file, line });
    return skip('filtered', { apiVersion, kind, name });
  }
  const stored = info.strip ? info.strip(object) : object;
  info.add(load.snapshot, stored);
  load.objects++;
  load.snapshot.origins.set(stored, { file, line });
}

/** A ConfigMap a controller names with --configmap (or a TCP/UDP services flag) is kept whatever it holds. */
function keepNamedConfigMaps(load: ManifestLoad): void {
  const setAside = load.setAside ?? [];
  const named = new Set(
    namedConfigMaps(
      setAside.map((s) => s.object),
      load.snapshot.workloads as KubeObject[],
    ),
  );
  for (const { object, file, line } of setAside) {
    if (!named.has(object)) continue;
    load.snapshot.configMaps.push(object);
    load.snapshot.origins.set(object, { file, line });
    load.objects++;
    load.skipped = load.skipped.filter(
      (s) => !(s.file === file && s.line === line && s.kind === 'ConfigMap' && s.reason === 'filtered'),
    );
  }
  delete load.setAside;
}

/** Notes that the input holds an object of this kind in its namespace: what its absences can prove. */
function recordKind(snapshot: Snapshot, info: KindInfo, object: KubeObject): void {
  const kinds = snapshot.inventory?.kinds;
  if (!kinds) return;
  const key = `${info.group}/${info.kind}`;
  const namespaces = kinds.get(key) ?? new Set<string>();
  namespaces.add(info.namespaced ? (object.metadata.namespace ?? '') : '');
  kinds.set(key, namespaces);
}

/** `kind: List`, or a typed list such as ServiceList, with an `items` array. */
function isListDocument(value: unknown): boolean {
  return (
    isPlainObject(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)
  );
}

/** Items of a typed list (ServiceList from the API) may lack apiVersion and kind: take them from the list. */
function withListDefaults(item: unknown, list: { apiVersion: string; kind: string }): unknown {
  if (!isPlainObject(item) || list.kind === 'List') return item;
  const kind = list.kind.slice(0, -'List'.length);
  return {
    ...(item.apiVersion === undefined ? { apiVersion: list.apiVersion } : {}),
    ...(item.kind === undefined ? { kind } : {}),
    ...item,
  };
}

/** A document with an apiVersion and a kind (an object or a List). */
function isKubeObject(value: unknown): boolean {
  return isPlainObject(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

function summarize(skipped: SkippedDocument[]): string {
  if (skipped.length === 0) return '';
  const counts = new Map<string, number>();
  for (const s of skipped) {
    const key =
      s.reason === 'kind-not-relevant' || s.reason === 'filtered' || s.reason === 'removed-api'
        ? `${s.kind} (${s.reason})`
        : s.reason;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return `: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`;
}
