import { AppError } from '@cloudphone/errors';
import type { RequestContext } from '@cloudphone/subgraph-kit';
import { Injectable, Logger } from '@nestjs/common';
import { DevicesRepository } from '../devices/devices.repository.js';
import { UsersClient } from '../users/users.client.js';
import { NO_USAGE, type Quota, type QuotaBreach, type QuotaCheck, type QuotaUsage, quotaBreach, quotaExceeded, quotaSuspended } from './quota-rules.js';

/** Whose quota a check is about: the owner and its tenant (for the event's envelope). */
export interface QuotaOwner {
  userId: string;
  tenantId: string;
}

/**
 * Enforces users' quotas on createDevice and startDevice. The quota comes
 * from the users subgraph; a check that cannot run fails closed (users
 * unreachable, or no quota for the user: refused, nothing written). The
 * decisive count runs in the writing transaction under the owner's lock
 * (DevicesRepository.insert / transition); a refusal is published as
 * quota.exceeded in a transaction of its own.
 */
@Injectable()
export class QuotaGuard {
  private readonly logger = new Logger('devices-quota');

  constructor(
    private readonly users: UsersClient,
    private readonly repository: DevicesRepository,
  ) {}

  /** The quota to check against: SERVICE_UNAVAILABLE when there is none to be had, QUOTA_EXCEEDED when it is suspended. */
  enforceable(quota: Quota | null, userId: string): Quota {
    if (!quota) {
      throw new AppError('SERVICE_UNAVAILABLE', "The user's quota could not be checked", { service: 'users', retryable: false, internalMessage: `users has no quota for user ${userId}` });
    }
    if (quota.status !== 'ACTIVE') throw quotaSuspended();
    return quota;
  }

  /** The owner's quota, asked once per request however many of its devices a batch starts. */
  async quotaOf(context: RequestContext, userId: string): Promise<Quota> {
    const quota = await context.loaders
      .get<string, Quota | null>('Quota.of', (userIds) => Promise.all(userIds.map((id) => this.users.quotaOf(id, context.requestId))))
      .load(userId);
    return this.enforceable(quota, userId);
  }

  /** The check the writing transaction runs on the owner's locked usage. */
  check(quota: Quota, added: Partial<QuotaUsage>): QuotaCheck {
    return (usage) => quotaBreach(quota, usage, added);
  }

  /**
   * The cheap refusal before anything is reserved: the same check on the
   * usage as it reads now, without the lock (the writing transaction decides).
   */
  async precheck(context: RequestContext, owner: QuotaOwner, quota: Quota, added: Partial<QuotaUsage>): Promise<void> {
    const usage = (await this.repository.usageByOwners({ kind: 'ALL' }, [owner.userId])).get(owner.userId) ?? NO_USAGE;
    const breach = quotaBreach(quota, usage, added);
    if (breach) throw await this.refusal(context, owner, breach);
  }

  /** Publishes the refusal (quota.exceeded) and returns the error to throw; a lost event does not change the answer. */
  async refusal(context: RequestContext, owner: QuotaOwner, breach: QuotaBreach): Promise<AppError> {
    await this.repository
      .recordQuotaExceeded(owner, breach, context)
      .catch((error: unknown) => this.logger.warn(`recording quota.exceeded for user ${owner.userId} failed: ${(error as Error).message}`));
    return quotaExceeded(breach);
  }
}
