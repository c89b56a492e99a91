import { createHash, randomUUID } from 'node:crypto';
import { AppError, REQUEST_ID_HEADER } from '@cloudphone/errors';
import { IDENTITY_HEADER, type Principal, parseApiKey, principalFromClaims } from '@cloudphone/identity';
import { ServiceFailure, type ServiceGuard } from '@cloudphone/resilience';

/** Turns a presented API key into the principal it acts for; UNAUTHENTICATED when it does not verify. */
export interface ApiKeyVerifier {
  verify(key: string, requestId?: string): Promise<Principal>;
}

/** What the users subgraph answers for a key (its `ApiKeyPrincipal`), null when the key does not verify. */
interface VerifiedKey {
  keyId: string;
  userId: string;
  tenantId: string;
  roles: string[];
  permissions: string[];
  dataScopes: { resource: string; scope: string }[];
  fieldRules: { field: string; rule: string }[];
  expiresAt: string | null;
}

const VERIFY_API_KEY = 'query VerifyApiKey($key: String!) { verifyApiKey(key: $key) { keyId userId tenantId roles permissions dataScopes { resource scope } fieldRules { field rule } expiresAt } }';

/** Keys remembered at most (verified and refused alike); past it the oldest goes first. */
export const API_KEY_CACHE_ENTRIES = 10_000;

export interface RemoteApiKeyVerifierOptions {
  /** The users subgraph's routing URL. */
  url: string;
  /** The guard of calls to the users subgraph (timeout, retry, circuit breaker). */
  guard: ServiceGuard;
  /** The gateway's own signed service identity (verifyApiKey answers services only). */
  serviceIdentity: () => Promise<string>;
  /** How long an answer is reused: a revoked key works for at most this long on any replica. 0: never reused. */
  cacheMs: number;
  maxEntries?: number;
  now?: () => number;
}

interface Remembered {
  principal: Principal | null;
  until: number;
}

const refused = () => new AppError('UNAUTHENTICATED', 'The API key is not valid', { internalMessage: 'API key malformed, unknown, revoked or expired' });

function unavailable(internalMessage: string): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'API keys cannot be checked right now; try again shortly', { service: 'users', internalMessage });
}

/**
 * Verifies API keys by asking the users subgraph (`verifyApiKey`, as the
 * gateway's service identity). Each answer, yes or no, is reused for
 * `cacheMs` (1 s by default), so a revocation reaches every replica within
 * that without shared infrastructure, and concurrent requests with the same
 * key share one call. The cache holds hashes of keys, never keys.
 */
export class RemoteApiKeyVerifier implements ApiKeyVerifier {
  private readonly remembered = new Map<string, Remembered>();
  private readonly pending = new Map<string, Promise<Principal | null>>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: RemoteApiKeyVerifierOptions) {
    this.maxEntries = options.maxEntries ?? API_KEY_CACHE_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  /** How many answers are remembered (bounded by `maxEntries`). */
  get size(): number {
    return this.remembered.size;
  }

  async verify(key: string, requestId: string = randomUUID()): Promise<Principal> {
    // A malformed key costs no call.
    if (!parseApiKey(key)) throw refused();
    const id = createHash('sha256').update(key).digest('base64url');
    const cached = this.remembered.get(id);
    const principal = cached && cached.until > this.now() ? cached.principal : await this.lookUp(id, key, requestId);
    if (!principal) throw refused();
    return principal;
  }

  private lookUp(id: string, key: string, requestId: string): Promise<Principal | null> {
    let answer = this.pending.get(id);
    if (!answer) {
      const askedAt = this.now();
      answer = this.ask(key, requestId)
        .then(({ principal, expiresAt }) => {
          this.remember(id, principal, Math.min(askedAt + this.options.cacheMs, expiresAt ?? Number.POSITIVE_INFINITY));
          return principal;
        })
        .finally(() => this.pending.delete(id));
      this.pending.set(id, answer);
    }
    return answer;
  }

  private remember(id: string, principal: Principal | null, until: number): void {
    if (until <= this.now()) return;
    this.remembered.delete(id);
    // Insertion order is expiry order (one lifetime for all): drop the expired, then the oldest past the bound.
    for (const [oldest, entry] of this.remembered) {
      if (entry.until > this.now() && this.remembered.size < this.maxEntries) break;
      this.remembered.delete(oldest);
    }
    this.remembered.set(id, { principal, until });
  }

  private async ask(key: string, requestId: string): Promise<{ principal: Principal | null; expiresAt: number | undefined }> {
    const headers = { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId, [IDENTITY_HEADER]: await this.options.serviceIdentity() };
    const body = await this.options.guard.execute(
      async ({ signal }) => {
        const response = await fetch(this.options.url, { method: 'POST', headers, body: JSON.stringify({ query: VERIFY_API_KEY, variables: { key } }), signal });
        if (response.status >= 500) throw new ServiceFailure(`users answered HTTP ${response.status}`, response.status);
        return (await response.json()) as { data?: { verifyApiKey: VerifiedKey | null } | null; errors?: unknown[] };
      },
      { idempotent: true },
    );
    if (body.errors?.length || !body.data) throw unavailable(`verifyApiKey errors: ${JSON.stringify(body.errors ?? [])}`);
    const verified = body.data.verifyApiKey;
    if (verified === null) return { principal: null, expiresAt: undefined };
    const principal = principalFromClaims({
      knd: 'api-key',
      sub: verified.userId,
      tid: verified.tenantId,
      rol: verified.roles,
      cid: verified.keyId,
      perm: verified.permissions,
      dsc: Object.fromEntries(verified.dataScopes.map(({ resource, scope }) => [resource, scope])),
      fld: Object.fromEntries(verified.fieldRules.map(({ field, rule }) => [field, rule])),
    });
    if (!principal) throw unavailable(`verifyApiKey answered a principal that does not parse: ${JSON.stringify(verified)}`);
    return { principal, expiresAt: verified.expiresAt === null ? undefined : new Date(verified.expiresAt).getTime() };
  }
}
