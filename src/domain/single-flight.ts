/**
 * Coalesces concurrent work on the same key within one process: while a lookup of a film
 * is in flight, later callers for the same key share its promise instead of paying for a
 * second upstream call. Nothing is cached after it settles (the lookup cache does that).
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** Runs `work` unless a run for `key` is already in flight, in which case its result is shared. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const started = (async () => {
      try {
        return await work();
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, started);
    return started;
  }

  /** Keys with work in flight (for tests and a gauge). */
  get size(): number {
    return this.inFlight.size;
  }
}
