import type { Database, SubgraphDatabase } from '@cloudphone/db';
import type { RoleGrants } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { roleDataScopes, roleFieldRules, rolePermissions, roles, userRoles } from '../database/schema.js';

/** Every role a new account gets. */
export const DEFAULT_ROLE = 'USER';

export interface UserGrants {
  roles: string[];
  grants: RoleGrants[];
}

function toGrants(
  permissionRows: readonly { permission: string }[],
  scopeRows: readonly { resource: string; scope: RoleGrants['dataScopes'][string] }[],
  fieldRows: readonly { resource: string; field: string; rule: RoleGrants['fieldRules'][string] }[],
): RoleGrants {
  return {
    permissions: permissionRows.map((row) => row.permission),
    dataScopes: Object.fromEntries(scopeRows.map((row) => [row.resource, row.scope])),
    fieldRules: Object.fromEntries(fieldRows.map((row) => [`${row.resource}.${row.field}`, row.rule])),
  };
}

@Injectable()
export class RolesRepository {
  constructor(@Inject(DATABASE) private readonly database: SubgraphDatabase) {}

  /** A user's roles and what each grants (read at login and refresh, into the access token). */
  async grantsOf(userId: string): Promise<UserGrants> {
    const held = await this.database.db.select({ id: roles.id, name: roles.name }).from(userRoles).innerJoin(roles, eq(roles.id, userRoles.roleId)).where(eq(userRoles.userId, userId)).orderBy(roles.name);
    if (held.length === 0) return { roles: [], grants: [] };
    const ids = held.map((role) => role.id);
    const [permissionRows, scopeRows, fieldRows] = await Promise.all([
      this.database.db.select().from(rolePermissions).where(inArray(rolePermissions.roleId, ids)),
      this.database.db.select().from(roleDataScopes).where(inArray(roleDataScopes.roleId, ids)),
      this.database.db.select().from(roleFieldRules).where(inArray(roleFieldRules.roleId, ids)),
    ]);
    const grants = held.map((role) =>
      toGrants(
        permissionRows.filter((row) => row.roleId === role.id),
        scopeRows.filter((row) => row.roleId === role.id),
        fieldRows.filter((row) => row.roleId === role.id),
      ),
    );
    return { roles: held.map((role) => role.name), grants };
  }

  async roleNamesOf(userIds: readonly string[]): Promise<{ userId: string; name: string }[]> {
    if (userIds.length === 0) return [];
    return this.database.db.select({ userId: userRoles.userId, name: roles.name }).from(userRoles).innerJoin(roles, eq(roles.id, userRoles.roleId)).where(inArray(userRoles.userId, [...userIds])).orderBy(roles.name);
  }

  /** What one role grants; undefined when there is no such role. */
  async grantsOfRole(name: string): Promise<RoleGrants | undefined> {
    const [role] = await this.database.db.select({ id: roles.id }).from(roles).where(eq(roles.name, name));
    if (!role) return undefined;
    const [permissionRows, scopeRows, fieldRows] = await Promise.all([
      this.database.db.select().from(rolePermissions).where(eq(rolePermissions.roleId, role.id)),
      this.database.db.select().from(roleDataScopes).where(eq(roleDataScopes.roleId, role.id)),
      this.database.db.select().from(roleFieldRules).where(eq(roleFieldRules.roleId, role.id)),
    ]);
    return toGrants(permissionRows, scopeRows, fieldRows);
  }

  async listRoles(): Promise<{ name: string; description: string }[]> {
    return this.database.db.select({ name: roles.name, description: roles.description }).from(roles).orderBy(roles.name);
  }

  /** Grants a role inside the caller's transaction; false when the user already held it. */
  async grant(tx: Database, userId: string, roleName: string, grantedBy: string | null): Promise<boolean> {
    const inserted = await tx
      .insert(userRoles)
      .select(sql`select ${userId}::uuid, ${roles.id}, now(), ${grantedBy}::uuid from ${roles} where ${roles.name} = ${roleName}`)
      .onConflictDoNothing()
      .returning({ userId: userRoles.userId });
    return inserted.length > 0;
  }

  /** Takes a role back inside the caller's transaction; false when the user did not hold it. */
  async revoke(tx: Database, userId: string, roleName: string): Promise<boolean> {
    const removed = await tx
      .delete(userRoles)
      .where(and(eq(userRoles.userId, userId), inArray(userRoles.roleId, tx.select({ id: roles.id }).from(roles).where(eq(roles.name, roleName)))))
      .returning({ userId: userRoles.userId });
    return removed.length > 0;
  }
}
