/** Dependency-injection tokens. Providers are always injected by token, never by emitted type metadata. */
export const LOGGER = Symbol('Logger');
export const CLOCK = Symbol('Clock');
export const DB = Symbol('Database');
export const SETTINGS = Symbol('HubSettings');
export const PKI = Symbol('Pki');
export const METRICS = Symbol('Metrics');
