/**
 * Runs tasks one after the other per key, different keys side by side. For writes whose order matters
 * and that nobody waits for (a device's online, then offline, then online again): SQLite's single
 * connection kept them in the order issued, a PostgreSQL pool does not. A key's chain is forgotten once
 * it runs dry, so the map holds only keys with work pending.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after the tasks already queued for `key`; resolves or rejects as `task` does. */
  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    // A failed task does not stop the next one: each caller hears its own outcome.
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and gauges). */
  get pendingKeys(): number {
    return this.tails.size;
  }
}
