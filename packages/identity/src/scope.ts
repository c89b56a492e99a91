import { AppError } from '@cloudphone/errors';
import { hasPermission } from './policy.js';
import type { Principal } from './principal.js';

export type Action = 'read' | 'write';

/** Which rows of a resource a principal reaches, as a repository turns it into a condition. */
export type RowScope = { readonly kind: 'ALL' } | { readonly kind: 'TENANT'; readonly tenantId: string } | { readonly kind: 'SELF'; readonly userId: string } | { readonly kind: 'NONE' };

const ALL: RowScope = Object.freeze({ kind: 'ALL' });
const NONE: RowScope = Object.freeze({ kind: 'NONE' });

/** The owner of a row: the user it belongs to and that user's tenant (null where a row has no tenant copy yet). */
export interface RowOwner {
  readonly userId: string | null;
  readonly tenantId: string | null;
}

/**
 * The rows of `resource` a principal may read or change: services reach all;
 * others need `resource:action` and reach what their data scope covers.
 */
export function rowScope(principal: Principal, resource: string, action: Action = 'read'): RowScope {
  if (principal.kind === 'service') return ALL;
  if (!hasPermission(principal, `${resource}:${action}`)) return NONE;
  switch (principal.policy.dataScopes[resource]) {
    case 'ALL':
      return ALL;
    case 'TENANT':
      return principal.tenantId ? { kind: 'TENANT', tenantId: principal.tenantId } : NONE;
    case 'SELF':
      return principal.userId ? { kind: 'SELF', userId: principal.userId } : NONE;
    default:
      return NONE;
  }
}

export function scopeCovers(scope: RowScope, owner: RowOwner): boolean {
  switch (scope.kind) {
    case 'ALL':
      return true;
    case 'TENANT':
      return owner.tenantId !== null && owner.tenantId === scope.tenantId;
    case 'SELF':
      return owner.userId !== null && owner.userId === scope.userId;
    case 'NONE':
      return false;
  }
}

export function canAccess(principal: Principal, resource: string, owner: RowOwner, action: Action = 'read'): boolean {
  return scopeCovers(rowScope(principal, resource, action), owner);
}

/** The error for a row out of the principal's reach: it does not say whether the row exists. */
export function forbidden(resource: string): AppError {
  return new AppError('FORBIDDEN', `This ${resource} is not yours to see or change`);
}

/** Refuses a row out of reach: UNAUTHENTICATED for an anonymous caller, FORBIDDEN otherwise. */
export function assertAccess(principal: Principal, resource: string, owner: RowOwner, action: Action = 'read'): void {
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  if (!canAccess(principal, resource, owner, action)) throw forbidden(resource);
}

/** Refuses a principal that reaches no row of the resource at all (e.g. listing nodes without `node:read`). */
export function assertAnyAccess(principal: Principal, resource: string, action: Action = 'read'): RowScope {
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  const scope = rowScope(principal, resource, action);
  if (scope.kind === 'NONE') throw new AppError('FORBIDDEN', `Not allowed: this needs the ${resource}:${action} permission`);
  return scope;
}

/**
 * Rows that belong to no user or tenant (nodes, templates): only an ALL data
 * scope reaches them; TENANT or SELF fail closed, as `rowScopeCondition` does
 * without owner columns.
 */
export const SHARED_ROW: RowOwner = Object.freeze({ userId: null, tenantId: null });

/**
 * One DataLoader key's answer: the value if the principal may reach its row,
 * else the error (FORBIDDEN, or UNAUTHENTICATED for an anonymous caller).
 * DataLoader rejects just that key, so `_entities` answers null plus the
 * error for that entity only, and `x(id)` null plus FORBIDDEN.
 */
export function readableOrError<T>(principal: Principal, resource: string, value: T, owner: RowOwner, action: Action = 'read'): T | AppError {
  if (principal.kind === 'anonymous') return new AppError('UNAUTHENTICATED', 'Sign in to do this');
  return canAccess(principal, resource, owner, action) ? value : forbidden(resource);
}

/**
 * Service-to-service operations (`@inaccessible`, e.g. reserving capacity):
 * the gateway never routes them, and a signed user identity that reaches
 * the subgraph still may not call them; only peers acting as themselves.
 * `only`: the services allowed (any service when none are named).
 */
export function assertService(principal: Principal, ...only: string[]): void {
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  if (principal.kind !== 'service') throw new AppError('FORBIDDEN', 'Not allowed: only other services call this');
  if (only.length > 0 && !only.includes(principal.service ?? '')) throw new AppError('FORBIDDEN', `Not allowed: only the ${only.join(' or ')} service calls this`);
}
