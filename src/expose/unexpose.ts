// `unexpose`: find what exposectl made for a Service (by its labels), keep what others
// still use (a shared pool, an advertisement, a BGP peer), delete the rest in order, and
// revert an --in-place patch. Objects exposectl does not own are never touched.

import { accessFor, requireAccess } from '../kube/access.js';
import type { KubeClient } from '../kube/client.js';
import { KINDS } from '../kube/kinds.js';
import { listKind } from '../kube/list.js';
import { applyObject, deleteObject, getObject, keyOf, writableKinds } from '../kube/objects.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Service } from '../model/snapshot.js';
import { calicoReleasePatch } from '../modes/calico.js';
import {
  FIELD_MANAGER,
  IN_PLACE_ANNOTATION,
  METALLB_NAMESPACE,
  ownedFor,
  planUnexpose,
  type UnexposePlan,
} from '../modes/index.js';
import { appendAll } from '../util/arrays.js';
import { modeOf } from './run.js';

async function listAll(
  client: KubeClient,
  kinds: readonly string[],
  namespaces: Array<string | undefined>,
  labelSelector?: string,
): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const info of KINDS.filter((k) => kinds.includes(k.kind))) {
    for (const namespace of info.namespaced ? namespaces : [undefined]) {
      await listKind(
        client,
        info,
        { ...(namespace !== undefined ? { namespace } : {}), ...(labelSelector ? { labelSelector } : {}) },
        (objects) => appendAll(out, objects),
      );
    }
  }
  return out;
}

export async function planUnexposeLive(
  client: KubeClient,
  target: { namespace: string; name: string },
): Promise<UnexposePlan> {
  const selector = ownedFor(target.name, target.namespace);
  const owned = await listAll(
    client,
    writableKinds().map((k) => k.kind),
    [...new Set([target.namespace, METALLB_NAMESPACE])],
    selector,
  );
  // Context: every Service, pool and BGP advertisement, to keep what others still use.
  const services = (await listAll(client, ['Service'], [undefined])) as unknown as Service[];
  const pools = await listAll(client, ['IPAddressPool'], [undefined]);
  const bgpAdvertisements = await listAll(client, ['BGPAdvertisement'], [undefined]);
  const user = await getObject(client, {
    apiVersion: 'v1',
    kind: 'Service',
    namespace: target.namespace,
    name: target.name,
  });
  const inPlace = user?.metadata.annotations?.[IN_PLACE_ANNOTATION] !== undefined;
  const plan = planUnexpose(owned, { services, pools, bgpAdvertisements, ...(inPlace ? { target } : {}) });
  // Calico: the default BGPConfiguration keeps only the ranges other exposures still need.
  const release = calicoReleasePatch(plan.delete, services as unknown as KubeObject[], target);
  return release ? { ...plan, revert: [...plan.revert, release] } : plan;
}

export async function executeUnexpose(client: KubeClient, plan: UnexposePlan, dryRun: boolean): Promise<void> {
  await requireAccess(
    client,
    [...plan.delete.map((o) => accessFor('delete', o)), ...plan.revert.map((o) => accessFor('patch', o))],
    modeOf(plan.delete),
  );
  for (const obj of plan.delete) await deleteObject(client, keyOf(obj), { dryRun });
  for (const patch of plan.revert)
    await applyObject(client, patch, { fieldManager: FIELD_MANAGER, dryRun, forceConflicts: true });
}
