import { AppError } from '@cloudphone/errors';
import { assertAccess, assertAnyAccess, grantsWithin } from '@cloudphone/identity';
import { DATABASE, type RequestContext } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { SubgraphDatabase } from '@cloudphone/db';
import { AccessRevocations } from '../auth/access-revocations.js';
import { AuditRepository } from '../auth/audit.repository.js';
import type { User } from '../users/models/user.model.js';
import { UsersService } from '../users/users.service.js';
import type { Role } from './models/role.model.js';
import { RolesRepository } from './roles.repository.js';

/**
 * Who holds which role. A role change is an access change: audited with the
 * request id, and effective in the user's next access token.
 */
@Injectable()
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly users: UsersService,
    private readonly audit: AuditRepository,
    private readonly revocations: AccessRevocations,
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
  ) {}

  async list(context: RequestContext): Promise<Role[]> {
    assertAnyAccess(context.principal, 'role');
    return this.roles.listRoles();
  }

  rolesOf(context: RequestContext, userId: string): Promise<string[]> {
    return context.loaders
      .get<string, string[]>('User.roles', async (ids) => {
        const rows = await this.roles.roleNamesOf(ids);
        return ids.map((id) => rows.filter((row) => row.userId === id).map((row) => row.name));
      })
      .load(userId);
  }

  grant(context: RequestContext, userId: string, roleName: string): Promise<User> {
    return this.change(context, userId, roleName, 'granted');
  }

  revoke(context: RequestContext, userId: string, roleName: string): Promise<User> {
    return this.change(context, userId, roleName, 'revoked');
  }

  /**
   * Grants or revokes within the caller's reach. A grant reaches the user at
   * its next refresh; a removal ends its tokens at once (every gateway
   * replica hears of it), so taken-away access is not kept for 15 minutes.
   * The caller needs `role:write` over the
   * target user's row, and only roles that grant nothing beyond its own
   * policy, so nobody hands out more than they have (an ADMIN cannot make a
   * SUPER_ADMIN).
   */
  private async change(context: RequestContext, userId: string, roleName: string, change: 'granted' | 'revoked'): Promise<User> {
    const { principal } = context;
    const user = await this.users.byId(context, userId);
    if (!user) throw new AppError('USER_NOT_FOUND', 'No user with this id');
    assertAccess(principal, 'role', { userId: user.id, tenantId: user.tenantId }, 'write');
    const grants = await this.roles.grantsOfRole(roleName);
    if (!grants) throw new AppError('BAD_USER_INPUT', `There is no role ${roleName}`, { details: { field: 'role' } });
    if (principal.kind !== 'service' && !grantsWithin(grants, principal.policy)) throw new AppError('FORBIDDEN', `${roleName} grants more than you hold: you may not grant or revoke it`);
    await this.database.db.transaction(async (tx) => {
      const changed = change === 'granted' ? await this.roles.grant(tx, userId, roleName, principal.userId) : await this.roles.revoke(tx, userId, roleName);
      if (changed) {
        await this.audit.record(tx, { actorUserId: principal.userId, action: `role.${change}`, resource: 'user', resourceId: userId, summary: { role: roleName }, requestId: context.requestId });
      }
    });
    // Announced on every removal, even a repeated one: a caller whose announcement failed repeats the request.
    if (change === 'revoked') await this.revocations.endTokensOf(userId);
    return user;
  }
}
