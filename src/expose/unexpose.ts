// `unexpose`: find what exposectl made for a Service (by its labels), keep what others
// still use (a shared pool, an advertisement, a BGP peer), delete the rest in order, and
// revert an --in-place patch. Objects exposectl does not own are never touched; of Calico's
// shared BGPConfiguration only the serviceLoadBalancerIPs entries exposectl added go.

import { accessFor, requireAccess } from '../kube/access.js';
import type { KubeClient } from '../kube/client.js';
import { KINDS } from '../kube/kinds.js';
import { listKind } from '../kube/list.js';
import { applyObject, deleteObject, getObject, keyOf, writableKinds } from '../kube/objects.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Service } from '../model/snapshot.js';
import { CALICO_API, CALICO_DEFAULT_CONFIG, calicoRangesToRelease, calicoRemoveRanges } from '../modes/calico.js';
import {
  FIELD_MANAGER,
  IN_PLACE_ANNOTATION,
  METALLB_NAMESPACE,
  ownedFor,
  planUnexpose,
  type UnexposePlan,
} from '../modes/index.js';
import { appendAll } from '../util/arrays.js';
import { readCalicoConfig, removeCalicoRanges } from './calico-config.js';
import { modeOf } from './run.js';

export interface LiveUnexposePlan extends UnexposePlan {
  /** Calico: the ranges of the deleted Service no other exposure needs, and the BGPConfiguration as their removal leaves it. */
  calico?: {
    release: string[];
    /** Of `release`, the ranges exposectl added (removed); the others are the admin's and stay. */
    removed: string[];
    patched: KubeObject | undefined;
  };
}

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
): Promise<LiveUnexposePlan> {
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
  // Calico: the ranges no other exposure needs leave the default BGPConfiguration, if exposectl added them.
  const release = calicoRangesToRelease(plan.delete, services as unknown as KubeObject[], target);
  if (release.length === 0) return plan;
  const change = calicoRemoveRanges(await readCalicoConfig(client), release);
  return { ...plan, calico: { release, removed: change.removed, patched: change.result } };
}

/** Deletes and reverts as planned; returns the plan with what the Calico edit did once re-read. */
export async function executeUnexpose(
  client: KubeClient,
  plan: LiveUnexposePlan,
  dryRun: boolean,
): Promise<LiveUnexposePlan> {
  const calicoKey = { apiVersion: CALICO_API, kind: 'BGPConfiguration', metadata: { name: CALICO_DEFAULT_CONFIG } };
  await requireAccess(
    client,
    [
      ...plan.delete.map((o) => accessFor('delete', o)),
      ...plan.revert.map((o) => accessFor('patch', o)),
      ...(plan.calico ? [accessFor('patch', calicoKey)] : []),
    ],
    modeOf(plan.delete),
  );
  for (const obj of plan.delete) await deleteObject(client, keyOf(obj), { dryRun });
  for (const patch of plan.revert)
    await applyObject(client, patch, { fieldManager: FIELD_MANAGER, dryRun, forceConflicts: true });
  // Read again and guarded: what changed since the plan is kept.
  if (!plan.calico) return plan;
  const { change, object } = await removeCalicoRanges(client, plan.calico.release, dryRun);
  return { ...plan, calico: { ...plan.calico, removed: change.removed, patched: object } };
}
