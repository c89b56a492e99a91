import { cursorOf } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, SortDirection, UNIQUE_VIOLATION, byKeys, sqlState, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { assertAccess, assertAnyAccess, assertWritableField, maskEmail, readableField } from '@cloudphone/identity';
import { Injectable } from '@nestjs/common';
import type { UserRow } from '../database/schema.js';
import type { CreateUserInput, UpdateUserInput } from './models/user.inputs.js';
import { type User, type UserFilter, type UserOrder, UserOrderField, type UserStatus } from './models/user.model.js';
import { UsersRepository, userSort } from './users.repository.js';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    tenantId: row.tenantId,
    username: row.username,
    email: row.email,
    displayName: row.displayName,
    status: row.status as UserStatus,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function conflict(error: unknown): never {
  if (sqlState(error) === UNIQUE_VIOLATION) {
    const field = String((error as { constraint_name?: string; constraint?: string }).constraint_name ?? '').includes('email') ? 'email' : 'username';
    throw new AppError('CONFLICT', `That ${field} is already taken`, { details: { field } });
  }
  throw error;
}

@Injectable()
export class UsersService {
  constructor(private readonly repository: UsersRepository) {}

  /** Batched by request: resolving N users in one tick is one query. */
  byId(context: RequestContext, id: string): Promise<User | null> {
    return context.loaders
      .get<string, User | null>('User.byId', async (ids) => byKeys(ids, (await this.repository.findByIds(ids)).map(toUser), (user) => user.id))
      .load(id);
  }

  /** A user the caller may read: FORBIDDEN outside its reach (a USER reaches itself, an ADMIN its tenant). */
  async visibleById(context: RequestContext, id: string): Promise<User | null> {
    const user = await this.byId(context, id);
    if (user) assertAccess(context.principal, 'user', { userId: user.id, tenantId: user.tenantId });
    return user;
  }

  /** The e-mail as the caller may read it: masked or hidden by its roles' field rules, never for oneself. */
  emailOf(context: RequestContext, user: User): string {
    return readableField(context.principal, 'user', 'email', user.id, user.email, maskEmail);
  }

  async list(context: RequestContext, args: ConnectionArgs, filter: UserFilter | null | undefined, order: UserOrder | null | undefined): Promise<ConnectionShape<User>> {
    const scope = assertAnyAccess(context.principal, 'user');
    const request = toPageRequest(args);
    const sort = userSort(order?.field ?? UserOrderField.CREATED_AT, order?.direction ?? SortDirection.ASC);
    const page = await this.repository.findPage({ scope, tenantId: filter?.tenantId ?? undefined, status: filter?.status ?? undefined, sort }, request);
    const sortValue = (row: UserRow) => (sort.column.name === 'username' ? row.username : sort.column.name === 'email' ? row.email : row.createdAt);
    return toConnection(page, request, (row) => cursorOf(sort, sortValue(row), row.id), toUser);
  }

  /** `createUser`: within the caller's write reach (an ADMIN in its own tenant). */
  async createAs(context: RequestContext, input: CreateUserInput): Promise<User> {
    assertAccess(context.principal, 'user', { userId: null, tenantId: input.tenantId.toLowerCase() }, 'write');
    return this.create(context, input);
  }

  /** Creates a user; `passwordHash` when the user registers with a password (see auth). */
  async create(context: RequestContext, input: CreateUserInput, passwordHash?: string): Promise<User> {
    const outcome = await this.repository
      .insertWithinTenantLimit({
        tenantId: input.tenantId.toLowerCase(),
        username: input.username,
        email: input.email.trim().toLowerCase(),
        displayName: input.displayName.trim(),
        ...(passwordHash === undefined ? {} : { passwordHash }),
      }, context)
      .catch(conflict);
    switch (outcome.kind) {
      case 'created':
        return toUser(outcome.user);
      case 'tenant-not-found':
        throw new AppError('TENANT_NOT_FOUND', 'Tenant not found', { details: { field: 'tenantId' } });
      case 'tenant-full':
        throw new AppError('QUOTA_EXCEEDED', `The tenant already has its maximum of ${outcome.limit} users`, {
          details: { limit: 'maxUsers', max: outcome.limit },
        });
    }
  }

  /** Changes a user within the caller's write reach; fields its roles make read-only are refused (one's own included). */
  async update(context: RequestContext, id: string, input: UpdateUserInput): Promise<User> {
    const current = await this.byId(context, id);
    if (!current) throw new AppError('USER_NOT_FOUND', 'User not found', { details: { id } });
    assertAccess(context.principal, 'user', { userId: current.id, tenantId: current.tenantId }, 'write');
    for (const field of ['email', 'displayName', 'status'] as const) if (input[field] != null) assertWritableField(context.principal, 'user', field);
    const changes = {
      ...(input.email != null ? { email: input.email.trim().toLowerCase() } : {}),
      ...(input.displayName != null ? { displayName: input.displayName.trim() } : {}),
      ...(input.status != null ? { status: input.status } : {}),
    };
    const row = await this.repository.update(id, changes, context).catch(conflict);
    if (!row) throw new AppError('USER_NOT_FOUND', 'User not found', { details: { id } });
    return toUser(row);
  }
}
