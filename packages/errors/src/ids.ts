import { badUserInput } from './app-error.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids of the platform are UUIDs. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** Validates an ID argument; anything but a UUID is BAD_USER_INPUT naming the field. */
export function parseId(value: string, field = 'id'): string {
  if (!isId(value)) throw badUserInput(`"${field}" is not a valid ID`, field);
  return value.toLowerCase();
}

export function parseOptionalId(value: string | null | undefined, field: string): string | undefined {
  return value === null || value === undefined ? undefined : parseId(value, field);
}
