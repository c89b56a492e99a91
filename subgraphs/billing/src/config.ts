import { ConfigError, type SubgraphProcessSettings, parseConfig, readSubgraphProcessSettings, z } from '@cloudphone/config';

export type BillingConfig = SubgraphProcessSettings;

/** The billing subgraph's reader of the environment; fails at boot on a bad value. */
export function loadBillingConfig(env: Record<string, string | undefined> = process.env): BillingConfig {
  return readSubgraphProcessSettings('billing', 4004, { users: 'http://127.0.0.1:4001/graphql', devices: 'http://127.0.0.1:4002/graphql' }, env);
}

const billingSchema = z.object({
  /** The currency balances are kept in (and recharges credited to) unless a caller names another. */
  BILLING_CURRENCY: z.string().regex(/^[A-Z]{3}$/).default('USD'),
  /** A debit that takes a balance from at or above this to below it emits balance.low (minor units). */
  BILLING_LOW_BALANCE_MINOR: z.coerce.number().int().min(0).default(1_000),
  /** How long a new order may wait for its payment (DOMAIN: 15 minutes). */
  ORDER_PAYMENT_WINDOW_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(15 * 60_000),
  /** How often unpaid orders past their window are cancelled. */
  ORDER_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How long a saga step may hold its saga before another process may take it over (a dead process's sagas resume after this). */
  SAGA_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** How often due sagas are looked for (new and woken ones start at once). */
  SAGA_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** How long a purchase may wait for its device to come up before it is undone. */
  SAGA_DEVICE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(15 * 60_000),
  /**
   * Test hook: exit the process at a saga step boundary, `<phase>:<step>`
   * with phase before | effect | after (e.g. `effect:createDevice`). Refused in production.
   */
  SAGA_CRASH_AT: z
    .string()
    .regex(/^(before|effect|after):[A-Za-z]+$/)
    .optional(),
  /** Secret the simulated payment provider signs its callbacks with (HMAC-SHA256); a dev default outside production. */
  PAYMENT_PROVIDER_SECRET: z.string().min(32).optional(),
  /** Where the simulated provider posts its callbacks: this subgraph's own webhook URL (default: derived from its port). */
  PAYMENT_CALLBACK_URL: z.url().optional(),
  /** How long the simulated provider takes to call back. */
  PAYMENT_PROVIDER_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(200),
  /** When the simulated provider captures a tok_late payment after all (a capture racing the void of an expired order). */
  PAYMENT_PROVIDER_LATE_MS: z.coerce.number().int().min(0).max(3_600_000).default(20 * 60_000),
  /**
   * How often running devices are charged for the time since their last cut (metering sweep); must divide a
   * day, so a cut falls on every UTC midnight and usage does not straddle invoice months.
   */
  METERING_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .refine((value) => 86_400_000 % value === 0, 'must divide a day (86400000 ms)')
    .default(15 * 60_000),
  /** How old a cut-off must be before the sweep charges up to it, so a status change from before it arrives first. */
  METERING_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** How long after its month an invoice is closed (its totals frozen); longer than one metering interval plus its grace. */
  INVOICE_CLOSE_GRACE_MS: z.coerce.number().int().min(0).max(30 * 86_400_000).default(3_600_000),
  NODE_ENV: z.string().optional(),
});

/** Nest token of the BillingSettings the module was built with. */
export const BILLING_SETTINGS = Symbol('BILLING_SETTINGS');

export interface BillingSettings {
  currency: string;
  lowBalanceMinor: number;
  paymentWindowMs: number;
  expiryIntervalMs: number;
  sagaLeaseMs: number;
  sagaPollMs: number;
  sagaDeviceTimeoutMs: number;
  crashAt: string | undefined;
  providerSecret: string;
  callbackUrl: string | undefined;
  providerDelayMs: number;
  providerLateMs: number;
  meteringIntervalMs: number;
  meteringGraceMs: number;
  invoiceCloseGraceMs: number;
}

/** Not a secret: only for development and tests, refused in production. */
const DEVELOPMENT_PROVIDER_SECRET = 'simulated-provider-development-secret-do-not-use';

/**
 * Billing's own settings; read when the module is built, also in hosts (the
 * embedded stack, test threads) that configure database and port themselves.
 */
export function loadBillingSettings(env: Record<string, string | undefined> = process.env): BillingSettings {
  const parsed = parseConfig('billing subgraph', billingSchema, env);
  const production = parsed.NODE_ENV === 'production';
  if (production && parsed.PAYMENT_PROVIDER_SECRET === undefined) throw new ConfigError('billing subgraph', ['PAYMENT_PROVIDER_SECRET: required in production']);
  if (production && parsed.SAGA_CRASH_AT !== undefined) throw new ConfigError('billing subgraph', ['SAGA_CRASH_AT: a test hook, refused in production']);
  return {
    currency: parsed.BILLING_CURRENCY,
    lowBalanceMinor: parsed.BILLING_LOW_BALANCE_MINOR,
    paymentWindowMs: parsed.ORDER_PAYMENT_WINDOW_MS,
    expiryIntervalMs: parsed.ORDER_EXPIRY_INTERVAL_MS,
    sagaLeaseMs: parsed.SAGA_LEASE_MS,
    sagaPollMs: parsed.SAGA_POLL_MS,
    sagaDeviceTimeoutMs: parsed.SAGA_DEVICE_TIMEOUT_MS,
    crashAt: parsed.SAGA_CRASH_AT,
    providerSecret: parsed.PAYMENT_PROVIDER_SECRET ?? DEVELOPMENT_PROVIDER_SECRET,
    callbackUrl: parsed.PAYMENT_CALLBACK_URL,
    providerDelayMs: parsed.PAYMENT_PROVIDER_DELAY_MS,
    providerLateMs: parsed.PAYMENT_PROVIDER_LATE_MS,
    meteringIntervalMs: parsed.METERING_INTERVAL_MS,
    meteringGraceMs: parsed.METERING_GRACE_MS,
    invoiceCloseGraceMs: parsed.INVOICE_CLOSE_GRACE_MS,
  };
}
