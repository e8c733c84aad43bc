/**
 * Runs tasks one after the other per key (in this process), each after the previous one settled.
 * Keys without waiting tasks are forgotten, so the map holds only what is in flight.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
export type KeyedQueue = ReturnType<typeof createKeyedQueue>;
