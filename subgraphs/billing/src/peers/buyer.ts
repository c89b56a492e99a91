import { AppError, badUserInput } from '@cloudphone/errors';
import { assertAccess, assertAnyAccess } from '@cloudphone/identity';
import { type RequestContext, parseOptionalId } from '@cloudphone/subgraph-kit';
import type { RemoteUser, UsersClient } from './users.client.js';

/**
 * Who a purchase or a recharge is for: the user named, or the caller. Needs
 * order:write over that user (a USER buys for itself, an ADMIN for users of
 * its tenant, decided on the tenant the users subgraph reports, not on the
 * input); USER_NOT_FOUND when the users subgraph does not know them.
 */
export async function resolveBuyer(context: RequestContext, users: UsersClient, requested: string | null | undefined): Promise<{ userId: string; user: RemoteUser }> {
  const scope = assertAnyAccess(context.principal, 'order', 'write');
  const userId = parseOptionalId(requested, 'userId') ?? (scope.kind === 'SELF' ? scope.userId : context.principal.userId);
  if (!userId) throw badUserInput('Give the userId of the buyer', 'userId');
  const user = await users.findById(context, userId);
  if (!user) throw new AppError('USER_NOT_FOUND', 'User not found', { details: { field: 'userId' } });
  assertAccess(context.principal, 'order', { userId, tenantId: user.tenantId }, 'write');
  return { userId, user };
}
