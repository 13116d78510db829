// Sends exposectl's change to Calico's shared BGPConfiguration `default` (computed by
// src/modes/calico-config.ts from the object as read): read it, create it or send the
// JSON patch guarded by its resourceVersion, and when someone else wrote in between
// (the patch's test fails, or the object appeared meanwhile), read again and retry.
import type { KubeClient } from '../kube/client.js';
import { KubeApiError } from '../kube/errors.js';
import { createObject, getObject, jsonPatchObject, type ObjectKey } from '../kube/objects.js';
import type { KubeObject } from '../model/kube-object.js';
import {
  CALICO_API,
  CALICO_DEFAULT_CONFIG,
  type CalicoConfigChange,
  calicoAddRanges,
  calicoRemoveRanges,
} from '../modes/calico.js';
import { FIELD_MANAGER } from '../modes/index.js';
import { RuntimeError } from '../util/errors.js';

const KEY: ObjectKey = { apiVersion: CALICO_API, kind: 'BGPConfiguration', name: CALICO_DEFAULT_CONFIG };
/** Concurrent writers are rare (an admin, a GitOps tool): a few rounds settle it. */
const ATTEMPTS = 5;

export interface CalicoEdit {
  change: CalicoConfigChange;
  /** The object as the server stored it (would store it, under dry run); undefined: there is none. */
  object: KubeObject | undefined;
}

export function readCalicoConfig(client: KubeClient): Promise<KubeObject | undefined> {
  return getObject(client, KEY);
}

/** Did the write fail because the object changed since it was read (and not because it was rejected)? */
async function changedMeanwhile(client: KubeClient, err: unknown, read: KubeObject | undefined): Promise<boolean> {
  if (!(err instanceof KubeApiError) || (err.status !== 409 && err.status !== 422)) return false;
  const now = await readCalicoConfig(client);
  return now?.metadata.resourceVersion !== read?.metadata.resourceVersion;
}

async function edit(
  client: KubeClient,
  compute: (current: KubeObject | undefined) => CalicoConfigChange,
  dryRun: boolean,
): Promise<CalicoEdit> {
  const opts = { fieldManager: FIELD_MANAGER, dryRun };
  for (let attempt = 1; ; attempt++) {
    const current = await readCalicoConfig(client);
    const change = compute(current);
    try {
      if (change.create) return { change, object: await createObject(client, change.create, opts) };
      if (change.patch.length === 0) return { change, object: current };
      return { change, object: await jsonPatchObject(client, KEY, change.patch, opts) };
    } catch (err) {
      if (!(await changedMeanwhile(client, err, current))) {
        if (err instanceof KubeApiError)
          throw new RuntimeError(
            `BGPConfiguration ${CALICO_DEFAULT_CONFIG} was not changed: ${err.apiMessage ?? err.message}`,
          );
        throw err;
      }
      if (attempt >= ATTEMPTS)
        throw new RuntimeError(
          `BGPConfiguration ${CALICO_DEFAULT_CONFIG} changed under exposectl ${ATTEMPTS} times in a row; nothing of it was changed`,
          'run the same command again',
        );
    }
  }
}

/** Adds the CIDRs not listed yet to serviceLoadBalancerIPs (creating the object when there is none). */
export function addCalicoRanges(client: KubeClient, cidrs: readonly string[], dryRun: boolean): Promise<CalicoEdit> {
  return edit(client, (current) => calicoAddRanges(current, cidrs), dryRun);
}

/** Removes the CIDRs exposectl added, of those given, from serviceLoadBalancerIPs. */
export function removeCalicoRanges(client: KubeClient, cidrs: readonly string[], dryRun: boolean): Promise<CalicoEdit> {
  return edit(client, (current) => calicoRemoveRanges(current, cidrs), dryRun);
}
