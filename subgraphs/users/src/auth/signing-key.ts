import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ACCESS_TOKEN_ALGORITHM } from '@cloudphone/identity';
import { type CryptoKey, type JWK, calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8 } from 'jose';
import type { AuthSettings } from '../config.js';

export const SIGNING_ALGORITHM = ACCESS_TOKEN_ALGORITHM;

export interface SigningKey {
  privateKey: CryptoKey;
  /** The public half as published in the JWKS, with its `kid`. */
  publicJwk: JWK & { kid: string };
}

/**
 * The key that signs access tokens: AUTH_SIGNING_KEY when given (always in
 * production); otherwise a development key created once and kept in a file,
 * so tokens survive a restart of the embedded stack.
 */
export async function loadSigningKey(settings: AuthSettings): Promise<SigningKey> {
  const pem = settings.signingKeyPem ?? (await developmentKey(settings.developmentKeyFile));
  const privateKey = await importPKCS8(pem, SIGNING_ALGORITHM, { extractable: true });
  const { d: _private, ...publicJwk } = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { privateKey, publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' } };
}

async function developmentKey(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return existing;
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const pem = await exportPKCS8(privateKey);
  await mkdir(path.dirname(file), { recursive: true });
  // `wx`: when two processes race, the first file wins and both use it.
  return writeFile(file, pem, { flag: 'wx', mode: 0o600 }).then(
    () => pem,
    async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return readFile(file, 'utf8');
      throw error;
    },
  );
}
