// Runs an async task over items with at most `limit` in flight (list requests to the API
// server, the scale benchmark's loader). No imports, so the benchmarks can load it with
// Node's type stripping as it is.

/** Resolves when every task has finished; rejects with the first failure, starting no new task after it. */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.err;
}
