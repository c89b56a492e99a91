import { AppError } from '@cloudphone/errors';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Authenticated } from '../auth/authenticator.js';

export interface RateLimitSettings {
  /** Requests per window for one user or API key. */
  points: number;
  /** Requests per window for one address without a credential. */
  anonymousPoints: number;
  windowSeconds: number;
}

/**
 * Requests per user, per API key and (without a credential) per address,
 * counted in Redis so the limit holds across every gateway replica; in
 * process without Redis (one gateway). If Redis fails, each replica keeps
 * counting on its own (rate-limiter-flexible's insurance limiter) rather
 * than letting everything through or refusing everything.
 */
export class RequestRateLimiter {
  private readonly identified: RateLimiterAbstract;
  private readonly anonymous: RateLimiterAbstract;

  constructor(settings: RateLimitSettings, redis: { client: Redis; namespace: string } | undefined) {
    const limiter = (points: number, name: string): RateLimiterAbstract => {
      const options = { points, duration: settings.windowSeconds, keyPrefix: `${redis?.namespace ?? 'cloudphone'}:rate:${name}` };
      if (!redis) return new RateLimiterMemory(options);
      return new RateLimiterRedis({ ...options, storeClient: redis.client, insuranceLimiter: new RateLimiterMemory(options) });
    };
    this.identified = limiter(settings.points, 'principal');
    this.anonymous = limiter(settings.anonymousPoints, 'address');
  }

  /** Counts one request; RATE_LIMITED with `retryAfter` (seconds) once the window's allowance is spent. */
  async consume(caller: Authenticated, address: string | undefined): Promise<void> {
    const { principal } = caller;
    const limiter = principal.kind === 'anonymous' ? this.anonymous : this.identified;
    const key = principal.kind === 'anonymous' ? `ip:${address ?? 'unknown'}` : principal.kind === 'api-key' ? `key:${principal.credentialId}` : `${principal.kind}:${principal.userId ?? principal.service}`;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError('RATE_LIMITED', `Too many requests: retry after ${retryAfter} s`, { details: { retryAfter } });
    }
  }
}
