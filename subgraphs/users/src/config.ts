import path from 'node:path';
import { ConfigError, type SubgraphProcessSettings, parseConfig, readSubgraphProcessSettings, z } from '@cloudphone/config';

export type UsersConfig = SubgraphProcessSettings;

/** The users subgraph's reader of the environment; fails at boot on a bad value. */
export function loadUsersConfig(env: Record<string, string | undefined> = process.env): UsersConfig {
  return readSubgraphProcessSettings('users', 4001, {}, env);
}

/** DI token of the token settings. */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

export interface AuthSettings {
  /** AUTH_ISSUER: the `iss` of every access token. */
  issuer: string;
  /** AUTH_AUDIENCE: the `aud` the gateway expects. */
  audience: string;
  /** ACCESS_TOKEN_TTL_SECONDS: short, so a stolen access token is worth little (15 min). */
  accessTokenTtlSeconds: number;
  /** REFRESH_TOKEN_TTL_SECONDS: how long a session lasts without use (30 days). */
  refreshTokenTtlSeconds: number;
  /** AUTH_SIGNING_KEY: PKCS#8 PEM of the ES256 key that signs access tokens; every replica uses the same one. */
  signingKeyPem: string | undefined;
  /** Where a development key is kept when AUTH_SIGNING_KEY is unset (under DATA_DIR), so restarts keep tokens valid. */
  developmentKeyFile: string;
  /** NODE_ENV=production: a signing key must be given, never generated. */
  production: boolean;
}

const authSchema = z.object({
  AUTH_ISSUER: z.string().min(1).default('cloudphone-users'),
  AUTH_AUDIENCE: z.string().min(1).default('cloudphone'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).max(31_536_000).default(2_592_000),
  AUTH_SIGNING_KEY: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.replace(/\\n/g, '\n')))
    .refine((value) => value === undefined || value.includes('BEGIN PRIVATE KEY'), 'AUTH_SIGNING_KEY must be a PKCS#8 PEM private key'),
  DATA_DIR: z.string().default('.data/pglite'),
  NODE_ENV: z.string().optional(),
});

/** Token settings, read when the module is built; fails at boot on a bad value, or in production without a key. */
export function loadAuthSettings(env: Record<string, string | undefined> = process.env): AuthSettings {
  const parsed = parseConfig('users subgraph', authSchema, env);
  const production = parsed.NODE_ENV === 'production';
  if (production && parsed.AUTH_SIGNING_KEY === undefined) {
    throw new ConfigError('users subgraph', ['AUTH_SIGNING_KEY: required in production (every replica must sign with the same key)']);
  }
  return {
    issuer: parsed.AUTH_ISSUER,
    audience: parsed.AUTH_AUDIENCE,
    accessTokenTtlSeconds: parsed.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: parsed.REFRESH_TOKEN_TTL_SECONDS,
    signingKeyPem: parsed.AUTH_SIGNING_KEY,
    developmentKeyFile: path.join(parsed.DATA_DIR, '..', 'auth', 'signing-key.pem'),
    production,
  };
}
