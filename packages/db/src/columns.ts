import { timestamp } from 'drizzle-orm/pg-core';

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
