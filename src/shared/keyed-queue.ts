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

/**
 * Reads that ask the same thing at the same time share one answer (in this process): a task runs
 * once per key while it is in flight; later calls after it settled read again.
 */
export function createSingleFlight() {
  const running = new Map<string, Promise<unknown>>();
  return function once<T>(key: string, task: () => Promise<T>): Promise<T> {
    const pending = running.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    // a real promise even for a thenable (a mongoose query runs once per then)
    const result = Promise.resolve(task());
    running.set(key, result);
    const forget = () => {
      if (running.get(key) === result) running.delete(key);
    };
    result.then(forget, forget);
    return result;
  };
}
