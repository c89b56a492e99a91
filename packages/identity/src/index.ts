export * from './principal.js';
export * from './policy.js';
export * from './scope.js';
export * from './fields.js';
export * from './claims.js';
export * from './assertions.js';
export * from './access-tokens.js';
export * from './internal-secret.js';
