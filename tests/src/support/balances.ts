import { randomUUID } from 'node:crypto';
import type { DatabaseTarget } from '@cloudphone/db';
import postgres from 'postgres';

/**
 * TEST FIXTURE, not a product path: credits a user's balance straight in the
 * billing database, the way billing's LedgerRepository.post does it (the
 * balance row locked, one RECHARGE ledger entry with its own idempotency key
 * and the balance after it, the cached balance moved in the same
 * transaction). Stands in for a recharge until billing offers one through
 * the API. PostgreSQL only: an embedded PGlite lives inside the stack.
 */
export async function creditBalance(target: DatabaseTarget | undefined, userId: string, tenantId: string, amountMinor: number, currency = 'USD'): Promise<void> {
  if (target?.kind !== 'postgres') throw new Error('creditBalance needs the billing database on PostgreSQL');
  const sql = postgres(target.url, { max: 1, onnotice: () => undefined });
  try {
    await sql.begin(async (tx) => {
      await tx`insert into balances (user_id, currency, tenant_id) values (${userId}, ${currency}, ${tenantId}) on conflict do nothing`;
      const [balance] = await tx<{ balance_minor: string }[]>`select balance_minor from balances where user_id = ${userId} and currency = ${currency} for update`;
      const after = Number(balance?.balance_minor ?? 0) + amountMinor;
      await tx`insert into balance_transactions (user_id, tenant_id, currency, type, amount_minor, balance_after_minor, idempotency_key, description)
               values (${userId}, ${tenantId}, ${currency}, 'RECHARGE', ${amountMinor}, ${after}, ${`test-fixture:${randomUUID()}`}, 'test fixture credit')`;
      await tx`update balances set balance_minor = ${after}, updated_at = now() where user_id = ${userId} and currency = ${currency}`;
    });
  } finally {
    await sql.end();
  }
}

/** A user's balance and the sum of their ledger in the billing database (PostgreSQL only). */
export async function balanceAndLedger(target: DatabaseTarget | undefined, userId: string, currency = 'USD'): Promise<{ balanceMinor: number; ledgerMinor: number }> {
  if (target?.kind !== 'postgres') throw new Error('balanceAndLedger needs the billing database on PostgreSQL');
  const sql = postgres(target.url, { max: 1, onnotice: () => undefined });
  try {
    const [balance] = await sql<{ balance_minor: string }[]>`select balance_minor from balances where user_id = ${userId} and currency = ${currency}`;
    const [ledger] = await sql<{ total: string }[]>`select coalesce(sum(amount_minor), 0) as total from balance_transactions where user_id = ${userId} and currency = ${currency}`;
    return { balanceMinor: Number(balance?.balance_minor ?? 0), ledgerMinor: Number(ledger?.total ?? 0) };
  } finally {
    await sql.end();
  }
}
