export * from './codes.js';
export * from './app-error.js';
export * from './format.js';
export * from './request-id.js';
export * from './request-id-plugin.js';
export * from './ids.js';
