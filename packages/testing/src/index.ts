export * from './environment.js';
export * from './databases.js';
export * from './graphql-client.js';
export * from './prometheus.js';
