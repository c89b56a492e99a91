export * from './config.js';
export * from './gateway.js';
export * from './supergraph.js';
export * from './query-limits.js';
