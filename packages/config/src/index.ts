import { z } from 'zod';

export { z };

export class ConfigError extends Error {
  constructor(readonly app: string, readonly problems: string[]) {
    super(`Invalid configuration for ${app}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates an environment against an app's schema at boot. Each app has one
 * typed reader built on this; nothing else reads `process.env`.
 */
export function parseConfig<TSchema extends z.ZodType>(app: string, schema: TSchema, env: Record<string, string | undefined>): z.infer<TSchema> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      app,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** An optional URL variable: empty strings count as unset. */
export const optionalUrl = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
  .pipe(z.url().optional());

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
