/**
 * The zod-free part of the protocol: topic names, the payload codec, id generation and constants.
 * The agent daemon imports its run-time values from here (`@bascule/protocol/runtime`) because zod
 * alone costs it about 14 MiB resident; message types still come from `@bascule/protocol` with
 * `import type`, which is erased at build time. Nothing exported here may import zod.
 */
export * from './codec.js';
export * from './constants.js';
export * from './debian-version.js';
export * from './ids.js';
export * from './terminal-frames.js';
export * from './topics.js';
