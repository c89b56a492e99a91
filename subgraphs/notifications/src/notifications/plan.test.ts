import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AnyEventEnvelope, type EventPayload, type RoutingKey, createEnvelope } from '@cloudphone/events';
import { NotificationChannel as C, NotificationSeverity as S, NotificationType as T } from './models/notification-kinds.js';
import { type DeliveryPreference, channelsFor, formatMinorUnits, inQuietHours, notificationIntent, planForEvent } from './plan.js';

const USER = '0b0b0000-0000-4000-8000-000000000001';
const OTHER = '0b0b0000-0000-4000-8000-000000000002';
const NOON_UTC = new Date('2025-06-01T12:00:00.000Z');

function event<K extends RoutingKey>(type: K, data: EventPayload<K>): AnyEventEnvelope {
  return createEnvelope(type, data, { source: 'test' }) as AnyEventEnvelope;
}

function preference(changes: Partial<DeliveryPreference> = {}): DeliveryPreference {
  return { enabled: true, channels: [C.IN_APP, C.EMAIL], quietHoursStart: null, quietHoursEnd: null, timeZone: 'UTC', ...changes };
}

const userCreated = event('user.created', { userId: USER, tenantId: OTHER, username: 'ada', email: 'ada@example.com', displayName: 'Ada L.', status: 'ACTIVE', version: 1 });
const deviceSnapshot = { deviceId: OTHER, userId: USER, tenantId: OTHER, name: 'Pixel A', version: 3, changedAt: NOON_UTC.toISOString() };

test('user.created -> WELCOME (INFO) with the display name, on IN_APP and EMAIL by default', () => {
  assert.deepEqual(notificationIntent(userCreated), { userId: USER, type: T.WELCOME, severity: S.INFO, data: { displayName: 'Ada L.', username: 'ada' } });
  assert.deepEqual(
    planForEvent(userCreated, null, NOON_UTC).map((planned) => [planned.type, planned.channel, planned.severity]),
    [
      [T.WELCOME, C.IN_APP, S.INFO],
      [T.WELCOME, C.EMAIL, S.INFO],
    ],
  );
});

test('device.status.changed into ERROR -> DEVICE_ERROR (CRITICAL); any other change -> nothing', () => {
  const failed = notificationIntent(event('device.status.changed', { ...deviceSnapshot, status: 'ERROR', previousStatus: 'RUNNING' }));
  assert.equal(failed?.type, T.DEVICE_ERROR);
  assert.equal(failed?.severity, S.CRITICAL);
  assert.equal(failed?.userId, USER);
  assert.equal(failed?.data['deviceName'], 'Pixel A');
  assert.equal(failed?.data['previousStatus'], 'RUNNING');
  assert.equal(notificationIntent(event('device.status.changed', { ...deviceSnapshot, status: 'RUNNING', previousStatus: 'CREATING' })), null);
  assert.equal(notificationIntent(event('device.status.changed', { ...deviceSnapshot, status: 'STOPPED', previousStatus: 'ERROR' })), null);
  assert.equal(notificationIntent(event('device.status.changed', { ...deviceSnapshot, status: 'ERROR', previousStatus: 'ERROR' })), null, 'no change, no new notice');
});

test('order.paid -> ORDER_PAID (INFO) with the amount in major units', () => {
  const intent = notificationIntent(event('order.paid', { orderId: OTHER, userId: USER, deviceId: null, planId: OTHER, status: 'PAID', amountMinor: 1990, currency: 'USD' }));
  assert.equal(intent?.type, T.ORDER_PAID);
  assert.equal(intent?.severity, S.INFO);
  assert.equal(intent?.data['amount'], '19.90');
  assert.equal(intent?.data['deviceId'], null);
});

test('payment.failed -> PAYMENT_FAILED (WARNING) with the reason', () => {
  const intent = notificationIntent(event('payment.failed', { paymentId: OTHER, orderId: OTHER, userId: USER, method: 'CARD', reason: 'card declined', amountMinor: 500, currency: 'JPY' }));
  assert.deepEqual([intent?.type, intent?.severity, intent?.data['reason'], intent?.data['amount']], [T.PAYMENT_FAILED, S.WARNING, 'card declined', '500']);
});

test('balance.low -> BALANCE_LOW (WARNING) with balance and threshold', () => {
  const intent = notificationIntent(event('balance.low', { userId: USER, balanceMinor: 5, thresholdMinor: 1000, currency: 'EUR' }));
  assert.deepEqual([intent?.type, intent?.severity, intent?.data['balance'], intent?.data['threshold']], [T.BALANCE_LOW, S.WARNING, '0.05', '10.00']);
});

test('quota.exceeded -> QUOTA_EXCEEDED (WARNING)', () => {
  const intent = notificationIntent(event('quota.exceeded', { userId: USER, limit: 'devices', max: 2, requested: 3 }));
  assert.deepEqual([intent?.type, intent?.severity, intent?.data['limit'], intent?.data['max'], intent?.data['requested']], [T.QUOTA_EXCEEDED, S.WARNING, 'devices', 2, 3]);
});

test('app.install.failed -> INSTALL_FAILED (WARNING) with the reason', () => {
  const intent = notificationIntent(event('app.install.failed', { installId: OTHER, deviceId: OTHER, applicationId: OTHER, userId: USER, reason: 'no space' }));
  assert.deepEqual([intent?.type, intent?.severity, intent?.data['reason']], [T.INSTALL_FAILED, S.WARNING, 'no space']);
});

test('events that call for no notification plan nothing', () => {
  const snapshot = { userId: USER, tenantId: OTHER, username: 'ada', email: 'ada@example.com', displayName: 'Ada', status: 'ACTIVE' as const, version: 2 };
  assert.equal(notificationIntent(event('user.updated', snapshot)), null);
  assert.deepEqual(planForEvent(event('device.created', { ...deviceSnapshot, status: 'CREATING' }), null, NOON_UTC), []);
});

test('channels come from the preference; a disabled preference plans nothing', () => {
  assert.deepEqual(channelsFor(S.INFO, preference({ channels: [C.SMS, C.WEBSOCKET, C.SMS] }), NOON_UTC), [C.SMS, C.WEBSOCKET]);
  assert.deepEqual(planForEvent(userCreated, preference({ enabled: false }), NOON_UTC), []);
  assert.deepEqual(channelsFor(S.CRITICAL, preference({ enabled: false }), NOON_UTC), [], 'disabled means nothing, even CRITICAL');
  assert.deepEqual(channelsFor(S.INFO, preference({ channels: [] }), NOON_UTC), []);
  assert.deepEqual(channelsFor(S.INFO, null, NOON_UTC), [C.IN_APP, C.EMAIL]);
});

test('quiet hours within a day: [start, end)', () => {
  const window = preference({ quietHoursStart: 9 * 60, quietHoursEnd: 17 * 60 });
  assert.equal(inQuietHours(window, new Date('2025-06-01T08:59:00Z')), false);
  assert.equal(inQuietHours(window, new Date('2025-06-01T09:00:00Z')), true);
  assert.equal(inQuietHours(window, new Date('2025-06-01T16:59:59Z')), true);
  assert.equal(inQuietHours(window, new Date('2025-06-01T17:00:00Z')), false);
});

test('quiet hours that wrap midnight (22:00 to 07:00)', () => {
  const night = preference({ quietHoursStart: 22 * 60, quietHoursEnd: 7 * 60 });
  assert.equal(inQuietHours(night, new Date('2025-06-01T21:59:00Z')), false);
  assert.equal(inQuietHours(night, new Date('2025-06-01T22:00:00Z')), true);
  assert.equal(inQuietHours(night, new Date('2025-06-01T23:59:00Z')), true);
  assert.equal(inQuietHours(night, new Date('2025-06-02T00:00:00Z')), true);
  assert.equal(inQuietHours(night, new Date('2025-06-02T06:59:00Z')), true);
  assert.equal(inQuietHours(night, new Date('2025-06-02T07:00:00Z')), false);
  assert.equal(inQuietHours(night, NOON_UTC), false);
});

test('quiet hours are in the preference time zone, daylight saving included', () => {
  const tokyoNight = preference({ quietHoursStart: 22 * 60, quietHoursEnd: 7 * 60, timeZone: 'Asia/Tokyo' });
  // 14:00 UTC is 23:00 in Tokyo (UTC+9): quiet there, not in UTC.
  assert.equal(inQuietHours(tokyoNight, new Date('2025-06-01T14:00:00Z')), true);
  assert.equal(inQuietHours({ ...tokyoNight, timeZone: 'UTC' }, new Date('2025-06-01T14:00:00Z')), false);
  const berlinMorning = preference({ quietHoursStart: 0, quietHoursEnd: 8 * 60, timeZone: 'Europe/Berlin' });
  // 06:30 UTC is 08:30 in Berlin in summer (UTC+2) but 07:30 in winter (UTC+1).
  assert.equal(inQuietHours(berlinMorning, new Date('2025-07-01T06:30:00Z')), false);
  assert.equal(inQuietHours(berlinMorning, new Date('2025-01-15T06:30:00Z')), true);
});

test('no quiet hours without both bounds, or with equal bounds', () => {
  assert.equal(inQuietHours(preference({ quietHoursStart: 0, quietHoursEnd: null }), NOON_UTC), false);
  assert.equal(inQuietHours(preference({ quietHoursStart: 600, quietHoursEnd: 600 }), NOON_UTC), false);
});

test('in quiet hours a non-CRITICAL notification goes IN_APP only', () => {
  const quietNow = preference({ channels: [C.EMAIL, C.SMS], quietHoursStart: 11 * 60, quietHoursEnd: 13 * 60 });
  assert.deepEqual(channelsFor(S.INFO, quietNow, NOON_UTC), [C.IN_APP]);
  assert.deepEqual(channelsFor(S.WARNING, quietNow, NOON_UTC), [C.IN_APP]);
  assert.deepEqual(
    planForEvent(userCreated, quietNow, NOON_UTC).map((planned) => planned.channel),
    [C.IN_APP],
  );
  assert.deepEqual(channelsFor(S.INFO, quietNow, new Date('2025-06-01T14:00:00Z')), [C.EMAIL, C.SMS], 'outside the window the chosen channels apply');
});

test('CRITICAL ignores quiet hours', () => {
  const quietNow = preference({ channels: [C.IN_APP, C.EMAIL, C.SMS], quietHoursStart: 22 * 60, quietHoursEnd: 13 * 60 });
  assert.equal(inQuietHours(quietNow, NOON_UTC), true);
  const failed = event('device.status.changed', { ...deviceSnapshot, status: 'ERROR', previousStatus: 'RUNNING' });
  assert.deepEqual(
    planForEvent(failed, quietNow, NOON_UTC).map((planned) => [planned.channel, planned.severity]),
    [
      [C.IN_APP, S.CRITICAL],
      [C.EMAIL, S.CRITICAL],
      [C.SMS, S.CRITICAL],
    ],
  );
});

test('minor units format exactly', () => {
  assert.equal(formatMinorUnits(1990, 'USD'), '19.90');
  assert.equal(formatMinorUnits(5, 'USD'), '0.05');
  assert.equal(formatMinorUnits(-250, 'EUR'), '-2.50');
  assert.equal(formatMinorUnits(980, 'JPY'), '980');
  assert.equal(formatMinorUnits(Number.MAX_SAFE_INTEGER, 'USD'), '90071992547409.91');
});
