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
  // Down to 15 s: clients renew at half a short token's life, so shorter would mean a renewal every few seconds.
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(15).max(86_400).default(900),
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

/** DI token of the quota every new user starts with. */
export const QUOTA_DEFAULTS = Symbol('QUOTA_DEFAULTS');

/** The limits a new user gets (and the demo seed gives every user); admins change them per user with setUserQuota. */
export interface QuotaDefaults {
  /** QUOTA_DEFAULT_MAX_DEVICES: devices the user may hold (every status but DELETED). */
  maxDevices: number;
  /** QUOTA_DEFAULT_MAX_RUNNING_DEVICES: devices CREATING, RUNNING or in ERROR at once. */
  maxRunningDevices: number;
  /** QUOTA_DEFAULT_MAX_CPU_CORES: cpu cores of all the user's devices together. */
  maxCpuCores: number;
  /** QUOTA_DEFAULT_MAX_MEMORY_MB: memory (MiB) of all the user's devices together. */
  maxMemoryMb: number;
  /** QUOTA_DEFAULT_MAX_STORAGE_GB: storage (GiB) of all the user's devices together. */
  maxStorageGb: number;
}

const limit = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000_000).default(fallback);

const quotaSchema = z.object({
  QUOTA_DEFAULT_MAX_DEVICES: limit(20),
  QUOTA_DEFAULT_MAX_RUNNING_DEVICES: limit(15),
  QUOTA_DEFAULT_MAX_CPU_CORES: limit(64),
  QUOTA_DEFAULT_MAX_MEMORY_MB: limit(131_072),
  QUOTA_DEFAULT_MAX_STORAGE_GB: limit(1_024),
});

/** The default quota, read when the module is built (and by the seed); fails at boot on a bad value. */
export function loadQuotaDefaults(env: Record<string, string | undefined> = process.env): QuotaDefaults {
  const parsed = parseConfig('users subgraph', quotaSchema, env);
  return {
    maxDevices: parsed.QUOTA_DEFAULT_MAX_DEVICES,
    maxRunningDevices: parsed.QUOTA_DEFAULT_MAX_RUNNING_DEVICES,
    maxCpuCores: parsed.QUOTA_DEFAULT_MAX_CPU_CORES,
    maxMemoryMb: parsed.QUOTA_DEFAULT_MAX_MEMORY_MB,
    maxStorageGb: parsed.QUOTA_DEFAULT_MAX_STORAGE_GB,
  };
}
