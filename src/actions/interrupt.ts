// Ctrl-C (SIGINT) and SIGTERM for the actions that run until stopped or clean up on the
// way out (probe bgp, probe arp --watch, diagnose --probe): one place that listens, and
// always stops listening, so no handler outlives its run.

/** Runs `work` with a signal that aborts on the first SIGINT or SIGTERM. */
export async function whileInterruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Resolves after `ms`, or on the first Ctrl-C / SIGTERM (the only way when `ms` is undefined). */
export function untilInterrupted(ms: number | undefined): Promise<void> {
  return whileInterruptible(
    (signal) =>
      new Promise<void>((resolve) => {
        const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
        signal.addEventListener(
          'abort',
          () => {
            if (timer) clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      }),
  );
}
