// A bound on waiting for a promise that may never settle (a stalled API server): the
// --wait timeout must hold even when a single request would wait --request-timeout.
export class NoAnswerError extends Error {}

/** The promise's value, or a NoAnswerError once `ms` have passed (the timer never outlives the race). */
export async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswerError('no answer within the timeout')), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
