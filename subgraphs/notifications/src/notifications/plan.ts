/**
 * What to notify about an event, to whom, and on which channels. Pure: the
 * caller reads the user's preference and passes the time; nothing here does
 * I/O, so every rule is unit-tested (plan.test.ts).
 */
import type { AnyEventEnvelope } from '@cloudphone/events';
import { minutesAfterMidnight } from '../preferences/time-zone.js';
import type { TemplateValue } from '../templates/render.js';
import { DEFAULT_CHANNELS, NotificationChannel, NotificationSeverity, NotificationType } from './models/notification-kinds.js';

/** Flat values of an event: the template variables, stored as the notification's data. */
export type NotificationData = Record<string, TemplateValue>;

/** The notification an event calls for, before preferences pick its channels. */
export interface NotificationIntent {
  userId: string;
  type: NotificationType;
  severity: NotificationSeverity;
  data: NotificationData;
}

/** Quiet hours: minutes after local midnight in `timeZone`; no window unless both bounds are set. */
export interface QuietHours {
  quietHoursStart: number | null;
  quietHoursEnd: number | null;
  timeZone: string;
}

/** A user's preference for one notification type. */
export interface DeliveryPreference extends QuietHours {
  enabled: boolean;
  channels: readonly NotificationChannel[];
}

/** One notification to store: one per channel. */
export interface PlannedNotification extends NotificationIntent {
  channel: NotificationChannel;
}

/** Currencies without minor digits; every other one has two (as billing formats them). */
const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW']);

/** Integer minor units as exact major-unit text ("1990", "USD" -> "19.90"), without floating point. */
export function formatMinorUnits(amountMinor: number, currency: string): string {
  const digits = ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : 2;
  const sign = amountMinor < 0 ? '-' : '';
  const text = String(Math.abs(Math.trunc(amountMinor)));
  if (digits === 0) return `${sign}${text}`;
  const padded = text.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * The notification an event calls for, or null when it calls for none:
 * user.created -> WELCOME; device.status.changed into ERROR -> DEVICE_ERROR
 * (CRITICAL); order.paid -> ORDER_PAID; payment.failed, balance.low,
 * quota.exceeded, app.install.failed -> WARNINGs. Any other event: null.
 */
export function notificationIntent(envelope: AnyEventEnvelope): NotificationIntent | null {
  switch (envelope.type) {
    case 'user.created': {
      const { userId, displayName, username } = envelope.data;
      return { userId, type: NotificationType.WELCOME, severity: NotificationSeverity.INFO, data: { displayName, username } };
    }
    case 'device.status.changed': {
      const { userId, deviceId, name, status, previousStatus, changedAt } = envelope.data;
      if (status !== 'ERROR' || previousStatus === 'ERROR') return null;
      return {
        userId,
        type: NotificationType.DEVICE_ERROR,
        severity: NotificationSeverity.CRITICAL,
        data: { deviceId, deviceName: name, previousStatus, status, changedAt },
      };
    }
    case 'order.paid': {
      const { userId, orderId, planId, deviceId, amountMinor, currency } = envelope.data;
      return {
        userId,
        type: NotificationType.ORDER_PAID,
        severity: NotificationSeverity.INFO,
        data: { orderId, planId, deviceId, amountMinor, currency, amount: formatMinorUnits(amountMinor, currency) },
      };
    }
    case 'payment.failed': {
      const { userId, paymentId, orderId, method, reason, amountMinor, currency } = envelope.data;
      return {
        userId,
        type: NotificationType.PAYMENT_FAILED,
        severity: NotificationSeverity.WARNING,
        data: { paymentId, orderId, method, reason, amountMinor, currency, amount: formatMinorUnits(amountMinor, currency) },
      };
    }
    case 'balance.low': {
      const { userId, balanceMinor, thresholdMinor, currency } = envelope.data;
      return {
        userId,
        type: NotificationType.BALANCE_LOW,
        severity: NotificationSeverity.WARNING,
        data: {
          balanceMinor,
          thresholdMinor,
          currency,
          balance: formatMinorUnits(balanceMinor, currency),
          threshold: formatMinorUnits(thresholdMinor, currency),
        },
      };
    }
    case 'quota.exceeded': {
      const { userId, limit, max, requested } = envelope.data;
      return { userId, type: NotificationType.QUOTA_EXCEEDED, severity: NotificationSeverity.WARNING, data: { limit, max, requested } };
    }
    case 'app.install.failed': {
      const { userId, installId, deviceId, applicationId, reason } = envelope.data;
      return { userId, type: NotificationType.INSTALL_FAILED, severity: NotificationSeverity.WARNING, data: { installId, deviceId, applicationId, reason } };
    }
    default:
      return null;
  }
}

/**
 * Whether `now` falls in the quiet hours, in the preference's time zone.
 * The window is [start, end): start 22:00 (1320) and end 07:00 (420) wraps
 * midnight. Equal bounds, or a missing bound, mean no quiet hours.
 */
export function inQuietHours(preference: QuietHours, now: Date): boolean {
  const { quietHoursStart: start, quietHoursEnd: end } = preference;
  if (start === null || end === null || start === end) return false;
  const minute = minutesAfterMidnight(now, preference.timeZone);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The channels a notification goes out on: the user's choice for its type
 * (IN_APP and EMAIL without a preference; none when disabled). In quiet hours
 * anything but CRITICAL goes IN_APP only, so it waits silently in the app;
 * CRITICAL ignores quiet hours.
 */
export function channelsFor(severity: NotificationSeverity, preference: DeliveryPreference | null, now: Date): NotificationChannel[] {
  if (preference && !preference.enabled) return [];
  const chosen = [...new Set(preference ? preference.channels : DEFAULT_CHANNELS)];
  if (chosen.length === 0) return [];
  if (severity !== NotificationSeverity.CRITICAL && preference && inQuietHours(preference, now)) return [NotificationChannel.IN_APP];
  return chosen;
}

/** The notifications to store for an intent: one per channel, none when the user opted out. */
export function planNotifications(intent: NotificationIntent, preference: DeliveryPreference | null, now: Date): PlannedNotification[] {
  return channelsFor(intent.severity, preference, now).map((channel) => ({ ...intent, channel }));
}

/** From an event straight to the notifications to store (null preference: the defaults). */
export function planForEvent(envelope: AnyEventEnvelope, preference: DeliveryPreference | null, now: Date): PlannedNotification[] {
  const intent = notificationIntent(envelope);
  return intent === null ? [] : planNotifications(intent, preference, now);
}
