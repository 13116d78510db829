// What `expose`/`unexpose` did, in kubectl's words: "service/web-lb serverside-applied".

import { type KubeObject, refOf } from '../model/kube-object.js';

export function objectRef(o: KubeObject): string {
  return refOf({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? '' });
}

export function renderActions(
  objects: readonly KubeObject[],
  verb: string,
  dryRun: 'none' | 'client' | 'server',
): string {
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  return objects.map((o) => `${objectRef(o)} ${verb}${suffix}\n`).join('');
}

export function renderNames(objects: readonly KubeObject[]): string {
  return objects.map((o) => `${objectRef(o)}\n`).join('');
}

/** A v1 List, as kubectl prints several objects with -o json/yaml. */
export function asList(objects: readonly KubeObject[]): {
  apiVersion: 'v1';
  kind: 'List';
  items: KubeObject[];
  metadata: Record<string, never>;
} {
  return { apiVersion: 'v1', kind: 'List', items: objects.map(withoutManagedFields), metadata: {} };
}

function withoutManagedFields(o: KubeObject): KubeObject {
  if (!o.metadata?.managedFields) return o;
  const { managedFields: _dropped, ...metadata } = o.metadata;
  return { ...o, metadata };
}
