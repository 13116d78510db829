// A wait that an abort ends early, resolving (not rejecting): the caller's loop then sees
// the signal and cleans up, which timers/promises' rejecting setTimeout would skip.
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
