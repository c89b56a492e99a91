import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@cloudphone/errors';
import { formatMoney, isCurrencyCode, minorUnitDigits, parseMoney } from './money.js';

function assertBadInput(work: () => unknown, field = 'amount'): void {
  assert.throws(work, (error: unknown) => error instanceof AppError && error.code === 'BAD_USER_INPUT' && error.details['field'] === field);
}

test('currencies have two minor digits except JPY and KRW', () => {
  assert.equal(minorUnitDigits('USD'), 2);
  assert.equal(minorUnitDigits('EUR'), 2);
  assert.equal(minorUnitDigits('JPY'), 0);
  assert.equal(minorUnitDigits('KRW'), 0);
});

test('currency codes are three upper-case letters', () => {
  assert.equal(isCurrencyCode('USD'), true);
  assert.equal(isCurrencyCode('usd'), false);
  assert.equal(isCurrencyCode('US'), false);
  assert.equal(isCurrencyCode('USDT'), false);
});

test('formats minor units as exact major-unit decimals', () => {
  assert.equal(formatMoney(1990, 'USD'), '19.90');
  assert.equal(formatMoney(5, 'EUR'), '0.05');
  assert.equal(formatMoney(0, 'USD'), '0.00');
  assert.equal(formatMoney(100, 'USD'), '1.00');
  assert.equal(formatMoney(-250, 'USD'), '-2.50');
  assert.equal(formatMoney(500, 'JPY'), '500');
  assert.equal(formatMoney(12000, 'KRW'), '12000');
});

test('formats the largest safe amount without losing a digit', () => {
  assert.equal(formatMoney(Number.MAX_SAFE_INTEGER, 'USD'), '90071992547409.91');
});

test('refuses to format amounts that are not safe integers', () => {
  assert.throws(() => formatMoney(19.9, 'USD'), RangeError);
  assert.throws(() => formatMoney(Number.MAX_SAFE_INTEGER + 1, 'USD'), RangeError);
});

test('parses decimals into minor units without floating point', () => {
  assert.equal(parseMoney('19.90', 'USD'), 1990);
  assert.equal(parseMoney('19.9', 'USD'), 1990);
  assert.equal(parseMoney('19', 'USD'), 1900);
  assert.equal(parseMoney('0.29', 'USD'), 29);
  assert.equal(parseMoney('0', 'USD'), 0);
  assert.equal(parseMoney(' 1.10 ', 'USD'), 110);
  assert.equal(parseMoney('500', 'JPY'), 500);
  assert.equal(parseMoney('90071992547409.91', 'USD'), Number.MAX_SAFE_INTEGER);
});

test('parse and format round-trip', () => {
  for (const value of ['0.01', '0.10', '1.00', '19.90', '1234567.89']) assert.equal(formatMoney(parseMoney(value, 'USD'), 'USD'), value);
  assert.equal(formatMoney(parseMoney('980', 'JPY'), 'JPY'), '980');
});

test('rejects more decimals than the currency has', () => {
  assertBadInput(() => parseMoney('19.999', 'USD'));
  assertBadInput(() => parseMoney('19.900', 'USD'));
  assertBadInput(() => parseMoney('500.5', 'JPY'));
  assertBadInput(() => parseMoney('500.0', 'KRW'));
});

test('rejects negative amounts', () => {
  assertBadInput(() => parseMoney('-1', 'USD'));
  assertBadInput(() => parseMoney('-0.01', 'USD'));
});

test('rejects anything that is not a plain decimal, naming the field', () => {
  for (const garbage of ['', ' ', 'abc', '1e3', '1,50', '.5', '5.', '+5', '0x10', 'NaN', 'Infinity', '1.2.3', '١٢']) {
    assertBadInput(() => parseMoney(garbage, 'USD', 'price'), 'price');
  }
});

test('rejects amounts too large to hold exactly', () => {
  assertBadInput(() => parseMoney('90071992547409.92', 'USD'));
  assertBadInput(() => parseMoney('99999999999999999999', 'JPY'));
});
