import { customType, timestamp } from 'drizzle-orm/pg-core';

/** Millisecond precision: timestamps round-trip exactly through JSON cursors and JS Dates. */
export function timestampColumn(name: string) {
  return timestamp(name, { withTimezone: true, precision: 3 });
}

/** created_at / updated_at for every table; spread into a table's columns. */
export function auditTimestamps() {
  return {
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  };
}

/**
 * A jsonb column that reads back any JSON value as it was written. drizzle's
 * own `jsonb` parses again what the driver (postgres.js, PGlite) has already
 * parsed, so a JSON string that looks like JSON comes back changed
 * (`"13"` reads as the number 13).
 */
export const jsonValue = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => 'jsonb',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => value,
});
