import { type KeysetSort, type Page, type PageRequest, type SubgraphDatabase, afterCursor, orderByKeyset, rowScopeCondition, pageOf } from '@cloudphone/db';
import type { RowScope } from '@cloudphone/identity';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { type SQL, and, count, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { AuditRepository } from '../auth/audit.repository.js';
import { type ApiKeyRow, apiKeys, users } from '../database/schema.js';

/** Newest first. */
export const API_KEY_SORT: KeysetSort = { column: apiKeys.createdAt, id: apiKeys.id, direction: 'DESC', kind: 'timestamp' };

/** `last_used_at` is written at most this often per key: verification stays a read almost every time. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface NewApiKey {
  userId: string;
  tenantId: string;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: string[];
  expiresAt: Date | null;
}

export interface ApiKeyQuery {
  /** The caller's reach (api_key:read): lists never show a row outside it. */
  scope: RowScope;
  userId?: string | undefined;
}

interface Origin {
  requestId: string;
}

/** API keys; creation and revocation are audited in the transaction that makes them. */
@Injectable()
export class ApiKeysRepository {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly audit: AuditRepository,
  ) {}

  async create(key: NewApiKey, actorUserId: string | null, origin: Origin): Promise<ApiKeyRow> {
    return this.database.db.transaction(async (tx) => {
      const [created] = await tx.insert(apiKeys).values(key).returning();
      if (!created) throw new Error('insert into api_keys returned no row');
      await this.audit.record(tx, {
        actorUserId,
        action: 'api_key.created',
        resource: 'api_key',
        resourceId: created.id,
        summary: { owner: created.userId, name: created.name, scopes: created.scopes.join(' '), expiresAt: created.expiresAt?.toISOString() ?? null },
        requestId: origin.requestId,
      });
      return created;
    });
  }

  async findById(id: string): Promise<ApiKeyRow | undefined> {
    const [row] = await this.database.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    return row;
  }

  /** A key by its public prefix, with its owner's status (one statement, for verification). */
  async findByPrefix(prefix: string): Promise<{ key: ApiKeyRow; ownerStatus: string } | undefined> {
    const [row] = await this.database.db.select({ key: apiKeys, ownerStatus: users.status }).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(eq(apiKeys.prefix, prefix));
    return row;
  }

  async findPage(query: ApiKeyQuery, page: PageRequest): Promise<Page<ApiKeyRow>> {
    const { db } = this.database;
    const filter: (SQL | undefined)[] = [
      rowScopeCondition(query.scope, { userId: apiKeys.userId, tenantId: apiKeys.tenantId }),
      query.userId === undefined ? undefined : eq(apiKeys.userId, query.userId),
    ];
    const rows = await db
        .select()
        .from(apiKeys)
        .where(and(...filter, afterCursor(API_KEY_SORT, page.after)))
        .orderBy(...orderByKeyset(API_KEY_SORT))
        .limit(page.limit + 1);
    return pageOf(rows, page.limit, () => db.select({ value: count() }).from(apiKeys).where(and(...filter)));
  }

  /**
   * Revokes a key; a key already revoked stays as it was, unaudited (the
   * UPDATE matches only a live key, so concurrent revocations audit once).
   */
  async revoke(id: string, now: Date, actorUserId: string | null, origin: Origin): Promise<ApiKeyRow | undefined> {
    return this.database.db.transaction(async (tx) => {
      const [revoked] = await tx
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning();
      if (!revoked) {
        const [current] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id));
        return current;
      }
      await this.audit.record(tx, { actorUserId, action: 'api_key.revoked', resource: 'api_key', resourceId: id, summary: { owner: revoked.userId, name: revoked.name }, requestId: origin.requestId });
      return revoked;
    });
  }

  /**
   * Marks a key used, unless it was marked within the last minute: the
   * condition is in the UPDATE, so replicas verifying at once write once.
   */
  async touch(id: string): Promise<void> {
    await this.database.db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - ${`${LAST_USED_RESOLUTION_MS} milliseconds`}::interval`))));
  }
}
