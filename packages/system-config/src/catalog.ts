import { z } from 'zod';

/**
 * The settings code reads, each with the shape its value must have. The
 * users subgraph refuses a value of another shape, or a key not listed here
 * (BAD_USER_INPUT), and readers parse with the same schema, so a reader gets
 * the type it declares. Values and descriptions live in the users database
 * (seeded by migration); a new setting is added here and seeded in the same change.
 */
export const SETTINGS = {
  /** The Android version of a device created without a template or an explicit version. */
  'devices.defaultAndroidVersion': z.string().regex(/^\d{1,2}(\.\d{1,2})?$/, 'an Android version such as "13" or "12.1"'),
} as const satisfies Record<string, z.ZodType>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/**
 * The dictionaries there are: labels for codes that clients show (enum
 * labels). Entries are edited at run time; the types are declared here so a
 * misspelt type is refused rather than silently starting a new dictionary.
 */
export const DICTIONARY_TYPES = ['DEVICE_STATUS', 'ORDER_STATUS'] as const;
export type DictionaryType = (typeof DICTIONARY_TYPES)[number];

export function isDictionaryType(type: string): type is DictionaryType {
  return (DICTIONARY_TYPES as readonly string[]).includes(type);
}

/** One entry of a dictionary as readers get it, in `sortOrder`. */
export interface DictionaryEntryValue {
  readonly code: string;
  readonly label: string;
  readonly sortOrder: number;
}

/** The rules an entry keeps, for the owner's input validation and the readers' parsing alike. */
export const DICTIONARY_ENTRY_RULES = {
  code: { pattern: /^[A-Z][A-Z0-9_]{0,63}$/, message: 'code is 1 to 64 of A-Z, 0-9 and _, starting with a letter' },
  label: { min: 1, max: 200, message: 'label is 1 to 200 characters' },
  sortOrder: { min: 0, max: 100_000 },
} as const;

const rules = DICTIONARY_ENTRY_RULES;
const dictionaryEntrySchema = z.object({
  code: z.string().regex(rules.code.pattern, rules.code.message),
  label: z.string().min(rules.label.min, rules.label.message).max(rules.label.max, rules.label.message),
  sortOrder: z.number().int().min(rules.sortOrder.min).max(rules.sortOrder.max),
});

const dictionarySchema = z.array(dictionaryEntrySchema);

/** Why a setting value is refused, or undefined when it fits the key's shape. */
export function settingProblem(key: string, value: unknown): string | undefined {
  if (!isSettingKey(key)) return `There is no setting ${key}`;
  const parsed = SETTINGS[key].safeParse(value);
  return parsed.success ? undefined : `${key} must be ${parsed.error.issues.map((issue) => issue.message).join('; ')}`;
}

/** A setting's stored value as its declared type; undefined when absent or of another shape. */
export function parseSetting<K extends SettingKey>(key: K, value: unknown): SettingValue<K> | undefined {
  const parsed = SETTINGS[key].safeParse(value);
  return parsed.success ? (parsed.data as SettingValue<K>) : undefined;
}

/** A dictionary's stored entries; undefined when they are not entries. */
export function parseDictionary(value: unknown): DictionaryEntryValue[] | undefined {
  const parsed = dictionarySchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
