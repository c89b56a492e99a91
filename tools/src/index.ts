export * from './rover-config.js';
export * from './subgraph-registry.js';
export * from './paths.js';
export * from './seed/dataset.js';
export * from './stack/stack.js';
export * from './schema/composition.js';
export * from './schema/print.js';
export type { EventSettings } from './stack/protocol.js';
export * from './consistency/consistency.js';
