export * from './agent.js';
export * from './api.js';
export * from './hub.js';
export * from './packaged-hub.js';
export * from './processes.js';
export * from './tcp-forwarder.js';
