import { cursorOf } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { apiKeySecretMatches, assertAccess, assertAnyAccess, assertService, compilePolicy, generateApiKey, narrowPolicy, parseApiKey } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, UNIQUE_VIOLATION, sqlState, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import { AccessRevocations } from '../auth/access-revocations.js';
import type { ApiKeyRow } from '../database/schema.js';
import { RolesRepository } from '../roles/roles.repository.js';
import { API_KEY_SORT, ApiKeysRepository, LAST_USED_RESOLUTION_MS } from './api-keys.repository.js';
import type { ApiKey, ApiKeyPrincipal, CreateApiKeyInput, CreatedApiKey } from './models/api-key.model.js';

/** A new key's prefix is 48 random bits: a clash is rare, and retried. */
const PREFIX_ATTEMPTS = 3;

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * API keys: created by a signed-in user with scopes out of its own
 * permissions, revoked by the owner or an administrator within its
 * `api_key:write` reach, and verified for the gateway, which acts with the
 * owner's current roles narrowed to the key's scopes.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repository: ApiKeysRepository,
    private readonly roles: RolesRepository,
    private readonly revocations: AccessRevocations,
  ) {}

  async create(context: RequestContext, input: CreateApiKeyInput, now = new Date()): Promise<CreatedApiKey> {
    const { principal } = context;
    if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
    // A key minted with a key would outlive the revocation of the one that minted it.
    if (principal.kind !== 'user' || !principal.userId || !principal.tenantId) throw new AppError('FORBIDDEN', 'API keys are created by a signed-in user, not by a key or a service');
    assertAccess(principal, 'api_key', { userId: principal.userId, tenantId: principal.tenantId }, 'write');
    const name = input.name.trim();
    if (name === '') throw new AppError('BAD_USER_INPUT', 'name must be 1 to 100 characters', { details: { field: 'name' } });
    const scopes = [...new Set(input.scopes.map((scope) => scope.trim()))].sort();
    const foreign = scopes.find((scope) => !principal.policy.permissions.includes(scope));
    if (foreign !== undefined) {
      throw new AppError('BAD_USER_INPUT', `A key can only have permissions you hold: you do not hold ${foreign}`, { details: { field: 'scopes', scope: foreign } });
    }
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) throw new AppError('BAD_USER_INPUT', 'expiresAt must be in the future', { details: { field: 'expiresAt' } });
    for (let attempt = 1; ; attempt += 1) {
      const generated = generateApiKey();
      try {
        const row = await this.repository.create({ userId: principal.userId, tenantId: principal.tenantId, name, prefix: generated.prefix, secretHash: generated.secretHash, scopes, expiresAt }, principal.userId, context);
        return { apiKey: toApiKey(row), secret: generated.key };
      } catch (error) {
        if (sqlState(error) !== UNIQUE_VIOLATION || attempt >= PREFIX_ATTEMPTS) throw error;
      }
    }
  }

  /** Revokes a key: its owner may, or anyone whose `api_key:write` reaches the owner. Revoking a revoked key changes nothing. */
  async revoke(context: RequestContext, id: string, now = new Date()): Promise<ApiKey> {
    const { principal } = context;
    const key = await this.repository.findById(id);
    if (!key) throw new AppError('NOT_FOUND', 'No API key with this id', { details: { field: 'id' } });
    const ownerSignedIn = principal.kind === 'user' && principal.userId === key.userId;
    if (!ownerSignedIn) assertAccess(principal, 'api_key', { userId: key.userId, tenantId: key.tenantId }, 'write');
    const revoked = await this.repository.revoke(id, now, principal.userId, context);
    if (!revoked) throw new AppError('NOT_FOUND', 'No API key with this id', { details: { field: 'id' } });
    // Announced on every revocation, a repeated one included, so a failed announcement is mended by retrying.
    await this.revocations.endCredential(revoked.id, now.getTime());
    return toApiKey(revoked);
  }

  /** Keys of one user (the caller by default) within the caller's `api_key:read` reach, newest first. */
  async list(context: RequestContext, args: ConnectionArgs, userId: string | undefined): Promise<ConnectionShape<ApiKey>> {
    const scope = assertAnyAccess(context.principal, 'api_key');
    const request = toPageRequest(args);
    const page = await this.repository.findPage({ scope, userId: userId ?? context.principal.userId ?? undefined }, request);
    return toConnection(page, request, (row) => cursorOf(API_KEY_SORT, row.createdAt, row.id), toApiKey);
  }

  /**
   * The principal of a presented key, for the gateway (services only); null
   * for a malformed, unknown, revoked or expired key, a wrong secret, or an
   * owner who is no longer active. Marks the key used, at most once a minute.
   */
  async verify(context: RequestContext, presented: string, now = new Date()): Promise<ApiKeyPrincipal | null> {
    assertService(context.principal);
    const parts = parseApiKey(presented);
    if (!parts) return null;
    const found = await this.repository.findByPrefix(parts.prefix);
    if (!found || !apiKeySecretMatches(parts.secret, found.key.secretHash)) return null;
    const { key, ownerStatus } = found;
    if (key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime()) || ownerStatus !== 'ACTIVE') return null;
    const [{ roles, grants }] = await Promise.all([
      this.roles.grantsOf(key.userId),
      key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS ? this.repository.touch(key.id) : undefined,
    ]);
    const policy = narrowPolicy(compilePolicy(grants), key.scopes);
    return {
      keyId: key.id,
      userId: key.userId,
      tenantId: key.tenantId,
      roles,
      permissions: [...policy.permissions],
      dataScopes: Object.entries(policy.dataScopes).map(([resource, scope]) => ({ resource, scope })),
      fieldRules: Object.entries(policy.fieldRules).map(([field, rule]) => ({ field, rule })),
      expiresAt: key.expiresAt,
    };
  }
}
