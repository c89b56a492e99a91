import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `cpk_<prefix>_<secret>`: the prefix (12 hex digits) is
 * public and finds the key's row; the secret (256 random bits, base64url) is
 * shown once, when the key is created, and only its SHA-256 is stored. A fast
 * hash is right for a secret that random: there is nothing to guess.
 */
const API_KEY_PATTERN = /^cpk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** The longest credential worth looking at: anything longer is not a key. */
export const API_KEY_MAX_LENGTH = 64;

export interface ApiKeyParts {
  /** The public part, stored as is and shown in lists. */
  readonly prefix: string;
  readonly secret: string;
}

/** A new key: the whole key (shown once), its prefix and the hash of its secret (stored). */
export function generateApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `cpk_${prefix}_${secret}`, prefix, secretHash: apiKeySecretHash(secret) };
}

/** The prefix and secret of a well-formed key; undefined for anything else. */
export function parseApiKey(key: string): ApiKeyParts | undefined {
  if (key.length > API_KEY_MAX_LENGTH) return undefined;
  const match = API_KEY_PATTERN.exec(key);
  if (!match?.[1] || !match[2]) return undefined;
  return { prefix: match[1], secret: match[2] };
}

export function apiKeySecretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether `secret` hashes to `storedHash`, compared in constant time. */
export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(apiKeySecretHash(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
