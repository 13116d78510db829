// What a failed apply sequence says: once a write may have been stored, a failure is never
// hidden behind the error of the one request. The message names every object already
// applied, the one that failed (and whether the API server answered for it), and the
// hint says that running the same command again converges. Pure.

import { KubeApiError } from '../kube/errors.js';
import { keyOf } from '../kube/objects.js';
import { type KubeObject, refOf } from '../model/kube-object.js';
import { ExposectlError, RuntimeError } from '../util/errors.js';

export interface ApplySequence {
  /** What was stored before the failure, in apply order. */
  applied: readonly KubeObject[];
  /** The object whose write failed. */
  failed: KubeObject;
  /** The objects after it, never sent. */
  pending: readonly KubeObject[];
  /** --dry-run=server: nothing was stored by any of the writes. */
  dryRun: boolean;
}

const CONVERGES = 'it applies the rest and leaves what is already right unchanged';

/** The API server's answer in an error's cause chain (a status it sent), if any. */
export function apiAnswerOf(err: unknown): KubeApiError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof KubeApiError) return e;
  }
  return undefined;
}

/** The error a failed write of `seq.failed` ends the command with. */
export function applyFailure(err: unknown, seq: ApplySequence): unknown {
  if (!(err instanceof ExposectlError)) return err;
  const ref = refOf(keyOf(seq.failed));
  const message = err.message.startsWith(ref) ? err.message : `${ref}: ${err.message}`;
  if (seq.dryRun) {
    // Nothing was stored: the error as it is (a 409 stays exit 2), saying so.
    return new ExposectlError(`${message} (--dry-run=server: nothing was changed)`, err.exitCode, err.hint, {
      cause: err,
    });
  }
  const answer = apiAnswerOf(err);
  // Refused before anything was stored: the request's own error says it all.
  if (seq.applied.length === 0 && answer) return err;
  const refs = (objects: readonly KubeObject[]) => objects.map((o) => refOf(keyOf(o))).join(', ');
  const parts = [
    message,
    ...(seq.applied.length > 0 ? [`already applied: ${refs(seq.applied)}`] : []),
    // Without an answer (reset, timeout) the write may have been stored or not.
    answer
      ? `not applied: ${refs([seq.failed, ...seq.pending])}`
      : `${ref} may or may not be applied (no answer)${seq.pending.length > 0 ? `; not applied: ${refs(seq.pending)}` : ''}`,
  ];
  const hint =
    answer?.status === 409
      ? `run the same command again with --force-conflicts to take those fields over (the other field manager may change them back): ${CONVERGES}`
      : [err.hint, `then run the same command again: ${CONVERGES}`].filter(Boolean).join('; ');
  return new RuntimeError(parts.join('; '), hint, { cause: err });
}
