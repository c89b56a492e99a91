export * from './catalog.js';
export * from './items.js';
export * from './change-bus.js';
export * from './redis-store.js';
export * from './shared-cache.js';
export * from './reader.js';
export * from './publisher.js';
