export * from './labels.js';
export * from './logger.js';
export * from './metrics-plugin.js';
export * from './service-metrics.js';
export * from './tracing.js';
