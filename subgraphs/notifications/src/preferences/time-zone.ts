/** Time zone helpers on Intl (pure, no I/O). */

/** A region name such as "Europe/Berlin" or "UTC"; offsets like "+01:00" are not IANA zone names. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The canonical name of an IANA time zone Intl knows ("utc" -> "UTC"); undefined for anything else. */
export function canonicalTimeZone(name: string): string | undefined {
  if (!ZONE_NAME.test(name)) return undefined;
  try {
    return formatterOf(name).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Minutes after local midnight (0..1439) of an instant in a time zone; an unknown zone counts as UTC. */
export function minutesAfterMidnight(now: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatterOf(timeZone).formatToParts(now);
  } catch {
    parts = formatterOf('UTC').formatToParts(now);
  }
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  return (part('hour') % 24) * 60 + part('minute');
}
