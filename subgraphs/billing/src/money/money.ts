import { badUserInput } from '@cloudphone/errors';

/**
 * Money is integer minor units (cents, yen...) plus an ISO 4217 currency.
 * Clients see exact decimal strings in major units ("19.90"); conversion is
 * done on digits, never through floating point.
 */

/** Currencies without a minor unit; every other one has two decimals. */
const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['JPY', 'KRW']);
const DEFAULT_MINOR_DIGITS = 2;

const CURRENCY_CODE = /^[A-Z]{3}$/;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER);

/** Three upper-case letters, as ISO 4217 codes are written. */
export function isCurrencyCode(value: string): boolean {
  return CURRENCY_CODE.test(value);
}

/** Decimals of one major unit of `currency`: 0 for JPY and KRW, 2 otherwise. */
export function minorUnitDigits(currency: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : DEFAULT_MINOR_DIGITS;
}

/** Formats minor units as an exact decimal in major units: 1990 USD -> "19.90", 500 JPY -> "500". */
export function formatMoney(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`amount in minor units must be a safe integer, got ${amountMinor}`);
  const digits = minorUnitDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const absolute = String(Math.abs(amountMinor));
  if (digits === 0) return `${sign}${absolute}`;
  const padded = absolute.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * Parses a non-negative decimal in major units into minor units: "19.9" USD
 * -> 1990, "500" JPY -> 500. Negative amounts, more decimals than the currency
 * has, amounts beyond exact integers, and anything not a plain decimal are
 * BAD_USER_INPUT on `field`.
 */
export function parseMoney(value: string, currency: string, field = 'amount'): number {
  const text = value.trim();
  if (text.startsWith('-')) throw badUserInput(`"${field}" must not be negative`, field);
  const match = DECIMAL.exec(text);
  if (!match) throw badUserInput(`"${field}" must be a decimal number such as "19.90"`, field);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const digits = minorUnitDigits(currency);
  if (fraction.length > digits) {
    throw badUserInput(
      digits === 0 ? `"${field}" must be a whole number of ${currency}` : `"${field}" has more than ${digits} decimals for ${currency}`,
      field,
    );
  }
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor > MAX_MINOR) throw badUserInput(`"${field}" is too large`, field);
  return Number(minor);
}
