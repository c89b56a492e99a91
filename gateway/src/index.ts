export * from './config.js';
export * from './gateway.js';
export * from './supergraph.js';
