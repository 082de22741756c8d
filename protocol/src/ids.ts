import { monotonicFactory } from 'ulid';

/** A ULID generator: time-sortable, unique ids for messages and devices. Monotonic within one process. */
export type IdGenerator = () => string;

export function createIdGenerator(): IdGenerator {
  const next = monotonicFactory();
  return () => next();
}
