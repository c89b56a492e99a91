import type { Database } from '@cloudphone/db';
import { badUserInput } from '@cloudphone/errors';
import { assertAccess, assertAnyAccess } from '@cloudphone/identity';
import { type RequestContext, parseId } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { PreferenceRow } from '../database/schema.js';
import type { NotificationChannel, NotificationType } from '../notifications/models/notification-kinds.js';
import type { DeliveryPreference } from '../notifications/plan.js';
import type { NotificationPreference, UpdateNotificationPreferenceInput } from './models/notification-preference.model.js';
import { LAST_MINUTE_OF_DAY } from './models/notification-preference.model.js';
import { PreferencesRepository } from './preferences.repository.js';
import { canonicalTimeZone } from './time-zone.js';

export function toNotificationPreference(row: PreferenceRow): NotificationPreference {
  return {
    userId: row.userId,
    type: row.type as NotificationType,
    enabled: row.enabled,
    channels: row.channels as NotificationChannel[],
    quietHoursStart: row.quietHoursStart,
    quietHoursEnd: row.quietHoursEnd,
    timeZone: row.timeZone,
    updatedAt: row.updatedAt,
  };
}

function minuteOfDay(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > LAST_MINUTE_OF_DAY) throw badUserInput(`${field} must be a minute of the day, 0 to ${LAST_MINUTE_OF_DAY}`, field);
  return value;
}

@Injectable()
export class PreferencesService {
  constructor(private readonly repository: PreferencesRepository) {}

  /**
   * Sets a user's whole preference for a type, with `notification:write` over
   * that user (a USER its own, an ADMIN those of its tenant). Quiet hours take
   * both bounds or neither, and the time zone must be one Intl knows by its IANA name.
   */
  async update(context: RequestContext, input: UpdateNotificationPreferenceInput): Promise<NotificationPreference> {
    const userId = parseId(input.userId, 'userId');
    const scope = assertAnyAccess(context.principal, 'notification', 'write');
    // Preferences have no tenant column: the user's tenant is looked up only when a TENANT scope needs it.
    const tenantId = scope.kind === 'TENANT' ? await this.repository.tenantOfUser(userId) : null;
    assertAccess(context.principal, 'notification', { userId, tenantId }, 'write');
    const quietHoursStart = minuteOfDay(input.quietHoursStart, 'quietHoursStart');
    const quietHoursEnd = minuteOfDay(input.quietHoursEnd, 'quietHoursEnd');
    if ((quietHoursStart === null) !== (quietHoursEnd === null)) {
      throw badUserInput('Give both quietHoursStart and quietHoursEnd, or neither', quietHoursStart === null ? 'quietHoursStart' : 'quietHoursEnd');
    }
    const timeZone = canonicalTimeZone(input.timeZone.trim());
    if (timeZone === undefined) throw badUserInput(`"${input.timeZone}" is not an IANA time zone such as "Europe/Berlin"`, 'timeZone');
    const row = await this.repository.upsert({
      userId,
      type: input.type,
      enabled: input.enabled,
      channels: [...new Set(input.channels)],
      quietHoursStart,
      quietHoursEnd,
      timeZone,
    });
    return toNotificationPreference(row);
  }

  /** The user's preference for a type, read in the caller's transaction; null when they never set one. */
  async preferenceOf(tx: Database, userId: string, type: NotificationType): Promise<DeliveryPreference | null> {
    const row = await this.repository.find(tx, userId, type);
    if (!row) return null;
    const { enabled, channels, quietHoursStart, quietHoursEnd, timeZone } = toNotificationPreference(row);
    return { enabled, channels, quietHoursStart, quietHoursEnd, timeZone };
  }
}
