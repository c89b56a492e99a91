import type { NewOrderRow } from '../database/schema.js';
import type { RemoteUser } from '../peers/users.client.js';
import type { Plan } from '../plans/models/plan.model.js';
import { expiresAtFor } from './order-transitions.js';

/**
 * A new PENDING order of `plan` for the buyer (as resolveBuyer answers): the plan's price as the amount,
 * the user's copies (name, e-mail, version, tenant) as the users subgraph has
 * them now, payable for `paymentWindowMs` from `placedAt`.
 */
export function pendingOrder({ userId, user }: { userId: string; user: RemoteUser }, plan: Plan, placedAt: Date, paymentWindowMs: number): NewOrderRow {
  return {
    userId,
    tenantId: user.tenantId,
    planId: plan.id,
    amountMinor: plan.priceMinor,
    currency: plan.currency,
    status: 'PENDING',
    userName: user.displayName,
    userEmail: user.email,
    userVersion: user.version,
    createdAt: placedAt,
    updatedAt: placedAt,
    expiresAt: expiresAtFor(placedAt, paymentWindowMs),
  };
}
