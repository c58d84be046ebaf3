/**
 * Runs tasks one after another per key, different keys in parallel. Merging a workflow_job
 * into its run is read-snapshot-then-publish: two deliveries for one run at once would each
 * read the same jobs[] and the later publish would drop the other's job. Serializing per run
 * prevents that within this process; instances of a cluster do not share this queue.
 */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with a task running or waiting (for tests: the map must not grow forever). */
  size(): number;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task);
      // A failed task must not block the ones queued after it.
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    size: () => tails.size,
  };
}
