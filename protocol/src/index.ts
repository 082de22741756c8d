export * from './codec.js';
export * from './enroll.js';
export * from './envelope.js';
export * from './health.js';
export * from './ids.js';
export * from './inventory.js';
export * from './status.js';
export * from './topics.js';
