import type { RowScope } from '@cloudphone/identity';
import { type AnyColumn, type SQL, eq, sql } from 'drizzle-orm';

/**
 * A principal's row scope as a WHERE condition: undefined for ALL, the owner
 * or tenant column for SELF and TENANT, and false for NONE (or for a TENANT
 * scope on a table without a tenant column: fail closed).
 */
export function rowScopeCondition(scope: RowScope, columns: { userId?: AnyColumn; tenantId?: AnyColumn }): SQL | undefined {
  switch (scope.kind) {
    case 'ALL':
      return undefined;
    case 'TENANT':
      return columns.tenantId ? eq(columns.tenantId, scope.tenantId) : sql`false`;
    case 'SELF':
      return columns.userId ? eq(columns.userId, scope.userId) : sql`false`;
    case 'NONE':
      return sql`false`;
  }
}
