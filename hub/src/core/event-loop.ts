/**
 * Lets the event loop run (sockets, timers) before going on. A loop of awaited SQLite queries never
 * does by itself: better-sqlite3 answers synchronously, so every `await` resolves as a microtask and
 * the loop holds the process until it ends. The hourly health housekeeping over 10,000 devices held it
 * for 9 s that way, and every device's message waited (docs/performance.md, steady state). Long
 * background loops call this between items.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
