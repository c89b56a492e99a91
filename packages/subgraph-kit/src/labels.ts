import { AppError } from '@cloudphone/errors';

/** Node label keys: 1 to 63 of a-z, 0-9, ".", "-", "/", "_" (the rule hosts and placements share). */
export const LABEL_KEY_PATTERN = /^[a-z0-9][a-z0-9./_-]{0,62}$/;
export const LABEL_KEY_MESSAGE = 'label keys are 1 to 63 of a-z, 0-9, ".", "-", "/", "_"';

/** A list of key/value labels as a map; a key given twice is BAD_USER_INPUT naming `field`. */
export function labelMap(labels: readonly { key: string; value: string }[], field: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const label of labels) {
    if (Object.hasOwn(map, label.key)) throw new AppError('BAD_USER_INPUT', `Label "${label.key}" is given twice`, { details: { field } });
    map[label.key] = label.value;
  }
  return map;
}
