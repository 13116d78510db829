// What the lab kubelet does with one Pod in a sync round, decided from facts alone. Pure.
import { programOf } from './pod-spec.ts';
import { nodeByName } from './topology.ts';

export type PodAction =
  | 'ignore' // not on a lab node (or not scheduled yet), or no container
  | 'start' // new: network and process
  | 'reject' // new, but an image the lab cannot run: reported Pending
  | 'restart' // its process exited
  | 'remove' // being deleted: stop, remove the namespace, delete the object
  | 'keep'; // running: only the status may need writing

export interface PodFacts {
  nodeName?: string;
  deleting: boolean;
  image?: string;
}

export interface RecordFacts {
  unrunnable: boolean;
  alive: boolean;
}

export function planPod(pod: PodFacts, record: RecordFacts | undefined): PodAction {
  if (!nodeByName(pod.nodeName ?? '') || pod.image === undefined) return 'ignore';
  if (pod.deleting) return 'remove';
  if (!record) return programOf(pod.image) ? 'start' : 'reject';
  if (!record.unrunnable && !record.alive) return 'restart';
  return 'keep';
}

/**
 * A Pod without the lab label that the lab can run anyway (the echo of `diagnose source-ip
 * --probe`, created by exposectl with an image the lab plays): scheduled on a lab node, not
 * being deleted. The kubelet labels it, so kwok leaves it alone, and runs it from then on.
 */
export function adoptable(pod: PodFacts & { labelled: boolean }): boolean {
  return (
    !pod.labelled &&
    !pod.deleting &&
    nodeByName(pod.nodeName ?? '') !== undefined &&
    pod.image !== undefined &&
    programOf(pod.image) !== undefined
  );
}

/** The records whose Pod the API no longer lists (deleted with grace 0 by someone else): to stop. */
export function orphans(recorded: Iterable<string>, listed: ReadonlySet<string>): string[] {
  return [...recorded].filter((uid) => !listed.has(uid));
}
