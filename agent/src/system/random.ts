/** A uniform random number in [0, 1); injected so jitter is deterministic in tests. */
export type Random = () => number;

export const systemRandom: Random = Math.random;
